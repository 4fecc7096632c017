package jbpf.vm.verify;

/**
 * What the verifier knows about one register or spilled stack slot: its kind and, for numbers, the unsigned and
 * signed range of its value; for pointers, the signed range of the offset into the region they point at.
 *
 * @param id the stack frame ({@code STACK}), map descriptor ({@code MAP*}) or size ({@code MEM*})
 * @param tag identifies copies of one maybe-null pointer, so a null check refines them all; for ring buffer
 *     records also the acquired reference; 0 for none
 */
record Val(Kind kind, int id, int tag, long umin, long umax, long smin, long smax) {
  enum Kind { NOT_INIT, SCALAR, CTX, STACK, MAP_VALUE, MAP_VALUE_OR_NULL, MAP, MEM, MEM_OR_NULL }

  static final long LIMIT = 1L << 40;   // beyond this a pointer offset counts as unbounded
  static final Val NOT_INIT = new Val(Kind.NOT_INIT, 0, 0, 0, 0, 0, 0);
  static final Val UNKNOWN = new Val(Kind.SCALAR, 0, 0, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE);
  static final Val UNKNOWN32 = range(0, 0xffff_ffffL);

  static Val constant(long v) { return new Val(Kind.SCALAR, 0, 0, v, v, v, v); }

  /** {@return an unsigned range} */
  static Val range(long umin, long umax) { return scalar(umin, umax, Long.MIN_VALUE, Long.MAX_VALUE); }

  /** {@return a signed range} */
  static Val signed(long smin, long smax) { return scalar(0, -1, smin, smax); }

  /** {@return a number in both ranges, each tightened by the other; {@code null} if they have no value in common} */
  static Val scalar(long umin, long umax, long smin, long smax) {
    if (Long.compareUnsigned(umin, umax) > 0 || smin > smax) return null;
    for (int round = 0; round < 2; round++) {
      if ((umin ^ umax) >= 0) {   // the unsigned range does not cross the sign bit
        smin = Math.max(smin, umin);
        smax = Math.min(smax, umax);
      }
      if ((smin ^ smax) >= 0) {   // the signed range does not cross zero
        if (Long.compareUnsigned(smin, umin) > 0) umin = smin;
        if (Long.compareUnsigned(smax, umax) < 0) umax = smax;
      }
      if (Long.compareUnsigned(umin, umax) > 0 || smin > smax) return null;
    }
    return new Val(Kind.SCALAR, 0, 0, umin, umax, smin, smax);
  }

  /** {@return a pointer of {@code kind} with offsets {@code smin..smax}} */
  static Val pointer(Kind kind, int id, int tag, long smin, long smax) {
    if (smin < -LIMIT || smax > LIMIT) { smin = Long.MIN_VALUE; smax = Long.MAX_VALUE; }
    return new Val(kind, id, tag, 0, -1, smin, smax);
  }

  boolean isInit() { return kind != Kind.NOT_INIT; }

  boolean isScalar() { return kind == Kind.SCALAR; }

  boolean isPointer() { return kind != Kind.NOT_INIT && kind != Kind.SCALAR; }

  boolean isConst() { return kind == Kind.SCALAR && umin == umax; }

  boolean isNullable() { return kind == Kind.MAP_VALUE_OR_NULL || kind == Kind.MEM_OR_NULL; }

  boolean bounded() { return smin != Long.MIN_VALUE && smax != Long.MAX_VALUE; }

  /** {@return this pointer with its offset moved by {@code lo..hi}} */
  Val offsetBy(long lo, long hi) {
    if (!bounded() || lo < -LIMIT || hi > LIMIT) return pointer(kind, id, tag, Long.MIN_VALUE, Long.MAX_VALUE);
    return pointer(kind, id, tag, smin + lo, smax + hi);
  }

  /** {@return a value that covers both; with {@code widen}, bounds that moved go to their extremes} */
  static Val join(Val a, Val b, boolean widen) {
    if (a.equals(b)) return a;
    if (!a.isInit() || !b.isInit()) return NOT_INIT;
    if (a.isScalar() && b.isScalar()) {
      long umin = Long.compareUnsigned(a.umin, b.umin) <= 0 ? a.umin : b.umin;
      long umax = Long.compareUnsigned(a.umax, b.umax) >= 0 ? a.umax : b.umax;
      long smin = Math.min(a.smin, b.smin), smax = Math.max(a.smax, b.smax);
      if (widen) {
        if (umin != a.umin) umin = 0;
        if (umax != a.umax) umax = -1;
        if (smin != a.smin) smin = Long.MIN_VALUE;
        if (smax != a.smax) smax = Long.MAX_VALUE;
      }
      return scalar(umin, umax, smin, smax);
    }
    if (a.kind == b.kind && a.id == b.id && (a.tag == b.tag || a.kind == Kind.MAP_VALUE_OR_NULL || a.kind == Kind.MAP_VALUE)) {
      long smin = Math.min(a.smin, b.smin), smax = Math.max(a.smax, b.smax);
      if (widen) {
        if (smin != a.smin) smin = Long.MIN_VALUE;
        if (smax != a.smax) smax = Long.MAX_VALUE;
      }
      return pointer(a.kind, a.id, a.tag == b.tag ? a.tag : 0, smin, smax);
    }
    return UNKNOWN;
  }

  /** {@return how verifier messages name this kind of value} */
  String describe() {
    return switch (kind) {
      case NOT_INIT -> "uninitialised";
      case SCALAR -> isConst() ? "the number " + umin : "a number";
      case CTX -> "a context pointer";
      case STACK -> "a stack pointer";
      case MAP_VALUE -> "a map value pointer";
      case MAP_VALUE_OR_NULL -> "a map value pointer that may be NULL";
      case MAP -> "a map reference";
      case MEM -> "a ring buffer record pointer";
      case MEM_OR_NULL -> "a ring buffer record pointer that may be NULL";
    };
  }
}
