package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.List;
import jbpf.lang.ast.Expr;
import jbpf.lang.builtins.Builtin;
import jbpf.lang.probe.Attach;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.TracepointFormat;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/** Checks calls of the language's functions: statements such as {@code printf()} and {@code exit()}, and functions that compute values. */
final class Calls {
  private final Analyzer an;

  Calls(Analyzer a) { this.an = a; }

  TStmt callStmt(Expr.Call c) {
    List<Expr> args = c.args();
    return switch (c.name()) {
      case "printf" -> printf(c);
      case "print", "clear", "zero", "delete" -> MapFunctions.statement(an, c);
      case "exit" -> {
        TExpr code = args.isEmpty() ? new TExpr.Const(0, Type.INT64, c.span()) : an.expr(args.getFirst());
        if (args.size() > 1) { an.error(c.span(), "exit() takes at most one argument"); yield null; }
        if (code == null) yield null;
        if (!Analyzer.isIntegral(code.type())) { an.error(args.getFirst().span(), "exit() code must be an integer"); yield null; }
        AsyncEvent ev = an.event(id -> new AsyncEvent.Exit(id, new Type.Tuple(List.of(Type.INT64))));
        yield new TStmt.Block(List.of(new TStmt.Emit(ev, List.of(an.convert(code, Type.INT64, code.span(), "exit")), c.span()),
            new TStmt.Return(c.span())), c.span());
      }
      case "time" -> {
        String fmt = "%H:%M:%S\n";
        if (args.size() > 1) { an.error(c.span(), "time() takes at most one argument"); yield null; }
        if (args.size() == 1) {
          if (!(args.getFirst() instanceof Expr.Str(String s, Span sp))) { an.error(args.getFirst().span(), "time() format must be a string literal"); yield null; }
          fmt = s;
        }
        String f = fmt;
        AsyncEvent ev = an.event(id -> new AsyncEvent.Time(id, f, new Type.Tuple(List.of())));
        yield new TStmt.Emit(ev, List.of(), c.span());
      }
      default -> null;
    };
  }

  TStmt printf(Expr.Call c) {
    if (c.args().isEmpty() || !(c.args().getFirst() instanceof Expr.Str(String fmt, Span fs))) {
      an.error(c.span(), "printf() requires a string literal as its first argument");
      return null;
    }
    List<TExpr> args = new ArrayList<>();
    for (Expr e : c.args().subList(1, c.args().size())) {
      TExpr t = an.expr(e);
      if (t == null) return null;
      args.add(t);
    }
    String problem = PrintfCheck.check(fmt, args.stream().map(TExpr::type).toList());
    if (problem != null) {
      an.error(c.span(), "printf: " + problem);
      return null;
    }
    List<Type> types = new ArrayList<>();
    List<TExpr> conv = new ArrayList<>();
    for (TExpr t : args) {
      Type st = Analyzer.storageType(t.type());
      types.add(st);
      conv.add(an.convert(t, st, t.span(), "printf"));
    }
    AsyncEvent ev = an.event(id -> new AsyncEvent.Printf(id, fmt, new Type.Tuple(types)));
    return new TStmt.Emit(ev, conv, c.span());
  }

  TExpr call(Expr.Call c) {
    if (Aggregates.aggregation(c.name()) != null) {
      an.error(c.span(), c.name() + "() should be directly assigned to a map, e.g. @x = " + c.name() + "(...)");
      return null;
    }
    if (MapFunctions.isValueFunction(c.name())) return MapFunctions.call(an, c);
    if (Analyzer.isStatementCall(c.name())) {
      an.error(c.span(), c.name() + "() should not be used in an expression");
      return null;
    }
    an.error(c.span(), "Unknown function: '" + c.name() + "'");
    return null;
  }
}
