package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Reg;
import jbpf.features.Features;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.TypedProgram;
import jbpf.output.Output;
import jbpf.runtime.Tracer;
import jbpf.source.Source;
import jbpf.spec.CollectionSpec;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Feature;
import jbpf.sys.NotSupportedException;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code override()} on a kernel built without CONFIG_BPF_KPROBE_OVERRIDE: one sentence naming the option. */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON})
class OverrideKernelTest {
  @Test
  void aProgramThatOverridesNeedsTheKernelOption() {
    Assumptions.assumeFalse(Features.has(Feature.OVERRIDE_RETURN), "this kernel can override return values");
    // The code override(1) becomes in a kprobe: r1 = ctx; r2 = 1; call bpf_override_return
    ProgramSpec prog = new ProgramSpec("kprobe_0", ProgramType.KPROBE, Bytecode.of(List.of(Alu.MOV.imm(Reg.R2, 1),
        Insn.call(Helper.OVERRIDE_RETURN), Alu.MOV.imm(Reg.R0, 0), Insn.exit())));
    TypedProgram typed = new TypedProgram(new Source("stdin", ""), List.of(), List.of(), List.of(), TypedProgram.Settings.DEFAULT);
    CompiledScript script = new CompiledScript(typed, new CollectionSpec(Map.of(), List.of(prog)),
        List.of(new CompiledScript.ProbeProgram("kprobe_0", ProbeType.KPROBE, List.of(), List.of())), List.of());
    PrintStream err = new PrintStream(new ByteArrayOutputStream());
    NotSupportedException e = assertThrows(NotSupportedException.class,
        () -> Tracer.load(script, new Tracer.Options(false, false, false), Output.text(new ByteArrayOutputStream()), err).close());
    assertEquals("ERROR: this kernel cannot override return values (CONFIG_BPF_KPROBE_OVERRIDE is not set)\n", Main.bpfError(e));
  }
}
