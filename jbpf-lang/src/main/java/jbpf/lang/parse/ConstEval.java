package jbpf.lang.parse;

import java.util.ArrayList;
import java.util.List;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Expr;

/** Evaluates the integer constant expressions the parser needs itself: array lengths, bit widths and {@code #if}. */
final class ConstEval {
  private ConstEval() {}

  /** {@return the value of {@code e} as a signed 64-bit integer, or {@code null} if it is not a constant} */
  static Long eval(Expr e) {
    return switch (e) {
      case Expr.Int i -> i.value();
      case Expr.Bool b -> b.value() ? 1L : 0L;
      case Expr.Unary u -> {
        Long v = eval(u.operand());
        if (v == null) yield null;
        yield switch (u.op()) {
          case NEG -> -v;
          case BNOT -> ~v;
          case LNOT -> v == 0 ? 1L : 0L;
          case DEREF, ADDR -> null;
        };
      }
      case Expr.Ternary t -> {
        Long c = eval(t.cond());
        yield c == null ? null : eval(c != 0 ? t.then() : t.otherwise());
      }
      case Expr.Binary b -> binary(b);
      default -> null;
    };
  }

  /** Folds a left-leaning chain such as {@code 1 + 2 + 3 + ...} without recursing once per operator. */
  private static Long binary(Expr.Binary top) {
    List<Expr.Binary> spine = new ArrayList<>();
    Expr e = top;
    while (e instanceof Expr.Binary b) {
      spine.add(b);
      e = b.left();
    }
    Long acc = eval(e);
    for (int i = spine.size() - 1; i >= 0 && acc != null; i--) {
      Expr.Binary b = spine.get(i);
      if (b.op() == BinOp.LAND && acc == 0) { acc = 0L; continue; }
      if (b.op() == BinOp.LOR && acc != 0) { acc = 1L; continue; }
      Long r = eval(b.right());
      acc = r == null ? null : apply(b.op(), acc, r);
    }
    return acc;
  }

  private static Long apply(BinOp op, long l, long r) {
    return switch (op) {
      case MUL -> l * r;
      case DIV -> r == 0 ? null : l / r;
      case MOD -> r == 0 ? null : l % r;
      case ADD -> l + r;
      case SUB -> l - r;
      case SHL -> r < 0 || r > 63 ? null : l << r;
      case SHR -> r < 0 || r > 63 ? null : l >> r;
      case LT -> l < r ? 1L : 0L;
      case LE -> l <= r ? 1L : 0L;
      case GT -> l > r ? 1L : 0L;
      case GE -> l >= r ? 1L : 0L;
      case EQ -> l == r ? 1L : 0L;
      case NE -> l != r ? 1L : 0L;
      case BAND -> l & r;
      case BXOR -> l ^ r;
      case BOR -> l | r;
      case LAND -> l != 0 && r != 0 ? 1L : 0L;
      case LOR -> l != 0 || r != 0 ? 1L : 0L;
    };
  }
}
