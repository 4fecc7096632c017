package jbpf.lang;

import java.util.ArrayList;
import java.util.List;
import jbpf.lang.ast.Program;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.parse.Parser;
import jbpf.lang.sema.Analyzer;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

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
    return compile(source, params, List.of(), kernel, settings, options);
  }

  /**
   * Compiles {@code source} as if it began with {@code #include <FILE>} for each of {@code includes}, as
   * bpftrace's {@code --include FILE} does.
   *
   * @param params the positional parameters {@code $1}…
   * @throws CompileException with every diagnostic, for a script that cannot be compiled
   */
  public static CompiledScript compile(Source source, List<String> params, List<String> includes, KernelInfo kernel,
                                       TypedProgram.Settings settings, CodeGen.Options options) throws CompileException {
    return onDeepStack(source, () -> {
      Program parsed = Parser.parseOrThrow(source);
      Program ast = parsed;
      if (!includes.isEmpty()) {
        List<String> all = new ArrayList<>();
        for (String f : includes) all.add("<" + f + ">");
        all.addAll(parsed.includes());
        ast = new Program(all, parsed.decls(), parsed.config(), parsed.functions(), parsed.macros(), parsed.probes(), parsed.span());
      }
      TypedProgram typed = Analyzer.analyze(ast, source, kernel, settings, params);
      return CodeGen.generate(typed, options);
    });
  }

  /** A compilation step. */
  private interface Step<T> { T run() throws CompileException; }

  /** The stack the compiler runs on: reserved, not committed, so only a script that nests deeply uses it. */
  private static final long STACK = 512L << 20;

  /**
   * Runs {@code step} on a thread with a deep stack: the passes recurse over the syntax tree, and a generated
   * script may chain thousands of operators ({@code $a + $b + ...}) into one expression. A script deeper still is
   * refused with a diagnostic.
   */
  private static <T> T onDeepStack(Source source, Step<T> step) throws CompileException {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = step.run();
      } catch (StackOverflowError e) {
        failure[0] = new CompileException(Diagnostic.error(new Span(source, 0, 0),
            "the script nests expressions or statements too deeply to compile"));
      } catch (CompileException | RuntimeException | Error e) {
        failure[0] = e;
      }
    }, "jbpf-compiler", STACK);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    switch (failure[0]) {
      case null -> {}
      case CompileException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(failure[0]);
    }
    @SuppressWarnings("unchecked") T r = (T) result[0];
    return r;
  }
}
