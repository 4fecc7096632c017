package jbpf.lang.codegen;

/**
 * The BPF stack of one program (512 bytes below r10), handed out like a stack: {@link #mark()} before a
 * statement's temporaries, {@link #release(int)} after. Every slot is 8-byte aligned.
 */
final class Frame {
  static final int LIMIT = 512;

  private int top;      // bytes in use, growing down from r10
  private int peak;

  /** {@return the r10-relative offset of {@code size} fresh bytes} @throws StackFullException past 512 bytes */
  int alloc(int size) {
    int rounded = (Math.max(size, 1) + 7) & ~7;
    if (top + rounded > LIMIT) throw new StackFullException(top + rounded);
    top += rounded;
    peak = Math.max(peak, top);
    return -top;
  }

  /** {@return a mark to {@link #release} back to} */
  int mark() { return top; }

  /** Frees everything allocated since {@code mark}. */
  void release(int mark) { top = mark; }

  /** {@return the most bytes ever in use} */
  int peak() { return peak; }

  /** The program needs more than the kernel's 512 bytes of stack. */
  static final class StackFullException extends RuntimeException {
    StackFullException(int bytes) { super("needs " + bytes + " bytes of BPF stack; the kernel allows " + LIMIT); }
  }
}
