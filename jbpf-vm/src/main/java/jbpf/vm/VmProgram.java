package jbpf.vm;

import java.lang.foreign.MemorySegment;
import java.util.List;
import jbpf.asm.Insn;
import jbpf.vm.interp.Interpreter;
import jbpf.vm.jit.JitCompiler;
import jbpf.vm.verify.Verification;

/** A verified program, ready to run in the {@link #interpreter()} or as JVM bytecode ({@link #jit()}). */
public final class VmProgram {
  private final Vm vm;
  private final Context context;
  private final Verification verification;
  private volatile Engine interpreter;
  private volatile Engine jit;

  VmProgram(Vm vm, Context context, Verification verification) {
    this.vm = vm;
    this.context = context;
    this.verification = verification;
  }

  /** {@return the VM the program was loaded into} */
  public Vm vm() { return vm; }

  /** {@return the context the program was verified for} */
  public Context context() { return context; }

  /** {@return what the verifier proved} */
  public Verification verification() { return verification; }

  /** {@return the instructions, with map references as descriptors} */
  public List<Insn> insns() { return verification.insns(); }

  /** {@return the interpreter for this program} */
  public Engine interpreter() {
    Engine e = interpreter;
    if (e == null) interpreter = e = new Interpreter(this);
    return e;
  }

  /** {@return this program compiled to a hidden JVM class, compiling it on first use} */
  public Engine jit() {
    Engine e = jit;
    if (e == null) {
      synchronized (this) {
        e = jit;
        if (e == null) jit = e = JitCompiler.compile(this);
      }
    }
    return e;
  }

  /** Runs the program with the JIT. {@return r0} @throws VmFault if the run stops early */
  public long run(MemorySegment ctx) { return jit().run(ctx); }
}
