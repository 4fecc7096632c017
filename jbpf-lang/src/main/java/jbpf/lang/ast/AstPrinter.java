package jbpf.lang.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints a syntax tree compactly, one line per top-level item, with operators as prefix S-expressions:
 * <pre>
 * #include &lt;linux/sched.h&gt;
 * (struct foo (int a) (char[8] b))
 * kprobe:vfs_read /(== pid 1)/ { (= @bytes[comm] (+ @bytes[comm] (cast &lt;uint64&gt; arg2))); printf("%d\n", pid) }
 * </pre>
 * Statements in a block are separated by {@code ;}, types are written in angle brackets, {@code (. e f)} and
 * {@code (-> e f)} are field accesses, {@code ([] e i)} indexing, {@code (++ $x)} and {@code ($x ++)} pre- and
 * post-increment.
 */
public final class AstPrinter {
  private AstPrinter() {}

  /** {@return {@code node} printed; a {@link Program} gives one line per include, declaration and probe} */
  public static String print(Node node) {
    StringBuilder out = new StringBuilder();
    new AstPrinter().node(node, out);
    return out.toString();
  }

  private void node(Node node, StringBuilder out) {
    switch (node) {
      case Program p -> program(p, out);
      case Probe p -> probe(p, out);
      case AttachPoint a -> out.append(a.raw());
      case Stmt s -> stmt(s, out);
      case Expr e -> expr(e, out);
      case TypeName t -> out.append('<').append(t).append('>');
      case Decl d -> decl(d, out);
      case ConfigEntry c -> {
        out.append('(').append(c.key()).append(' ');
        expr(c.value(), out);
        out.append(')');
      }
    }
  }

  private void program(Program p, StringBuilder out) {
    for (String include : p.includes()) out.append("#include ").append(include).append('\n');
    for (Decl d : p.decls()) {
      decl(d, out);
      out.append('\n');
    }
    if (!p.config().isEmpty()) {
      out.append("(config");
      for (ConfigEntry c : p.config()) {
        out.append(' ');
        node(c, out);
      }
      out.append(")\n");
    }
    for (Decl.Function f : p.functions()) {
      decl(f, out);
      out.append('\n');
    }
    for (Decl.Macro m : p.macros()) {
      decl(m, out);
      out.append('\n');
    }
    for (Probe probe : p.probes()) {
      probe(probe, out);
      out.append('\n');
    }
  }

  private void probe(Probe p, StringBuilder out) {
    out.append(p.attachPoints().stream().map(AttachPoint::raw).collect(Collectors.joining(", ")));
    if (p.predicate() != null) {
      out.append(" /");
      expr(p.predicate(), out);
      out.append('/');
    }
    out.append(' ');
    stmt(p.body(), out);
  }

  private void decl(Decl d, StringBuilder out) {
    switch (d) {
      case Decl.Struct s -> {
        out.append('(').append(s.union() ? "union " : "struct ").append(s.name());
        for (Decl.Field f : s.fields()) {
          out.append(" (").append(f.type());
          if (!f.name().isEmpty()) out.append(' ').append(f.name());
          if (f.bitWidth() >= 0) out.append(" : ").append(f.bitWidth());
          out.append(')');
        }
        out.append(')');
      }
      case Decl.Enum e -> {
        out.append("(enum ").append(e.name());
        for (Decl.Enumerator v : e.values()) {
          out.append(" (").append(v.name());
          if (v.value() != null) {
            out.append(' ');
            expr(v.value(), out);
          }
          out.append(')');
        }
        out.append(')');
      }
      case Decl.Typedef t -> out.append("(typedef <").append(t.type()).append("> ").append(t.name()).append(')');
      case Decl.Function f -> {
        out.append("(fn ").append(f.name()).append(" [");
        params(f.params(), out);
        out.append("] <").append(f.returnType()).append("> ");
        stmt(f.body(), out);
        out.append(')');
      }
      case Decl.Macro m -> {
        out.append("(macro ").append(m.name()).append(" [");
        params(m.params(), out);
        out.append("] ");
        stmt(m.body(), out);
        out.append(')');
      }
    }
  }

  private static void params(List<Decl.Param> params, StringBuilder out) {
    for (int i = 0; i < params.size(); i++) {
      if (i > 0) out.append(", ");
      Decl.Param p = params.get(i);
      out.append(p.name());
      if (p.type() != null) out.append(" <").append(p.type()).append('>');
    }
  }

  private void stmt(Stmt s, StringBuilder out) {
    switch (s) {
      case Stmt.Block b -> {
        if (b.stmts().isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{ ");
        for (int i = 0; i < b.stmts().size(); i++) {
          if (i > 0) out.append("; ");
          stmt(b.stmts().get(i), out);
        }
        out.append(" }");
      }
      case Stmt.ExprStmt e -> expr(e.expr(), out);
      case Stmt.Assign a -> {
        out.append('(').append(a.op() == null ? "" : a.op().symbol()).append("= ");
        expr(a.target(), out);
        out.append(' ');
        expr(a.value(), out);
        out.append(')');
      }
      case Stmt.VarDecl v -> {
        out.append("(let $").append(v.name());
        if (v.type() != null) out.append(" <").append(v.type()).append('>');
        if (v.value() != null) {
          out.append(' ');
          expr(v.value(), out);
        }
        out.append(')');
      }
      case Stmt.If i -> {
        out.append("(if ");
        expr(i.cond(), out);
        out.append(' ');
        stmt(i.then(), out);
        if (i.otherwise() != null) {
          out.append(' ');
          stmt(i.otherwise(), out);
        }
        out.append(')');
      }
      case Stmt.Unroll u -> {
        out.append("(unroll ");
        expr(u.count(), out);
        out.append(' ');
        stmt(u.body(), out);
        out.append(')');
      }
      case Stmt.While w -> {
        out.append("(while ");
        expr(w.cond(), out);
        out.append(' ');
        stmt(w.body(), out);
        out.append(')');
      }
      case Stmt.ForMap f -> {
        out.append("(for $").append(f.var()).append(' ');
        expr(f.map(), out);
        out.append(' ');
        stmt(f.body(), out);
        out.append(')');
      }
      case Stmt.ForRange f -> {
        out.append("(for $").append(f.var()).append(" (.. ");
        expr(f.start(), out);
        out.append(' ');
        expr(f.end(), out);
        out.append(") ");
        stmt(f.body(), out);
        out.append(')');
      }
      case Stmt.Break _ -> out.append("break");
      case Stmt.Continue _ -> out.append("continue");
      case Stmt.Return r -> {
        out.append("(return");
        if (r.value() != null) {
          out.append(' ');
          expr(r.value(), out);
        }
        out.append(')');
      }
    }
  }

  private void expr(Expr e, StringBuilder out) {
    switch (e) {
      case Expr.Int i -> out.append(i.unsigned() ? Long.toUnsignedString(i.value()) + "u" : Long.toString(i.value()));
      case Expr.Str s -> quote(s.value(), out);
      case Expr.Bool b -> out.append(b.value());
      case Expr.Positional p -> out.append(p.n() == 0 ? "$#" : "$" + p.n());
      case Expr.Ident i -> out.append(i.name());
      case Expr.Var v -> out.append('$').append(v.name());
      case Expr.Map m -> {
        out.append('@').append(m.name());
        if (!m.keys().isEmpty()) {
          out.append('[');
          list(m.keys(), out);
          out.append(']');
        }
      }
      case Expr.Call c -> {
        out.append(c.name()).append('(');
        list(c.args(), out);
        out.append(')');
      }
      case Expr.Binary b -> {
        out.append('(').append(b.op().symbol()).append(' ');
        expr(b.left(), out);
        out.append(' ');
        expr(b.right(), out);
        out.append(')');
      }
      case Expr.Unary u -> {
        out.append('(').append(u.op().symbol()).append(' ');
        expr(u.operand(), out);
        out.append(')');
      }
      case Expr.Update u -> {
        String op = u.increment() ? "++" : "--";
        out.append('(');
        if (u.prefix()) out.append(op).append(' ');
        expr(u.target(), out);
        if (!u.prefix()) out.append(' ').append(op);
        out.append(')');
      }
      case Expr.Ternary t -> {
        out.append("(? ");
        expr(t.cond(), out);
        out.append(' ');
        expr(t.then(), out);
        out.append(' ');
        expr(t.otherwise(), out);
        out.append(')');
      }
      case Expr.Field f -> {
        out.append('(').append(f.arrow() ? "->" : ".").append(' ');
        expr(f.base(), out);
        out.append(' ').append(f.field()).append(')');
      }
      case Expr.TupleIndex t -> {
        out.append("(. ");
        expr(t.base(), out);
        out.append(' ').append(t.index()).append(')');
      }
      case Expr.Index i -> {
        out.append("([] ");
        expr(i.base(), out);
        out.append(' ');
        expr(i.index(), out);
        out.append(')');
      }
      case Expr.Cast c -> {
        out.append("(cast <").append(c.type()).append("> ");
        expr(c.operand(), out);
        out.append(')');
      }
      case Expr.Sizeof s -> {
        out.append("(sizeof ");
        if (s.type() != null) out.append('<').append(s.type()).append('>');
        else expr(s.operand(), out);
        out.append(')');
      }
      case Expr.Offsetof o -> {
        out.append("(offsetof ");
        if (o.type() != null) out.append('<').append(o.type()).append('>');
        else expr(o.operand(), out);
        out.append(' ').append(String.join(".", o.fields())).append(')');
      }
      case Expr.Tuple t -> {
        out.append("(tuple");
        for (Expr x : t.elements()) {
          out.append(' ');
          expr(x, out);
        }
        out.append(')');
      }
    }
  }

  private void list(List<Expr> items, StringBuilder out) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) out.append(", ");
      expr(items.get(i), out);
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
