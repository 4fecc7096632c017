package jbpf.vm;

/**
 * A verified program stopped before its {@code exit}: it ran out of budget, a helper failed, or the context it
 * was given does not fit. Callers switch on {@link #kind()}.
 */
public final class VmFault extends RuntimeException {
  /** Why a run stopped. */
  public enum Kind {
    /** The program took more backward jumps than its budget allows. */
    BUDGET,
    /** A memory access through a pointer that the verifier could not pin to one region went out of bounds. */
    MEMORY,
    /** A helper function failed or was called with arguments it rejects. */
    HELPER,
    /** The context segment is smaller than the program was verified for, or read-only when it must be writable. */
    CONTEXT
  }

  private final Kind kind;

  public VmFault(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public VmFault(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  /** {@return why the run stopped} */
  public Kind kind() { return kind; }
}
