package jbpf.vm.verify;

import jbpf.asm.Insn;

/**
 * The userspace verifier rejected a program: {@link #index()} names the instruction, {@link #reason()} says why
 * in plain words. The message reads {@code instruction 3: (79) r0 = *(u64 *)(r1 +8): invalid context access ...}.
 */
public final class VerifyException extends Exception {
  private final int index;
  private final String reason;

  /** @param index the instruction index, or -1 when the whole program is at fault */
  public VerifyException(int index, Insn insn, String reason) {
    super((index >= 0 ? "instruction " + index + (insn != null ? ": " + insn : "") + ": " : "") + reason, null, false, false);
    this.index = index;
    this.reason = reason;
  }

  /** {@return the index of the rejected instruction, or -1 when the whole program is at fault} */
  public int index() { return index; }

  /** {@return why the program was rejected} */
  public String reason() { return reason; }
}
