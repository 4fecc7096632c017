package jbpf.vm.filter;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import jbpf.asm.Bytecode;
import jbpf.lang.ast.Expr;
import jbpf.lang.parse.Parser;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.vm.Context;
import jbpf.vm.Engine;
import jbpf.vm.Helpers;
import jbpf.vm.Vm;
import jbpf.vm.VmProgram;
import jbpf.vm.jit.JitCompiler;
import jbpf.vm.verify.VerifyException;

/**
 * A compiled event filter: a predicate over an {@link EventLayout}, turned into eBPF, verified and compiled to a
 * JVM class. Thread-safe. The compiled class extends this one, so {@link #test} runs the program with no object in
 * between; instances come only from {@link #compile}.
 *
 * <pre>{@code
 * EventFilter f = EventFilter.compile("foo == 42 && pid != 0 && comm == \"myapp\"", layout);
 * if (f.test(event)) record(event);
 * }</pre>
 */
public abstract class EventFilter implements Engine {
  private final Compiled compiled;

  /** What a filter keeps besides its code. */
  private record Compiled(Bytecode code, VmProgram program) {}

  /** For the JIT's subclass: {@code compiled} is what {@link #compile} passes it. */
  protected EventFilter(Object compiled) {
    if (!(compiled instanceof Compiled c)) throw new IllegalArgumentException("event filters are made by EventFilter.compile");
    this.compiled = c;
  }

  /**
   * {@return the filter for {@code expression}}, e.g. {@code pid != 0 && comm == "myapp"}
   *
   * @throws CompileException with the location, source line and a hint when the expression is malformed, names
   *     an unknown field or mixes types
   */
  public static EventFilter compile(String expression, EventLayout layout) throws CompileException {
    return compile(Parser.parseExpression(new Source("filter", expression)), layout);
  }

  /** {@return the filter for a predicate already parsed into the bpftrace AST} @throws CompileException */
  public static EventFilter compile(Expr predicate, EventLayout layout) throws CompileException {
    Bytecode code = FilterCompiler.compile(predicate, layout);
    VmProgram p;
    try {
      p = Vm.builder().helpers(Helpers.none()).build().load(code, Context.readOnly(layout.size()));
    } catch (VerifyException e) {
      throw new IllegalStateException("the filter compiler emitted code the verifier rejects: " + e.getMessage(), e);
    }
    return JitCompiler.compile(p, EventFilter.class, new Compiled(code, p));
  }

  /**
   * {@return the filter program's r0 for {@code event}: 1 if it passes, 0 if not}
   *
   * @throws jbpf.vm.VmFault if it is smaller than the layout
   */
  @Override public abstract long run(MemorySegment event);

  /** {@return whether {@code event} passes} @throws jbpf.vm.VmFault if it is smaller than the layout */
  public final boolean test(MemorySegment event) { return run(event) != 0; }

  /** {@return whether the event in {@code event}'s remaining bytes passes} */
  public final boolean test(ByteBuffer event) { return run(MemorySegment.ofBuffer(event)) != 0; }

  /** {@return the eBPF the filter runs} */
  public final Bytecode bytecode() { return compiled.code(); }

  /** {@return the verified program, for running it in the interpreter} */
  public final VmProgram program() { return compiled.program(); }

  /** {@return the event size the filter reads} */
  public final int eventSize() { return (int) compiled.program().context().size(); }
}
