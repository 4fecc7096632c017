package jbpf.runtime;

import jbpf.source.Span;
import jbpf.spec.ProgramSpec;
import jbpf.sys.VerifierException;

/**
 * The kernel verifier refused one of a script's programs: the program, the probe it implements, and the span
 * of script the failing instruction was generated from, if the log names one.
 */
public final class ProgramRejectedException extends RuntimeException {
  private final ProgramSpec program;
  private final String probe;
  private final VerifierException verifier;

  ProgramRejectedException(ProgramSpec program, String probe, VerifierException verifier) {
    super("the kernel verifier rejected " + probe + ": " + verifier.errno(), verifier);
    this.program = program;
    this.probe = probe;
    this.verifier = verifier;
  }

  /** {@return the program the verifier refused} */
  public ProgramSpec program() { return program; }

  /** {@return the full name of the probe it implements} */
  public String probe() { return probe; }

  /** {@return the verifier's verdict and log} */
  public VerifierException verifier() { return verifier; }

  /** {@return the span of script the failing instruction came from, or {@code null}} */
  public Span span() {
    if (verifier.failingInsn().isEmpty()) return null;
    int idx = program.code().indexAtSlot(verifier.failingInsn().getAsInt());
    return idx < 0 ? null : program.code().spans().get(idx);
  }
}
