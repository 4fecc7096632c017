package jbpf.lang.sema;

import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.UnOp;
import jbpf.lang.typed.TExpr;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/**
 * Constant folding of typed expressions, with the semantics the generated code has at run time: 64-bit
 * registers, signed operations only when both operands are signed, division and remainder by zero giving 0 (as
 * in bpftrace), and shifts that use the low 6 bits of the count. The property test checks it
 * against the kernel.
 */
final class Folding {
  private Folding() {}

  /** {@return {@code e} with constant operands computed} */
  static TExpr fold(TExpr e) {
    return switch (e) {
      case TExpr.Binary(BinOp op, TExpr.Const(long a, Type at, Span s1), TExpr.Const(long b, Type bt, Span s2), Type t, Span span)
          when t instanceof Type.Int || t instanceof Type.Bool ->
          new TExpr.Const(result(apply(op, a, b, Type.signedPair(at, bt)), t), t, span);
      // Short circuits with one constant side: false && x is false, true || x is true.
      case TExpr.Binary(BinOp op, TExpr.Const(long a, Type at, Span s1), TExpr r, Type t, Span span) when op == BinOp.LAND && a == 0 ->
          new TExpr.Const(0, t, span);
      case TExpr.Binary(BinOp op, TExpr.Const(long a, Type at, Span s1), TExpr r, Type t, Span span) when op == BinOp.LOR && a != 0 ->
          new TExpr.Const(1, t, span);
      case TExpr.Unary(UnOp op, TExpr.Const(long a, Type at, Span s1), Type t, Span span) when op == UnOp.NEG || op == UnOp.BNOT || op == UnOp.LNOT ->
          new TExpr.Const(result(switch (op) { case NEG -> -a; case BNOT -> ~a; default -> a == 0 ? 1 : 0; }, t), t, span);
      case TExpr.Cast(TExpr.Const(long a, Type at, Span s1), Type.Int t, Span span) -> new TExpr.Const(truncate(a, t), t, span);
      case TExpr.Cast(TExpr.Const(long a, Type at, Span s1), Type.Bool t, Span span) -> new TExpr.Const(a != 0 ? 1 : 0, t, span);
      case TExpr.Ternary(TExpr.Const(long c, Type ct, Span s1), TExpr then, TExpr otherwise, Type t, Span span) -> c != 0 ? then : otherwise;
      default -> e;
    };
  }

  /** A 64-bit result, narrowed when the node's own type is narrower (a bool is 0 or 1 already). */
  private static long result(long v, Type t) { return t instanceof Type.Int i ? truncate(v, i) : v; }

  /** {@return {@code a op b} as the generated code computes it} */
  static long apply(BinOp op, long a, long b, boolean signed) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> b == 0 ? 0 : signed ? (a == Long.MIN_VALUE && b == -1 ? a : a / b) : Long.divideUnsigned(a, b);
      case MOD -> b == 0 ? 0 : signed ? (b == -1 ? 0 : a % b) : Long.remainderUnsigned(a, b);
      case BAND -> a & b;
      case BOR -> a | b;
      case BXOR -> a ^ b;
      case SHL -> a << (b & 63);
      case SHR -> signed ? a >> (b & 63) : a >>> (b & 63);
      case EQ -> a == b ? 1 : 0;
      case NE -> a != b ? 1 : 0;
      case LT -> compare(a, b, signed) < 0 ? 1 : 0;
      case LE -> compare(a, b, signed) <= 0 ? 1 : 0;
      case GT -> compare(a, b, signed) > 0 ? 1 : 0;
      case GE -> compare(a, b, signed) >= 0 ? 1 : 0;
      case LAND -> a != 0 && b != 0 ? 1 : 0;
      case LOR -> a != 0 || b != 0 ? 1 : 0;
    };
  }

  private static int compare(long a, long b, boolean signed) { return signed ? Long.compare(a, b) : Long.compareUnsigned(a, b); }

  /** {@return {@code v} truncated to the width of {@code t} and extended back by its sign} */
  static long truncate(long v, Type.Int t) {
    int bits = t.bytes() * 8;
    if (bits == 64) return v;
    long mask = (1L << bits) - 1;
    long m = v & mask;
    return t.signed() && (m & (1L << (bits - 1))) != 0 ? m | ~mask : m;
  }
}
