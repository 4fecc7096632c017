package jbpf.vm.verify;

import java.util.Arrays;

/** The verifier's knowledge at one point of a path: registers, the stack frames of the call chain, held references. */
final class State {
  static final int STACK = 512;
  static final byte UNINIT = 0, MISC = 1, SPILL = 2;

  /** One stack frame: for each byte whether it is initialised, and the registers spilled to aligned 8-byte slots. */
  static final class Frame {
    final int function;
    final byte[] bytes;
    final Val[] spills;

    Frame(int function) {
      this.function = function;
      this.bytes = new byte[STACK];
      this.spills = new Val[STACK / 8];
    }

    private Frame(Frame f) {
      this.function = f.function;
      this.bytes = f.bytes.clone();
      this.spills = f.spills.clone();
    }

    Frame copy() { return new Frame(this); }

    @Override public boolean equals(Object o) {
      return o instanceof Frame f && function == f.function && Arrays.equals(bytes, f.bytes) && Arrays.equals(spills, f.spills);
    }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }
  }

  final Val[] regs = new Val[11];
  Frame[] frames;
  int[] refs;

  State(Frame[] frames) {
    Arrays.fill(regs, Val.NOT_INIT);
    this.frames = frames;
    this.refs = new int[0];
  }

  State copy() {
    Frame[] f = new Frame[frames.length];
    for (int i = 0; i < f.length; i++) f[i] = frames[i].copy();
    State s = new State(f);
    System.arraycopy(regs, 0, s.regs, 0, regs.length);
    s.refs = refs;
    return s;
  }

  Frame frame() { return frames[frames.length - 1]; }

  /** Replaces every register and spill satisfying {@code match} by {@code with.apply(old)}. */
  void replace(java.util.function.Predicate<Val> match, java.util.function.UnaryOperator<Val> with) {
    for (int r = 0; r < regs.length; r++) if (match.test(regs[r])) regs[r] = with.apply(regs[r]);
    for (Frame f : frames)
      for (int s = 0; s < f.spills.length; s++) if (f.spills[s] != null && match.test(f.spills[s])) f.spills[s] = with.apply(f.spills[s]);
  }

  void acquire(int tag) {
    for (int r : refs) if (r == tag) return;
    int[] n = Arrays.copyOf(refs, refs.length + 1);
    n[refs.length] = tag;
    Arrays.sort(n);
    refs = n;
  }

  void release(int tag) {
    refs = Arrays.stream(refs).filter(r -> r != tag).toArray();
  }

  @Override public boolean equals(Object o) {
    return o instanceof State s && Arrays.equals(regs, s.regs) && Arrays.equals(frames, s.frames) && Arrays.equals(refs, s.refs);
  }

  @Override public int hashCode() { return Arrays.hashCode(regs); }
}
