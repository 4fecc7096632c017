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
    int given = c.args().size();
    boolean countOk = switch (agg) {
      case COUNT -> given == 0;
      case SUM, MIN, MAX, AVG, STATS -> given == 1;
      case HIST -> given == 1 || given == 2;
      case LHIST -> given == 4;
    };
    if (!countOk) {
      String want = switch (agg) {
        case COUNT -> "no arguments";
        case SUM, MIN, MAX, AVG, STATS -> "one argument";
        case HIST -> "one or two arguments";
        case LHIST -> "4 arguments";
      };
      an.error(c.span(), agg.fn() + "() requires " + want + " (" + given + " provided)");
      return null;
    }
    List<TExpr> args = new ArrayList<>();
    for (Expr e : c.args()) {
      TExpr t = an.expr(e);
      if (t == null) return null;
      if (!Analyzer.isIntegral(t.type())) {
        an.error(c.span(), agg.fn() + "() only supports integer arguments (" + kind(t.type()) + " provided)");
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
          an.error(c.span(), "lhist() expects an integer literal for its " + List.of("min", "max", "step").get(i - 1) + " argument");
          return null;
        }
        v[i - 1] = cv;
      }
      min = v[0];
      max = v[1];
      step = v[2];
      boolean ok = true;
      if (step <= 0) { an.error(c.span(), "lhist() step must be >= 1 (" + step + " provided)"); ok = false; }
      if (min < 0) { an.error(c.span(), "lhist() min must be non-negative (provided min " + min + ")"); ok = false; }
      if (min > max) { an.error(c.span(), "lhist() min must be less than max (provided min " + min + " and max " + max + ")"); ok = false; }
      if (!ok) return null;
      if ((max - min) / step > 1000) {
        an.error(c.span(), "lhist() too many buckets, must be <= 1000 (would need " + (max - min) / step + ")");
        return null;
      }
      args = args.subList(0, 1);
    }
    if (agg == AggKind.HIST && args.size() == 2) {
      if (!(args.get(1) instanceof TExpr.Const(long k, Type t, Span s))) {
        an.error(c.span(), "hist() expects an integer literal for its second argument (the number of bits of each power of two)");
        return null;
      }
      if (k < 0 || k > 5) {
        an.error(c.span(), "hist() second argument must be from 0 to 5 (" + k + " provided)");
        return null;
      }
      step = k;
      args = args.subList(0, 1);
    }
    Type.Agg type = new Type.Agg(agg, signed, min, max, step);
    if (st.agg == null && st.value == null) {
      st.agg = agg;
      st.value = type;
      an.changed = true;
    } else if (st.agg != agg) {
      an.error(m.span(), "Type mismatch for @" + m.name() + ": trying to assign value of type '" + agg.fn()
          + "' when map already contains a value of type '" + (st.agg != null ? st.agg.fn() : Analyzer.describe(st.value)) + "'");
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

  /** {@return how bpftrace names the kind of a value in argument errors: {@code integer}, {@code string}...} */
  private static String kind(Type t) {
    return switch (t) {
      case Type.Int i -> "integer";
      case Type.Bool b -> "integer";
      case Type.Str s -> "string";
      case Type.Tuple tt -> "tuple";
      case Type.Ptr p -> "pointer";
      case Type.Record r -> "record";
      default -> Analyzer.describe(t);
    };
  }

  static AggKind aggregation(String fn) {
    for (AggKind k : AggKind.values()) if (k.fn().equals(fn)) return k;
    return null;
  }
}
