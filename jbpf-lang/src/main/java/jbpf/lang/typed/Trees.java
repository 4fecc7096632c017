package jbpf.lang.typed;

import java.util.ArrayList;
import java.util.List;

/** The children of typed-tree nodes, for passes that look at every node of a kind. */
public final class Trees {
  private Trees() {}

  /** {@return the direct subexpressions of {@code e}, in evaluation order} */
  public static List<TExpr> children(TExpr e) {
    return switch (e) {
      case TExpr.Const c -> List.of();
      case TExpr.StrConst s -> List.of();
      case TExpr.BuiltinRef b -> List.of();
      case TExpr.CtxField f -> List.of();
      case TExpr.CtxMemory m -> List.of();
      case TExpr.ProbeFunction f -> List.of();
      case TExpr.VarRef v -> List.of();
      case TExpr.MapGet m -> m.key() == null ? List.of() : List.of(m.key());
      case TExpr.Binary b -> List.of(b.left(), b.right());
      case TExpr.Unary u -> List.of(u.operand());
      case TExpr.Ternary t -> List.of(t.cond(), t.then(), t.otherwise());
      case TExpr.Cast c -> List.of(c.operand());
      case TExpr.TupleOf t -> t.elements();
      case TExpr.TupleGet t -> List.of(t.tuple());
      case TExpr.Update u -> List.of(u.target());
      case TExpr.Deref d -> List.of(d.pointer());
      case TExpr.FieldOf f -> List.of(f.base());
      case TExpr.IndexOf i -> List.of(i.base(), i.index());
      case TExpr.AddrOf a -> List.of(a.place());
      case TExpr.Seq s -> List.of(s.value());
      case TExpr.CallFn c -> c.args();
      case TExpr.Call c -> c.args();
      case TExpr.MapCall m -> m.key() == null ? List.of() : List.of(m.key());
    };
  }

  /** {@return the statements an expression contains: those of a {@link TExpr.Seq}} */
  public static List<TStmt> statements(TExpr e) {
    return e instanceof TExpr.Seq s ? s.stmts() : List.of();
  }

  /** {@return the expressions {@code s} evaluates itself, not those of nested statements, in order} */
  public static List<TExpr> exprs(TStmt s) {
    List<TExpr> out = new ArrayList<>();
    switch (s) {
      case TStmt.Block b -> {}
      case TStmt.Eval e -> out.add(e.expr());
      case TStmt.VarStore v -> out.add(v.value());
      case TStmt.MapStore m -> { if (m.key() != null) out.add(m.key()); out.add(m.value()); }
      case TStmt.Aggregate a -> { if (a.key() != null) out.add(a.key()); out.addAll(a.args()); }
      case TStmt.MapDelete d -> { if (d.key() != null) out.add(d.key()); }
      case TStmt.If i -> out.add(i.cond());
      case TStmt.While w -> out.add(w.cond());
      case TStmt.Break b -> {}
      case TStmt.Continue c -> {}
      case TStmt.Return r -> { if (r.value() != null) out.add(r.value()); }
      case TStmt.Emit e -> out.addAll(e.args());
      case TStmt.ForRange f -> { out.add(f.start()); out.add(f.end()); }
      case TStmt.ForMap f -> {}
      case TStmt.MapCompound m -> { if (m.key() != null) out.add(m.key()); out.add(m.value()); }
    }
    return out;
  }

  /** {@return the statements nested directly in {@code s}} */
  public static List<TStmt> nested(TStmt s) {
    return switch (s) {
      case TStmt.Block b -> b.stmts();
      case TStmt.If i -> i.otherwise() == null ? List.of(i.then()) : List.of(i.then(), i.otherwise());
      case TStmt.While w -> List.of(w.body());
      case TStmt.ForRange f -> List.of(f.body());
      case TStmt.ForMap f -> List.of(f.body());
      default -> List.of();
    };
  }
}
