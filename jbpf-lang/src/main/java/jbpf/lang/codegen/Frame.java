package jbpf.lang.codegen;

/**
 * The memory of one BPF function: its stack (512 bytes below r10 at most, shared with the functions it calls,
 * so a function gets a {@link #budget()} of it) and its region of the per-CPU scratch buffer, for values too big
 * for the stack. Both are handed out like a stack: {@link #mark()} before a statement's temporaries,
 * {@link #release(int)} after. Every slot is 8-byte aligned.
 *
 * <p>{@link #alloc(int)} always takes stack; {@link #allocMem(int)} takes stack while the value fits in the
 * budget and is not large, and scratch otherwise, so that the common case stays on the stack and scripts with
 * many strings or big tuples still compile.
 */
final class Frame {
  static final int LIMIT = 512;
  /** Values bigger than this go to scratch memory even when the stack has room. */
  static final int LARGE = 256;
  /** Bytes of stack kept free for small temporaries that must be on the stack. */
  static final int RESERVE = 64;

  private final int budget;
  private final int scratchBase;
  private int top;      // stack bytes in use, growing down from r10
  private int peak;
  private int scratchTop;
  private int scratchPeak;

  /**
   * @param budget the stack this function may use for values it could keep in scratch memory instead
   * @param scratchBase where this function's region of the scratch buffer starts
   */
  Frame(int budget, int scratchBase) {
    this.budget = budget;
    this.scratchBase = scratchBase;
  }

  Frame() { this(LIMIT, 0); }

  /** {@return the r10-relative offset of {@code size} fresh bytes of stack} @throws StackFullException past 512 bytes */
  int alloc(int size) {
    int rounded = (Math.max(size, 1) + 7) & ~7;
    if (top + rounded > LIMIT) throw new StackFullException(top + rounded);
    top += rounded;
    peak = Math.max(peak, top);
    return -top;
  }

  /** {@return {@code size} fresh bytes: stack if they fit the budget, scratch memory otherwise} */
  Mem allocMem(int size) {
    int rounded = (Math.max(size, 1) + 7) & ~7;
    if (rounded <= LARGE && top + rounded <= Math.min(budget, LIMIT - RESERVE)) return Mem.stack(alloc(size));
    int at = scratchBase + scratchTop;
    scratchTop += rounded;
    scratchPeak = Math.max(scratchPeak, scratchTop);
    return Mem.scratch(at);
  }

  /** {@return a mark to {@link #release} back to} */
  int mark() { return scratchTop << 10 | top; }

  /** Frees everything allocated since {@code mark}. */
  void release(int mark) {
    top = mark & 0x3ff;
    scratchTop = mark >>> 10;
  }

  /** {@return the most stack bytes ever in use} */
  int peak() { return peak; }

  /** {@return the end of the scratch memory this function used: its base plus its peak} */
  int scratchEnd() { return scratchBase + scratchPeak; }

  /** {@return whether this function used scratch memory} */
  boolean usesScratch() { return scratchPeak > 0; }

  /** {@return the stack this function may fill with values that could live in scratch memory} */
  int budget() { return budget; }

  /**
   * A place in the function's own memory.
   *
   * @param scratch whether it is in the scratch buffer (at {@code off} from its start) rather than on the stack
   *     ({@code off} from r10, negative)
   */
  record Mem(boolean scratch, int off) {
    static Mem stack(int off) { return new Mem(false, off); }

    static Mem scratch(int off) { return new Mem(true, off); }

    Mem plus(int n) { return new Mem(scratch, off + n); }
  }

  /** The program needs more than the kernel's 512 bytes of stack. */
  static final class StackFullException extends RuntimeException {
    StackFullException(int bytes) { super("needs " + bytes + " bytes of BPF stack; the kernel allows " + LIMIT); }
  }
}
