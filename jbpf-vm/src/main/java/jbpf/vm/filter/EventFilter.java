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
import jbpf.vm.verify.VerifyException;

/**
 * A compiled event filter: a predicate over an {@link EventLayout}, turned into eBPF, verified and compiled to a
 * JVM class. Thread-safe.
 *
 * <pre>{@code
 * EventFilter f = EventFilter.compile("foo == 42 && pid != 0 && comm == \"myapp\"", layout);
 * if (f.test(event)) record(event);
 * }</pre>
 */
public final class EventFilter {
  private final Bytecode code;
  private final VmProgram program;
  private final Engine engine;
  private final int size;

  private EventFilter(Bytecode code, VmProgram program) {
    this.code = code;
    this.program = program;
    this.engine = program.jit();
    this.size = (int) program.context().size();
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
    try {
      VmProgram p = Vm.builder().helpers(Helpers.none()).build().load(code, Context.readOnly(layout.size()));
      return new EventFilter(code, p);
    } catch (VerifyException e) {
      throw new IllegalStateException("the filter compiler emitted code the verifier rejects: " + e.getMessage(), e);
    }
  }

  /** {@return whether {@code event} passes} @throws jbpf.vm.VmFault if it is smaller than the layout */
  public boolean test(MemorySegment event) { return engine.run(event) != 0; }

  /** {@return whether the event in {@code event}'s remaining bytes passes} */
  public boolean test(ByteBuffer event) { return engine.run(MemorySegment.ofBuffer(event)) != 0; }

  /** {@return the eBPF the filter runs} */
  public Bytecode bytecode() { return code; }

  /** {@return the verified program, for running it in the interpreter} */
  public VmProgram program() { return program; }

  /** {@return the event size the filter reads} */
  public int eventSize() { return size; }
}
