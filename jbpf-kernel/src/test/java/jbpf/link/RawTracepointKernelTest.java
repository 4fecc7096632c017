package jbpf.link;

import static jbpf.asm.Reg.R0;
import static jbpf.asm.Reg.R1;
import static jbpf.asm.Reg.R2;
import static jbpf.asm.Reg.R6;
import static jbpf.asm.Reg.R7;
import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Size;
import jbpf.map.BpfMap;
import jbpf.prog.BpfProgram;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.KernelVersion;
import jbpf.sys.SyscallException;
import jbpf.testing.Programs;
import jbpf.testing.Workload;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON})
class RawTracepointKernelTest {
  private static final int NR_GETPID = 39;

  /** On raw tracepoint sys_enter(regs, id): for getpid by this process, counts[0]++ and counts[1] = cookie. */
  private static ProgramSpec getpidCounter(boolean cookie) {
    Label out = new Label("out");
    InsnList l = new InsnList().add(Alu.MOV.reg(R6, R1));
    Programs.onlyPid(l, Workload.pid(), out);
    l.add(Insn.ldx(Size.DW, R2, R6, 8), Jmp.JNE.imm(R2, NR_GETPID, out));
    Programs.lookupIndex(l, "counts", 0, out);
    Programs.increment(l, 0);
    if (cookie) l.add(Alu.MOV.reg(R7, R0), Alu.MOV.reg(R1, R6), Insn.call(Helper.GET_ATTACH_COOKIE), Insn.stx(Size.DW, R7, 8, R0));
    l.bind(out).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return new ProgramSpec("raw_getpid", ProgramType.RAW_TRACEPOINT, l.resolve());
  }

  private static long slot(BpfMap counts, int index) {
    return ByteBuffer.wrap(counts.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong(index * 8);
  }

  @Test void countsSyscallsAtSysEnter() {
    boolean cookies = KernelVersion.current().atLeast(6, 10);
    try (BpfMap counts = BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 16, 1));
         BpfProgram p = BpfProgram.load(getpidCounter(cookies), Map.of("counts", counts))) {
      try (Link link = Link.rawTracepoint(p, "sys_enter", cookies ? 4242 : 0)) {
        assertEquals(Link.Kind.RAW_TRACEPOINT, link.kind());
        assertEquals("raw_tracepoint", link.info().type());
        Workload.getpid(500);
        assertEquals(500, slot(counts, 0));
        if (cookies) assertEquals(4242, slot(counts, 1));
      }
      Workload.getpid(10);
      assertEquals(500, slot(counts, 0));
    }
  }

  @Test void anUnknownTracepointIsNamed() {
    try (BpfProgram p = BpfProgram.load(new ProgramSpec("raw", ProgramType.RAW_TRACEPOINT, Programs.returning(0)))) {
      SyscallException e = assertThrows(SyscallException.class, () -> Link.rawTracepoint(p, "no_such_tracepoint"));
      assertEquals("attach program raw to raw tracepoint no_such_tracepoint: no such raw tracepoint: no such file or directory (ENOENT)",
          e.getMessage());
    }
  }
}
