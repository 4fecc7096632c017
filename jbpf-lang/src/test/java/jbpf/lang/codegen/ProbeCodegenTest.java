package jbpf.lang.codegen;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jbpf.lang.Compiler;
import jbpf.lang.ProbeKernel;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.spec.AttachType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The code of each probe type, for kernels that lack some of them too: each {@code probes/NAME.bt} in
 * {@code src/test/resources/jbpf/lang/codegen} compiles to the programs in {@code NAME.expected} (each with its program
 * type, attach type and attach points, then its annotated disassembly); regenerate with
 * {@code -Djbpf.golden.update=true} and review the diff.
 */
class ProbeCodegenTest {
  private static final Path DIR = Path.of("src/test/resources/jbpf/lang/codegen/probes");
  static final KernelInfo.Target CHILD = new KernelInfo.Target(4712, true, ProbeKernel.APP);

  static CompiledScript compile(String text) throws CompileException {
    return Compiler.compile(new Source("stdin", text), List.of(), new ProbeKernel(CHILD), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
  }

  static String describe(CompiledScript s) {
    StringBuilder b = new StringBuilder();
    for (ProgramSpec p : s.collection().programs()) {
      CompiledScript.ProbeProgram pp = s.programs().stream().filter(x -> x.program().equals(p.name())).findFirst().orElseThrow();
      b.append("Program ").append(p.name()).append(": ").append(p.type());
      if (p.expectedAttachType() != null) b.append(", attach type ").append(p.expectedAttachType());
      if (p.attachTo() != null) b.append(", attach to ").append(p.attachTo());
      b.append('\n');
      for (int i = 0; i < pp.attaches().size(); i++)
        b.append("  at ").append(pp.attaches().get(i).name()).append(" (cookie ").append(pp.cookies().get(i)).append(")\n");
      b.append(p.code().disassemble()).append('\n');
    }
    return b.toString();
  }

  @TestFactory
  Stream<DynamicTest> probesCompileToTheirGoldenCode() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(DIR)) {
      scripts = files.filter(p -> p.getFileName().toString().endsWith(".bt")).sorted().toList();
    }
    assertFalse(scripts.isEmpty(), "no scripts in " + DIR.toAbsolutePath());
    boolean update = Boolean.getBoolean("jbpf.golden.update");
    return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
      String text = describe(compile(Files.readString(script)));
      Path golden = script.resolveSibling(script.getFileName().toString().replace(".bt", ".expected"));
      if (update) Files.writeString(golden, text);
      assertTrue(Files.exists(golden), "missing " + golden + "; run with -Djbpf.golden.update=true and review it");
      assertEquals(Files.readString(golden), text);
    }));
  }

  @Test
  void eachProbeTypeGetsItsProgramType() throws CompileException {
    record Row(String script, ProgramType type, AttachType attachType) {}
    for (Row r : List.of(
        new Row("kprobe:vfs_read { }", ProgramType.KPROBE, null),
        new Row("kretprobe:vfs_read { }", ProgramType.KPROBE, null),
        new Row("uprobe:/opt/app:add { }", ProgramType.KPROBE, null),
        new Row("usdt:/opt/app:other:start { }", ProgramType.KPROBE, null),
        new Row("tracepoint:syscalls:sys_enter_read { }", ProgramType.TRACEPOINT, null),
        new Row("rawtracepoint:sched_switch { }", ProgramType.RAW_TRACEPOINT, null),
        new Row("kfunc:vfs_read { }", ProgramType.TRACING, AttachType.TRACE_FENTRY),
        new Row("kretfunc:vfs_read { }", ProgramType.TRACING, AttachType.TRACE_FEXIT),
        new Row("profile:hz:99 { }", ProgramType.PERF_EVENT, null),
        new Row("interval:s:1 { }", ProgramType.PERF_EVENT, null),
        new Row("software:cs:1 { }", ProgramType.PERF_EVENT, null),
        new Row("hardware:cycles:1000 { }", ProgramType.PERF_EVENT, null),
        new Row("watchpoint:0x1000:8:w { }", ProgramType.PERF_EVENT, null))) {
      ProgramSpec p = compile(r.script()).collection().programs().getFirst();
      assertEquals(r.type(), p.type(), r.script());
      assertEquals(r.attachType(), p.expectedAttachType(), r.script());
    }
  }

  @Test
  void kfuncProgramsAreOnePerFunctionEvenWithTheSameCode() throws CompileException {
    CompiledScript s = compile("kfunc:vfs_read, kfunc:kfree, kfunc:do_sys_open { @ = count(); }");
    assertEquals(List.of("vfs_read", "kfree", "do_sys_open"), s.collection().programs().stream().map(ProgramSpec::attachTo).toList());
    assertEquals(3, s.programs().size());
  }

  @Test
  void identicalProgramsAreSharedAcrossAttachPoints() throws CompileException {
    CompiledScript s = compile("uprobe:/opt/app:add* { @ = count(); } usdt:/opt/app:myprov:* { @u = count(); }");
    assertEquals(2, s.collection().programs().size());
    assertEquals(List.of(2, 3), s.programs().stream().map(p -> p.attaches().size()).toList());
    assertEquals(List.of(0L, 1L), s.programs().getFirst().cookies());
  }

  @Test
  void aWatchpointOnAFunctionGetsASetupUprobeAndItsRingBuffer() throws CompileException {
    CompiledScript s = compile("watchpoint:add+arg0:8:w { @ = count(); }");
    assertEquals(List.of(ProbeType.WATCHPOINT, ProbeType.UPROBE), s.programs().stream().map(CompiledScript.ProbeProgram::type).toList());
    assertTrue(s.collection().maps().containsKey(CompiledScript.WATCH_MAP));
    assertFalse(compile("watchpoint:0x1000:8:w { @ = count(); }").collection().maps().containsKey(CompiledScript.WATCH_MAP));
  }
}
