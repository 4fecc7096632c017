package jbpf.lang.sema;

import java.util.function.Consumer;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Probe;
import jbpf.lang.ast.Stmt;

/** Visits every expression of a probe, predicate included, in source order. */
final class AstWalker {
  private AstWalker() {}

  static void walk(Probe p, Consumer<Expr> visit) {
    if (p.predicate() != null) expr(p.predicate(), visit);
    stmt(p.body(), visit);
  }

  static void stmt(Stmt s, Consumer<Expr> v) {
    switch (s) {
      case Stmt.Block b -> b.stmts().forEach(x -> stmt(x, v));
      case Stmt.ExprStmt e -> expr(e.expr(), v);
      case Stmt.Assign a -> { expr(a.target(), v); expr(a.value(), v); }
      case Stmt.VarDecl d -> { if (d.value() != null) expr(d.value(), v); }
      case Stmt.If i -> { expr(i.cond(), v); stmt(i.then(), v); if (i.otherwise() != null) stmt(i.otherwise(), v); }
      case Stmt.Unroll u -> { expr(u.count(), v); stmt(u.body(), v); }
      case Stmt.While w -> { expr(w.cond(), v); stmt(w.body(), v); }
      case Stmt.ForMap f -> { expr(f.map(), v); stmt(f.body(), v); }
      case Stmt.ForRange f -> { expr(f.start(), v); expr(f.end(), v); stmt(f.body(), v); }
      case Stmt.Return r -> { if (r.value() != null) expr(r.value(), v); }
      case Stmt.Break b -> {}
      case Stmt.Continue c -> {}
    }
  }

  static void expr(Expr e, Consumer<Expr> v) {
    v.accept(e);
    switch (e) {
      case Expr.Int i -> {}
      case Expr.Str s -> {}
      case Expr.Bool b -> {}
      case Expr.Positional p -> {}
      case Expr.Ident i -> {}
      case Expr.Var x -> {}
      case Expr.Map m -> m.keys().forEach(k -> expr(k, v));
      case Expr.Call c -> c.args().forEach(a -> expr(a, v));
      case Expr.Binary b -> { expr(b.left(), v); expr(b.right(), v); }
      case Expr.Unary u -> expr(u.operand(), v);
      case Expr.Update u -> expr(u.target(), v);
      case Expr.Ternary t -> { expr(t.cond(), v); expr(t.then(), v); expr(t.otherwise(), v); }
      case Expr.Field f -> expr(f.base(), v);
      case Expr.TupleIndex t -> expr(t.base(), v);
      case Expr.Index i -> { expr(i.base(), v); expr(i.index(), v); }
      case Expr.Cast c -> expr(c.operand(), v);
      case Expr.Sizeof s -> { if (s.operand() != null) expr(s.operand(), v); }
      case Expr.Offsetof o -> { if (o.operand() != null) expr(o.operand(), v); }
      case Expr.Tuple t -> t.elements().forEach(x -> expr(x, v));
    }
  }
}
