package jbpf.runtime;

import static jbpf.asm.Reg.*;
import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Opcode;
import jbpf.asm.Size;
import jbpf.lang.Compiler;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.output.Output;
import jbpf.perf.PerfEvent;
import jbpf.prog.BpfProgram;
import jbpf.source.Source;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Feature;
import jbpf.sys.Sys;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

/** The examples of the README's "Using the library", run for real. */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class LibraryExampleKernelTest {
  @Test
  void assemblesLoadsAttachesAndReadsAMap() throws Exception {
    // counts[0] += 1 on every getpid(2) of this machine
    Label done = new Label("done");
    InsnList code = new InsnList()
        .add(Insn.st(Size.W, R10, -4, 0), Insn.ldMap(R1, "counts"), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, -4),
            Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, done),
            Alu.MOV.imm(R1, 1), Insn.atomic(Size.DW, Opcode.ADD, R0, 0, R1))
        .bind(done).add(Alu.MOV.imm(R0, 0), Insn.exit());
    try (BpfMap counts = BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 8, 1));
         BpfProgram prog = BpfProgram.load(new ProgramSpec("count_getpid", ProgramType.TRACEPOINT, code.resolve()), Map.of("counts", counts));
         Link link = Link.perfEvent(prog, PerfEvent.tracepoint("syscalls", "sys_enter_getpid"), 0)) {
      for (int i = 0; i < 5; i++) Sys.getpid();
      long n = ByteBuffer.wrap(counts.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(true, n >= 5, "counted " + n + " getpid calls");
    }
  }

  @Test
  void compilesAndRunsAScript() throws Exception {
    CompiledScript script = Compiler.compile(new Source("stdin", "BEGIN { @x = 42; printf(\"hi\\n\"); exit(); }"), List.of(),
        TracefsKernelInfo.live(), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Tracer tracer = Tracer.load(script, new Tracer.Options(false, true, false), Output.text(out), System.err)) {
      tracer.attach();
      assertEquals(0, tracer.run());
    }
    assertEquals("hi\n\n\n@x: 42\n", out.toString());
  }
}
