package jbpf.prog;

import static jbpf.asm.Reg.R0;
import static jbpf.asm.Reg.R1;
import static jbpf.asm.Reg.R2;
import static jbpf.asm.Reg.R3;
import static jbpf.asm.Reg.R4;
import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Label;
import jbpf.kernel.internal.MiniBtf;
import jbpf.map.BpfMap;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Cpus;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Feature;
import jbpf.sys.VerifierException;
import jbpf.testing.Programs;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = Feature.RAW_TP_TEST_RUN)
class ProgramKernelTest {
  private static ProgramSpec rawTp(String name, Bytecode code) { return new ProgramSpec(name, ProgramType.RAW_TRACEPOINT, code); }

  private static long u64(byte[] b, int at) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at); }

  @Test void loadsAndTestRunsATinyProgram() {
    try (BpfProgram p = BpfProgram.load(rawTp("answer", Programs.returning(42)))) {
      assertEquals(42, p.testRun(TestRun.withArgs(1, 2)).retval());
      assertEquals(42, p.testRun(new byte[0]));
    }
  }

  @Test void testRunsOnEachCpu() {
    Bytecode cpu = new InsnList().add(Insn.call(Helper.GET_SMP_PROCESSOR_ID), Insn.exit()).resolve();
    try (BpfProgram p = BpfProgram.load(rawTp("which_cpu", cpu))) {
      for (int c : Cpus.online()) assertEquals(c, p.testRun(TestRun.withArgs(0).onCpu(c)).retval(), "cpu " + c);
    }
  }

  @Test void testRunUpdatesMapsLikeABeginProbe() {
    try (BpfMap counts = BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 8, 2));
         BpfProgram begin = BpfProgram.load(Programs.countAll("BEGIN", ProgramType.RAW_TRACEPOINT), Map.of("counts", counts))) {
      for (int i = 0; i < 3; i++) assertEquals(0, begin.testRun(new byte[0]));
      assertEquals(3, u64(counts.lookup(new byte[4]), 0));
    }
  }

  @Test void verifierRejectionCarriesLogAndFailingInsn() {
    // r0 = 0; r1 = 1; r0 += r3 (never written); exit
    Bytecode bad = Bytecode.of(List.of(Alu.MOV.imm(R0, 0), Alu.MOV.imm(R1, 1), Alu.ADD.reg(R0, R3), Insn.exit()));
    VerifierException e = assertThrows(VerifierException.class, () -> BpfProgram.load(rawTp("bad", bad)));
    assertEquals("load program bad: verifier rejected insn 2: R3 !read_ok (EACCES)", e.getMessage());
    assertEquals(2, e.failingInsn().orElseThrow());
    assertEquals("(0f) r0 += r3", e.insnText());
    assertEquals(Errno.EACCES, e.errno());
    assertTrue(e.log().size() > 2, "log: " + e.log());
  }

  @Test void verifierLogTooSmallIsRetriedLarger() {
    Bytecode bad = Bytecode.of(List.of(Alu.MOV.imm(R0, 0), Alu.MOV.imm(R1, 1), Alu.ADD.reg(R0, R3), Insn.exit()));
    VerifierException e = assertThrows(VerifierException.class,
        () -> BpfProgram.load(rawTp("bad", bad), n -> null, LoadOptions.defaults().withLog(VerifierLog.FULL), 128));
    assertEquals("R3 !read_ok", e.reason());
    assertTrue(String.join("\n", e.log()).contains("processed"), "the whole log arrived: " + e.log());
  }

  @Test void statsLogOnSuccess() {
    try (BpfProgram p = BpfProgram.load(rawTp("stats", Programs.returning(0)), n -> null, LoadOptions.defaults().withLog(VerifierLog.STATS))) {
      assertTrue(p.verifierLog().contains("processed 2 insns"), p.verifierLog());
    }
  }

  @Test void infoReportsTheProgramAndItsRuns() {
    try (BpfMap counts = BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 8, 1));
         BpfProgram p = BpfProgram.load(Programs.countAll("info_probe", ProgramType.RAW_TRACEPOINT), Map.of("counts", counts))) {
      try (Fd stats = BpfStats.enable()) {
        for (int i = 0; i < 5; i++) p.testRun(new byte[0]);
      }
      ProgramInfo info = p.info();
      assertEquals("info_probe", info.name());
      assertEquals("raw_tracepoint", info.type());
      assertEquals(5, info.runCount());
      assertTrue(info.runTimeNanos() > 0);
      assertTrue(info.xlatedLength() > 0 && info.jitedLength() > 0, info.toString());
      assertEquals(List.of(counts.info().id()), info.mapIds());
      assertEquals(16, info.tag().length());
      assertTrue(BpfProgram.loaded().stream().anyMatch(i -> i.id() == info.id()));
    }
  }

  @Test void callbackProgramLoadsWithItsBtf() {
    // bpf_loop(10, callback, 0, 0); callback: counts[0] += 1; return 0
    Label callback = new Label("callback"), skip = new Label("skip");
    InsnList l = new InsnList().add(Alu.MOV.imm(R1, 10), Insn.ldFunc(R2, callback), Alu.MOV.imm(R3, 0), Alu.MOV.imm(R4, 0),
        Insn.call(Helper.LOOP), Insn.exit()).bind(callback);
    Programs.lookupIndex(l, "counts", 0, skip);
    Programs.increment(l, 0);
    l.bind(skip).add(Alu.MOV.imm(R0, 0), Insn.exit());
    Bytecode code = l.resolve();
    int callbackSlot = 7; // six instructions, lddw counting twice
    MiniBtf.Result types = MiniBtf.of(List.of(new MiniBtf.Function("looper", 0), new MiniBtf.Function("callback", callbackSlot)));
    try (BpfMap counts = BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 8, 1));
         BtfObject btf = BtfObject.load(types.btf());
         BpfProgram p = BpfProgram.load(rawTp("looper", code), Map.of("counts", counts)::get,
             LoadOptions.defaults().withBtf(new ProgramBtf(btf, types.funcInfo(), null)))) {
      assertEquals(10, p.testRun(new byte[0]), "bpf_loop returns the iterations done");
      assertEquals(10, u64(counts.lookup(new byte[4]), 0));
    }
  }

  @Test void unknownMapIsTheCallersMistake() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfProgram.load(Programs.countAll("orphan", ProgramType.RAW_TRACEPOINT), Map.of()));
    assertEquals("program orphan refers to map counts, which was not given", e.getMessage());
  }

  @Test void badBtfIsRefusedWithTheKernelsReason() {
    byte[] garbage = {(byte) 0x9f, (byte) 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    jbpf.sys.SyscallException e = assertThrows(jbpf.sys.SyscallException.class, () -> BtfObject.load(garbage));
    assertTrue(e.getMessage().startsWith("load BTF"), e.getMessage());
  }
}
