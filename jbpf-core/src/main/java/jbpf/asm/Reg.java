package jbpf.asm;

/** An eBPF register: R0 (return value), R1–R5 (arguments), R6–R9 (callee-saved), R10 (frame pointer, read-only). */
public enum Reg {
  R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

  private static final Reg[] ALL = values();

  /** {@return the register's number, 0–10} */
  public int num() { return ordinal(); }

  /** {@return register {@code n}} @throws IllegalArgumentException if {@code n} is not 0–10 */
  public static Reg of(int n) {
    if (n < 0 || n >= ALL.length) throw new IllegalArgumentException("no register r" + n);
    return ALL[n];
  }

  @Override public String toString() { return "r" + ordinal(); }
}
