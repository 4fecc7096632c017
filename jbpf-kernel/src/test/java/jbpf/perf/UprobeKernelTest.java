package jbpf.perf;

import static jbpf.asm.Reg.R1;
import static jbpf.asm.Reg.R6;
import static jbpf.asm.Reg.R7;
import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Label;
import jbpf.asm.Size;
import jbpf.features.Features;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.prog.BpfProgram;
import jbpf.spec.AttachType;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Errno;
import jbpf.sys.Feature;
import jbpf.sys.SyscallException;
import jbpf.testing.CProgram;
import jbpf.testing.Programs;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

/** uprobes on {@code int add(int a, int b)} of a C program compiled for the test. */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = Feature.UPROBES)
class UprobeKernelTest {
  // struct pt_regs (arch/x86/include/uapi/asm/ptrace.h): the x86-64 argument and return registers.
  private static final int DI = 112, SI = 104, AX = 80;

  /** vals[0].slot 0 += 1, then copies ctx fields to the given slots; optionally the attach cookie to slot 4. */
  private static ProgramSpec recorder(String name, AttachType type, boolean cookie, int... ctxOffsetsThenSlots) {
    Label out = new Label("out");
    InsnList l = new InsnList().add(Alu.MOV.reg(R6, R1));
    Programs.lookupIndex(l, "vals", 0, out);
    Programs.increment(l, 0);
    for (int i = 0; i < ctxOffsetsThenSlots.length; i += 2) Programs.copyCtx(l, ctxOffsetsThenSlots[i], ctxOffsetsThenSlots[i + 1]);
    if (cookie) l.add(Alu.MOV.reg(R7, jbpf.asm.Reg.R0), Alu.MOV.reg(R1, R6), Insn.call(Helper.GET_ATTACH_COOKIE), Insn.stx(Size.DW, R7, 32, jbpf.asm.Reg.R0));
    l.bind(out).add(Alu.MOV.imm(jbpf.asm.Reg.R0, 0), Insn.exit());
    return new ProgramSpec(name, ProgramType.KPROBE, type, null, l.resolve(), "GPL");
  }

  private static long[] slots(BpfMap vals) {
    ByteBuffer b = ByteBuffer.wrap(vals.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN);
    return new long[] {b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32)};
  }

  private static long addAddress(CProgram c) throws Exception {
    String[] hello = c.readLine().split(" ");
    assertEquals(c.pid(), Integer.parseInt(hello[0]));
    return Long.parseUnsignedLong(hello[1]);
  }

  @Test void uprobeReadsArgumentsAndUretprobeTheResult() throws Exception {
    try (CProgram c = CProgram.compile("uprobe_target.c").start();
         BpfMap entry = BpfMap.create(new MapSpec("vals", MapType.ARRAY, 4, 40, 1));
         BpfMap exit = BpfMap.create(new MapSpec("vals", MapType.ARRAY, 4, 40, 1));
         BpfProgram onEntry = BpfProgram.load(recorder("add_entry", null, true, DI, 8, SI, 16), Map.of("vals", entry));
         BpfProgram onExit = BpfProgram.load(recorder("add_exit", null, false, AX, 24), Map.of("vals", exit))) {
      long offset = c.fileOffset(addAddress(c));
      try (Link in = Link.perfEvent(onEntry, PerfEvent.uprobe(c.binary(), offset, false, c.pid()), 11);
           Link out = Link.perfEvent(onExit, PerfEvent.uprobe(c.binary(), offset, true, c.pid()), 0)) {
        c.send("3 4");
        assertEquals("7", c.readLine());
        c.send("10 20");
        assertEquals("30", c.readLine());
      }
      long[] e = slots(entry), x = slots(exit);
      assertEquals(2, e[0], "two calls");
      assertEquals(10, e[1], "a of the last call");
      assertEquals(20, e[2], "b of the last call");
      assertEquals(11, e[4], "the attach cookie");
      assertEquals(2, x[0]);
      assertEquals(30, x[3], "the last return value");
    }
  }

  @Test void uprobeMultiAttachesWithCookies() throws Exception {
    if (!Features.uprobeMulti()) {
      assertEquals(Feature.UPROBE_MULTI, Features.check(Feature.UPROBE_MULTI).orElseThrow().feature());
      return;
    }
    try (CProgram c = CProgram.compile("uprobe_target.c").start();
         BpfMap vals = BpfMap.create(new MapSpec("vals", MapType.ARRAY, 4, 40, 1));
         BpfProgram p = BpfProgram.load(recorder("add_multi", AttachType.TRACE_UPROBE_MULTI, true, DI, 8), Map.of("vals", vals))) {
      long offset = c.fileOffset(addAddress(c));
      try (Link l = Link.uprobeMulti(p, c.binary(), new long[] {offset}, null, new long[] {99}, false, c.pid())) {
        assertEquals(Link.Kind.UPROBE_MULTI, l.kind());
        assertEquals("uprobe_multi", l.info().type());
        c.send("5 6");
        assertEquals("11", c.readLine());
      }
      long[] v = slots(vals);
      assertEquals(1, v[0]);
      assertEquals(5, v[1]);
      assertEquals(99, v[4]);
    }
  }

  @Test void aMissingBinaryIsNamed() {
    SyscallException e = assertThrows(SyscallException.class, () -> PerfEvent.uprobe(Path.of("/no/such/binary"), 0, false, -1));
    assertEquals(Errno.ENOENT, e.errno());
    assertEquals("open perf event for uprobe /no/such/binary:0x0: no such file or directory (ENOENT)", e.getMessage());
  }
}
