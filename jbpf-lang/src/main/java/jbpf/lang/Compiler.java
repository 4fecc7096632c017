package jbpf.lang;

import java.util.List;
import jbpf.lang.ast.Program;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.parse.Parser;
import jbpf.lang.sema.Analyzer;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.source.CompileException;
import jbpf.source.Source;

/** The whole compiler: script text to eBPF blueprints, through parse, semantic analysis and code generation. */
public final class Compiler {
  private Compiler() {}

  /**
   * Compiles {@code source}.
   *
   * @param params the positional parameters {@code $1}…
   * @throws CompileException with every diagnostic, for a script that cannot be compiled
   */
  public static CompiledScript compile(Source source, List<String> params, KernelInfo kernel, TypedProgram.Settings settings,
                                       CodeGen.Options options) throws CompileException {
    Program ast = Parser.parseOrThrow(source);
    TypedProgram typed = Analyzer.analyze(ast, source, kernel, settings, params);
    return CodeGen.generate(typed, options);
  }
}
