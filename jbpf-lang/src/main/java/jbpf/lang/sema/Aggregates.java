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

/** Checks aggregation assignments: {@code @m[k] = count()}, {@code sum(x)}, {@code hist(x)}, {@code lhist(x, min, max, step)}... */
final class Aggregates {
  private final Analyzer an;

  Aggregates(Analyzer a) { this.an = a; }

  TStmt aggregate(Expr.Map m, Analyzer.MapState st, TExpr key, AggKind agg, Expr.Call c, Span span) {
    int want = switch (agg) {
      case COUNT -> 0;
      case SUM, MIN, MAX, AVG, STATS -> 1;
      case HIST -> 1;
      case LHIST -> 4;
    };
    if (agg == AggKind.HIST && c.args().size() == 2) want = 2;
    if (c.args().size() != want) {
      an.error(c.span(), agg.fn() + "() requires " + want + " argument" + (want == 1 ? "" : "s") + " (" + c.args().size() + " provided)");
      return null;
    }
    List<TExpr> args = new ArrayList<>();
    for (Expr e : c.args()) {
      TExpr t = an.expr(e);
      if (t == null) return null;
      if (!Analyzer.isIntegral(t.type())) {
        an.error(e.span(), agg.fn() + "() only supports integer arguments (" + Analyzer.describe(t.type()) + " provided)");
        return null;
      }
      args.add(t);
    }
    boolean signed = !args.isEmpty() && Analyzer.isSigned(args.getFirst().type());
    long min = 0, max = 0, step = 0;
    if (agg == AggKind.LHIST) {
      long[] v = new long[3];
      for (int i = 1; i < 4; i++) {
        if (!(args.get(i) instanceof TExpr.Const(long cv, Type t, Span s))) {
          an.error(c.args().get(i).span(), "lhist() " + List.of("min", "max", "step").get(i - 1) + " must be a constant integer");
          return null;
        }
        v[i - 1] = cv;
      }
      min = v[0];
      max = v[1];
      step = v[2];
      if (step <= 0) { an.error(c.args().get(3).span(), "lhist() step must be >= 1 (" + step + " provided)"); return null; }
      if (min < 0) { an.error(c.args().get(1).span(), "lhist() min must be non-negative (provided min " + min + ")"); return null; }
      if (min > max) { an.error(c.args().get(1).span(), "lhist() min must be less than max (provided min " + min + " and max " + max + ")"); return null; }
      if ((max - min) / step > 1000) {
        an.error(c.span(), "lhist() too many buckets, must be <= 1000 (would need " + (max - min) / step + ")");
        return null;
      }
      args = args.subList(0, 1);
    }
    if (agg == AggKind.HIST && args.size() == 2) {
      if (!(args.get(1) instanceof TExpr.Const(long k, Type t, Span s)) || k < 0 || k > 5) {
        an.error(c.args().get(1).span(), "hist() second argument must be a constant from 0 to 5");
        return null;
      }
      step = ((TExpr.Const) args.get(1)).value();
      args = args.subList(0, 1);
    }
    Type.Agg type = new Type.Agg(agg, signed, min, max, step);
    if (st.agg == null && st.value == null) {
      st.agg = agg;
      st.value = type;
      an.changed = true;
    } else if (st.agg != agg) {
      an.error(m.span(), "Type mismatch for @" + m.name() + ": trying to assign value of type '" + agg.fn() + "_t"
          + "' when map already contains a value of type '" + Analyzer.describe(st.value) + "'");
      return null;
    } else if (st.value instanceof Type.Agg old && (old.min() != min || old.max() != max || old.step() != step)) {
      an.error(c.span(), "Different " + agg.fn() + " parameters used for @" + m.name());
      return null;
    } else if (signed && st.value instanceof Type.Agg old && !old.signed()) {
      st.value = type;
      an.changed = true;
    }
    MapInfo info = an.info(st);
    if (info == null || (m.keys().size() > 0 && key == null)) return null;
    return new TStmt.Aggregate(info, key, agg, args, span);
  }

  static AggKind aggregation(String fn) {
    for (AggKind k : AggKind.values()) if (k.fn().equals(fn)) return k;
    return null;
  }
}
