package jbpf.lang.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import jbpf.lang.Compiler;
import jbpf.lang.FakeKernel;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.source.CompileException;
import jbpf.source.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Positional parameters inside attach points are expanded as text before the probe is resolved, as bpftrace does. */
class PositionalAttachPointTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("i:ms:$1 { exit(); }", List.of("1"), "interval:ms:1"),
        arguments("BEG$1 { exit(); }", List.of("IN"), "BEGIN"),
        arguments("$1 { exit(); }", List.of("i:ms:5"), "interval:ms:5"),
        arguments("tracepoint:$1:$2 { exit(); }", List.of("syscalls", "sys_enter_openat"), "tracepoint:syscalls:sys_enter_openat"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("cases")
  void expands(String script, List<String> params, String attach) throws CompileException {
    CompiledScript s = Compiler.compile(new Source("stdin", script), params, new FakeKernel(), TypedProgram.Settings.DEFAULT,
        CodeGen.Options.DEFAULT);
    assertEquals(attach, s.programs().getFirst().attaches().getFirst().name());
  }
}
