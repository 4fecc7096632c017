package jbpf.lang.typed;

import java.util.List;
import jbpf.lang.types.Type;

/**
 * Prints a typed program for a user debugging a script ({@code jbpf -d}): its maps with their key and value
 * types, its functions, and each probe's predicate and statements, one per line, indented by block. Expressions
 * are S-expressions in which every value carries its type after a colon:
 * <pre>
 * map @opens: string[16] -&gt; count
 * probe tracepoint:syscalls:sys_enter_openat
 *   predicate (!= pid:uint32 0:int64):bool
 *   @opens[comm:string[16]] = count()
 * </pre>
 */
public final class TypedPrinter {
  private final StringBuilder out = new StringBuilder();

  private TypedPrinter() {}

  /** {@return {@code p} printed} */
  public static String print(TypedProgram p) {
    TypedPrinter t = new TypedPrinter();
    for (MapInfo m : p.maps()) {
      t.out.append("map ").append(m.name()).append(": ")
          .append(m.keyed() ? m.key() + " -> " : "").append(m.agg() != null ? m.agg().fn() : m.value().toString()).append('\n');
    }
    for (TypedProgram.TFunction f : p.functions()) {
      t.out.append("fn ").append(f.name()).append('(');
      for (int i = 0; i < f.params().size(); i++) {
        Variable v = f.params().get(i);
        t.out.append(i > 0 ? ", " : "").append(v).append(": ").append(v.type());
      }
      t.out.append("): ").append(f.returnType()).append('\n');
      t.block(f.body(), 1);
    }
    for (TypedProgram.TProbe probe : p.probes()) {
      t.out.append("probe ").append(probe.text());
      if (probe.attaches().size() > 1 || (probe.attaches().size() == 1 && !probe.attaches().getFirst().name().equals(probe.text())))
        t.out.append(" (").append(String.join(", ", probe.attaches().stream().map(a -> a.name()).toList())).append(')');
      t.out.append('\n');
      if (probe.predicate() != null) t.indent(1).append("predicate ").append(expr(probe.predicate())).append('\n');
      t.block(probe.body(), 1);
    }
    return t.out.toString();
  }

  /** {@return one expression printed} */
  public static String expr(TExpr e) {
    StringBuilder b = new StringBuilder();
    expr(e, b);
    return b.toString();
  }

  private StringBuilder indent(int depth) {
    out.append("  ".repeat(depth));
    return out;
  }

  private void block(TStmt s, int depth) {
    if (s instanceof TStmt.Block b) {
      for (TStmt x : b.stmts()) stmt(x, depth);
    } else {
      stmt(s, depth);
    }
  }

  private void stmt(TStmt s, int depth) {
    switch (s) {
      case TStmt.Block b -> {
        indent(depth).append("{\n");
        block(b, depth + 1);
        indent(depth).append("}\n");
      }
      case TStmt.Eval e -> indent(depth).append(expr(e.expr())).append('\n');
      case TStmt.VarStore v -> indent(depth).append(v.var()).append(':').append(v.var().type()).append(" = ").append(expr(v.value())).append('\n');
      case TStmt.MapStore m -> indent(depth).append(map(m.map(), m.key())).append(" = ").append(expr(m.value())).append('\n');
      case TStmt.MapCompound m -> indent(depth).append(map(m.map(), m.key())).append(' ').append(m.op().symbol()).append("= ")
          .append(expr(m.value())).append('\n');
      case TStmt.Aggregate a -> {
        indent(depth).append(map(a.map(), a.key())).append(" = ").append(a.kind().fn()).append('(');
        for (int i = 0; i < a.args().size(); i++) out.append(i > 0 ? ", " : "").append(expr(a.args().get(i)));
        out.append(")\n");
      }
      case TStmt.MapDelete d -> indent(depth).append("delete ").append(map(d.map(), d.key())).append('\n');
      case TStmt.If i -> {
        indent(depth).append("if ").append(expr(i.cond())).append('\n');
        block(i.then(), depth + 1);
        if (i.otherwise() != null) {
          indent(depth).append("else\n");
          block(i.otherwise(), depth + 1);
        }
      }
      case TStmt.While w -> {
        indent(depth).append("while ").append(expr(w.cond())).append('\n');
        block(w.body(), depth + 1);
      }
      case TStmt.ForRange f -> {
        indent(depth).append("for ").append(f.var()).append(':').append(f.var().type()).append(" in ").append(expr(f.start()))
            .append(" .. ").append(expr(f.end())).append('\n');
        block(f.body(), depth + 1);
      }
      case TStmt.ForMap f -> {
        indent(depth).append("for ").append(f.var()).append(':').append(f.var().type()).append(" in ").append(f.map().name()).append('\n');
        block(f.body(), depth + 1);
      }
      case TStmt.Break b -> indent(depth).append("break\n");
      case TStmt.Continue c -> indent(depth).append("continue\n");
      case TStmt.Return r -> indent(depth).append(r.value() == null ? "return" : "return " + expr(r.value())).append('\n');
      case TStmt.Emit e -> {
        indent(depth).append("emit ").append(event(e.event())).append('(');
        for (int i = 0; i < e.args().size(); i++) out.append(i > 0 ? ", " : "").append(expr(e.args().get(i)));
        out.append(")\n");
      }
    }
  }

  private static String event(AsyncEvent e) {
    return switch (e) {
      case AsyncEvent.Printf p -> "printf \"" + p.format().replace("\n", "\\n") + "\"";
      case AsyncEvent.PrintMap p -> "print " + p.map().name();
      case AsyncEvent.ClearMap c -> (c.zero() ? "zero " : "clear ") + c.map().name();
      case AsyncEvent.PrintValue p -> "print";
      case AsyncEvent.Exit x -> "exit";
      case AsyncEvent.Time t -> "time";
      case AsyncEvent.DeleteKey d -> "delete " + d.map().name();
      case AsyncEvent.SystemCommand c -> "system \"" + c.format().replace("\n", "\\n") + "\"";
      case AsyncEvent.Cat c -> "cat \"" + c.format().replace("\n", "\\n") + "\"";
      case AsyncEvent.Join j -> "join";
      case AsyncEvent.Message m -> (m.error() ? "errorf \"" : "warnf \"") + m.format().replace("\n", "\\n") + "\"";
      case AsyncEvent.Unwatch u -> "unwatch";
    };
  }

  private static String map(MapInfo m, TExpr key) {
    return key == null ? m.name() : m.name() + "[" + expr(key) + "]";
  }

  private static void expr(TExpr e, StringBuilder b) {
    switch (e) {
      case TExpr.Const c -> b.append(c.type() instanceof Type.Bool ? (c.value() != 0 ? "true" : "false") : Long.toString(c.value()));
      case TExpr.StrConst s -> b.append('"').append(s.value().replace("\n", "\\n").replace("\"", "\\\"")).append('"');
      case TExpr.BuiltinRef r -> b.append(r.builtin().id());
      case TExpr.CtxField f -> b.append("args.").append(f.field().name());
      case TExpr.CtxMemory m -> {
        // (user-memory ctx[152] + 8): the memory at registers of the context plus a displacement
        b.append(m.user() ? "(user-memory " : "(kernel-memory ");
        if (m.base() >= 0) b.append("ctx[").append(m.base()).append("] + ");
        if (m.index() >= 0) b.append("ctx[").append(m.index()).append("] * ").append(m.scale()).append(" + ");
        b.append(m.displacement()).append(')');
      }
      case TExpr.ProbeFunction f -> b.append("func");
      case TExpr.VarRef v -> b.append(v.var());
      case TExpr.MapGet m -> b.append(map(m.map(), m.key()));
      case TExpr.Binary x -> { b.append('(').append(x.op().symbol()).append(' '); expr(x.left(), b); b.append(' '); expr(x.right(), b); b.append(')'); }
      case TExpr.Unary u -> { b.append('(').append(u.op().symbol()).append(' '); expr(u.operand(), b); b.append(')'); }
      case TExpr.Ternary t -> { b.append("(? "); expr(t.cond(), b); b.append(' '); expr(t.then(), b); b.append(' '); expr(t.otherwise(), b); b.append(')'); }
      case TExpr.Cast c -> { b.append("(cast "); expr(c.operand(), b); b.append(')'); }
      case TExpr.TupleOf t -> {
        b.append("(tuple");
        for (TExpr x : t.elements()) { b.append(' '); expr(x, b); }
        b.append(')');
      }
      case TExpr.TupleGet t -> { b.append("(. "); expr(t.tuple(), b); b.append(' ').append(t.index()).append(')'); }
      case TExpr.Update u -> {
        String op = u.increment() ? "++" : "--";
        b.append('(');
        if (u.prefix()) b.append(op).append(' ');
        expr(u.target(), b);
        if (!u.prefix()) b.append(' ').append(op);
        b.append(')');
      }
      case TExpr.Deref d -> { b.append("(* "); expr(d.pointer(), b); b.append(')'); }
      case TExpr.FieldOf f -> {
        if (f.base() instanceof TExpr.Deref d) { b.append("(-> "); expr(d.pointer(), b); }
        else { b.append("(. "); expr(f.base(), b); }
        b.append(' ').append(f.field().name()).append(')');
      }
      case TExpr.IndexOf i -> { b.append("([] "); expr(i.base(), b); b.append(' '); expr(i.index(), b); b.append(')'); }
      case TExpr.AddrOf a -> { b.append("(& "); expr(a.place(), b); b.append(')'); }
      case TExpr.Seq s -> {
        b.append("(seq ").append(s.stmts().size()).append(" statements ");
        expr(s.value(), b);
        b.append(')');
      }
      case TExpr.CallFn c -> call(c.function(), c.args(), b);
      case TExpr.Call c -> call(c.function().name().toLowerCase(java.util.Locale.ROOT), c.args(), b);
      case TExpr.MapCall m -> {
        b.append(m.fn().name().toLowerCase(java.util.Locale.ROOT)).append('(').append(m.map().name());
        if (m.key() != null) {
          b.append(", ");
          expr(m.key(), b);
        }
        b.append(')');
      }
    }
    b.append(':').append(e.type());
  }

  private static void call(String name, List<TExpr> args, StringBuilder b) {
    b.append(name).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) b.append(", ");
      expr(args.get(i), b);
    }
    b.append(')');
  }
}
