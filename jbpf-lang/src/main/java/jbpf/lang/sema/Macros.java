package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jbpf.lang.ast.Decl;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Stmt;
import jbpf.source.Span;

/**
 * Expands bpftrace macros ({@code macro name(x, $v, @m) { ... }}) by rewriting the body's syntax tree for one call:
 * an expression parameter {@code x} becomes the argument expression (evaluated wherever {@code x} appears), a
 * variable parameter {@code $v} becomes the caller's variable, a map parameter {@code @m} the caller's map. The
 * body's own variables are renamed apart, so they can neither see nor clobber the caller's: the macros are
 * hygienic. A renamed variable keeps its name up to a {@code #}, which {@link #displayName} strips for messages.
 */
final class Macros {
  /** What a macro call expands to, or why it cannot be expanded. */
  record Expansion(Stmt.Block body, String error, Span errorSpan) {}

  private final Map<String, Decl.Macro> macros = new HashMap<>();
  private int expansions;

  Macros(List<Decl.Macro> decls) {
    for (Decl.Macro m : decls) macros.putIfAbsent(m.name(), m);
  }

  /** {@return the macro named {@code name}, or {@code null}} */
  Decl.Macro get(String name) { return macros.get(name); }

  /** {@return {@code name} as the user wrote it: a variable renamed by an expansion loses its suffix} */
  static String displayName(String name) {
    int hash = name.indexOf('#');
    return hash < 0 ? name : name.substring(0, hash);
  }

  /** {@return the body of {@code m} for the call {@code call}} */
  Expansion expand(Decl.Macro m, List<Expr> args, Span callSpan) {
    if (args.size() != m.params().size()) {
      return new Expansion(null, "Macro '" + m.name() + "' expects " + m.params().size() + " argument" + (m.params().size() == 1 ? "" : "s")
          + " (" + args.size() + " provided)", callSpan);
    }
    Rewrite r = new Rewrite("#" + ++expansions);
    for (int i = 0; i < args.size(); i++) {
      Decl.Param p = m.params().get(i);
      Expr a = args.get(i);
      if (p.name().startsWith("$")) {
        if (!(a instanceof Expr.Var v)) return new Expansion(null, "Macro '" + m.name() + "' expects a scratch variable for " + p.name(), a.span());
        r.vars.put(p.name().substring(1), v.name());
      } else if (p.name().startsWith("@")) {
        if (!(a instanceof Expr.Map mm) || !mm.keys().isEmpty())
          return new Expansion(null, "Macro '" + m.name() + "' expects a map for " + p.name(), a.span());
        r.maps.put(p.name().substring(1), mm.name());
      } else {
        r.exprs.put(p.name(), a);
      }
    }
    Stmt.Block body = r.block(m.body());
    if (r.unhygienic != null) {
      return new Expansion(null, "Macro '" + m.name() + "' uses map @" + r.unhygienic.name() + ", which is not one of its parameters",
          r.unhygienic.span());
    }
    return new Expansion(body, null, null);
  }

  /** One expansion's substitutions. */
  private static final class Rewrite {
    final String suffix;
    final Map<String, String> vars = new HashMap<>();
    final Map<String, String> maps = new HashMap<>();
    final Map<String, Expr> exprs = new HashMap<>();
    Expr.Map unhygienic;

    Rewrite(String suffix) { this.suffix = suffix; }

    String var(String name) {
      String v = vars.get(name);
      return v != null ? v : name + suffix;
    }

    Expr.Map map(Expr.Map m) {
      String to = maps.get(m.name());
      if (to == null && unhygienic == null) unhygienic = m;
      return new Expr.Map(to != null ? to : m.name(), exprs(m.keys()), m.span());
    }

    Stmt.Block block(Stmt.Block b) {
      List<Stmt> out = new ArrayList<>(b.stmts().size());
      for (Stmt s : b.stmts()) out.add(stmt(s));
      return new Stmt.Block(out, b.span());
    }

    Stmt stmt(Stmt s) {
      return switch (s) {
        case Stmt.Block b -> block(b);
        case Stmt.ExprStmt e -> new Stmt.ExprStmt(expr(e.expr()), e.span());
        case Stmt.Assign a -> new Stmt.Assign(expr(a.target()), a.op(), expr(a.value()), a.span());
        case Stmt.VarDecl d -> new Stmt.VarDecl(var(d.name()), d.type(), d.value() == null ? null : expr(d.value()), d.span());
        case Stmt.If i -> new Stmt.If(expr(i.cond()), block(i.then()), i.otherwise() == null ? null : stmt(i.otherwise()), i.span());
        case Stmt.Unroll u -> new Stmt.Unroll(expr(u.count()), block(u.body()), u.span());
        case Stmt.While w -> new Stmt.While(expr(w.cond()), block(w.body()), w.span());
        case Stmt.ForMap f -> new Stmt.ForMap(var(f.var()), map(f.map()), block(f.body()), f.span());
        case Stmt.ForRange f -> new Stmt.ForRange(var(f.var()), expr(f.start()), expr(f.end()), block(f.body()), f.span());
        case Stmt.Break b -> b;
        case Stmt.Continue c -> c;
        case Stmt.Return r -> new Stmt.Return(r.value() == null ? null : expr(r.value()), r.span());
      };
    }

    List<Expr> exprs(List<Expr> es) {
      List<Expr> out = new ArrayList<>(es.size());
      for (Expr e : es) out.add(expr(e));
      return out;
    }

    Expr expr(Expr e) {
      return switch (e) {
        case Expr.Int i -> i;
        case Expr.Str s -> s;
        case Expr.Bool b -> b;
        case Expr.Positional p -> p;
        case Expr.Ident i -> exprs.containsKey(i.name()) ? exprs.get(i.name()) : i;
        case Expr.Var v -> new Expr.Var(var(v.name()), v.span());
        case Expr.Map m -> map(m);
        case Expr.Call c -> {
          // A macro's expression parameter may also be called like a zero-argument macro: x().
          if (c.args().isEmpty() && exprs.containsKey(c.name())) yield exprs.get(c.name());
          yield new Expr.Call(c.name(), exprs(c.args()), c.span());
        }
        case Expr.Binary b -> new Expr.Binary(b.op(), expr(b.left()), expr(b.right()), b.span());
        case Expr.Unary u -> new Expr.Unary(u.op(), expr(u.operand()), u.span());
        case Expr.Update u -> new Expr.Update(expr(u.target()), u.increment(), u.prefix(), u.span());
        case Expr.Ternary t -> new Expr.Ternary(expr(t.cond()), expr(t.then()), expr(t.otherwise()), t.span());
        case Expr.Field f -> new Expr.Field(expr(f.base()), f.field(), f.arrow(), f.span());
        case Expr.TupleIndex t -> new Expr.TupleIndex(expr(t.base()), t.index(), t.span());
        case Expr.Index i -> new Expr.Index(expr(i.base()), expr(i.index()), i.span());
        case Expr.Cast c -> new Expr.Cast(c.type(), expr(c.operand()), c.span());
        case Expr.Sizeof s -> new Expr.Sizeof(s.type(), s.operand() == null ? null : expr(s.operand()), s.span());
        case Expr.Offsetof o -> new Expr.Offsetof(o.type(), o.operand() == null ? null : expr(o.operand()), o.fields(), o.span());
        case Expr.Tuple t -> new Expr.Tuple(exprs(t.elements()), t.span());
      };
    }
  }
}
