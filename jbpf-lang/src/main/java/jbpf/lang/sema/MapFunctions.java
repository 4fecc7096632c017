package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import jbpf.lang.ast.Expr;
import jbpf.lang.probe.Attach;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.types.Type;

/**
 * Checks the functions that act on a whole map or one of its elements: the statements {@code print(@m)},
 * {@code print(@m, top, div)}, {@code clear(@m)}, {@code zero(@m)}, {@code delete(@m[k])} and {@code delete(@m, k)},
 * and the functions with a value {@code has_key(@m, k)} and {@code len(@m)}.
 */
final class MapFunctions {
  private MapFunctions() {}

  /** The kernel function that counts a map's elements (Linux 6.6+), which {@code len()} calls. */
  static final String ELEM_COUNT_KFUNC = "bpf_map_sum_elem_count";

  /** {@return whether {@code name} is a map function that computes a value} */
  static boolean isValueFunction(String name) {
    return name.equals("has_key") || name.equals("len");
  }

  /** {@return the checked statement for {@code print}, {@code clear}, {@code zero} or {@code delete}, or {@code null} after reporting} */
  static TStmt statement(Analyzer an, Expr.Call c) {
    return switch (c.name()) {
      case "print" -> print(an, c);
      case "clear", "zero" -> clear(an, c);
      case "delete" -> delete(an, c);
      default -> throw new IllegalStateException(c.name() + " is not a map statement");
    };
  }

  private static TStmt print(Analyzer an, Expr.Call c) {
    List<Expr> args = c.args();
    if (args.isEmpty() || args.size() > 3) {
      an.error(c.span(), "print() takes up to 3 arguments (" + args.size() + " provided)");
      return null;
    }
    if (args.getFirst() instanceof Expr.Map m && m.keys().isEmpty()) {
      Analyzer.MapState st = defined(an, m);
      if (st == null) return null;
      List<TExpr> extra = new ArrayList<>();
      for (int i = 1; i < 3; i++) {
        TExpr v = i < args.size() ? an.expr(args.get(i)) : new TExpr.Const(0, Type.UINT64, c.span());
        if (v == null) return null;
        if (!Analyzer.isIntegral(v.type())) {
          an.error(args.get(i).span(), "print() arguments after the map must be integers");
          return null;
        }
        extra.add(an.convert(v, Type.UINT64, v.span(), "print"));
      }
      MapInfo info = an.info(st);
      AsyncEvent ev = an.event(id -> new AsyncEvent.PrintMap(id, info, new Type.Tuple(List.of(Type.UINT64, Type.UINT64))));
      return new TStmt.Emit(ev, extra, c.span());
    }
    if (args.size() > 1) {
      an.error(c.span(), "print() of a value takes one argument");
      return null;
    }
    TExpr v = an.expr(args.getFirst());
    if (v == null) return null;
    if (v.type() instanceof Type.Void) {
      an.error(args.getFirst().span(), "print() of a value of type void");
      return null;
    }
    if (v.type() instanceof Type.Ctx) {
      // bpftrace 0.17 cannot print a tracepoint's args as a whole
      String record = !an.attaches.isEmpty() && an.attaches.getFirst() instanceof Attach.Tracepoint(String cat, String ev)
          ? "struct _tracepoint_" + cat + "_" + ev : "args";
      an.error(c.span(), "(ctx) " + record + " * type passed to print() is not printable");
      return null;
    }
    Type t = Analyzer.storageType(v.type());
    AsyncEvent ev = an.event(id -> new AsyncEvent.PrintValue(id, new Type.Tuple(List.of(t))));
    return new TStmt.Emit(ev, List.of(an.convert(v, t, v.span(), "print")), c.span());
  }

  private static TStmt clear(Analyzer an, Expr.Call c) {
    List<Expr> args = c.args();
    if (args.size() != 1 || !(args.getFirst() instanceof Expr.Map m) || !m.keys().isEmpty()) {
      an.error(c.span(), c.name() + "() expects a map argument, e.g. " + c.name() + "(@x)");
      return null;
    }
    Analyzer.MapState st = defined(an, m);
    if (st == null) return null;
    MapInfo info = an.info(st);
    boolean zero = c.name().equals("zero");
    AsyncEvent ev = an.event(id -> new AsyncEvent.ClearMap(id, info, zero, new Type.Tuple(List.of())));
    return new TStmt.Emit(ev, List.of(), c.span());
  }

  /**
   * {@code delete(@m[k])}, {@code delete(@m, k)} ({@code delete(@m, k1, k2)} for a map with several keys) and
   * {@code delete(@m)} of a map without keys. A hist or lhist map keeps one entry per bucket of a key, so its
   * keys are deleted by userspace, in order with the other events.
   */
  private static TStmt delete(Analyzer an, Expr.Call c) {
    List<Expr> args = c.args();
    Expr.Map m;
    if (args.size() == 1 && args.getFirst() instanceof Expr.Map mm) {
      m = mm;
    } else if (args.size() >= 2 && args.getFirst() instanceof Expr.Map mm && mm.keys().isEmpty()) {
      m = new Expr.Map(mm.name(), List.copyOf(args.subList(1, args.size())), c.span());
    } else {
      an.error(c.span(), "delete() expects a map element, e.g. delete(@x[key]) or delete(@x, key)");
      return null;
    }
    Analyzer.MapState st = defined(an, m);
    if (st == null) return null;
    TExpr key = an.mapKey(m, st);
    if (!m.keys().isEmpty() && key == null) return null;
    MapInfo info = an.info(st);
    if (info == null) return null;
    if (info.agg() != null && info.agg().bucketed()) {
      if (key == null) {
        // the whole value of a map without keys: every bucket
        AsyncEvent ev = an.event(id -> new AsyncEvent.ClearMap(id, info, false, new Type.Tuple(List.of())));
        return new TStmt.Emit(ev, List.of(), c.span());
      }
      Type kt = key.type();
      AsyncEvent ev = an.event(id -> new AsyncEvent.DeleteKey(id, info, new Type.Tuple(List.of(kt))));
      return new TStmt.Emit(ev, List.of(key), c.span());
    }
    return new TStmt.MapDelete(info, key, c.span());
  }

  /** {@return the checked {@code has_key(@m, k)} or {@code len(@m)}, or {@code null} after reporting} */
  static TExpr call(Analyzer an, Expr.Call c) {
    List<Expr> args = c.args();
    boolean hasKey = c.name().equals("has_key");
    int want = hasKey ? 2 : 1;
    if (args.size() != want) {
      an.error(c.span(), c.name() + "() requires " + want + " argument" + (want == 1 ? "" : "s") + " (" + args.size() + " provided)");
      return null;
    }
    if (!(args.getFirst() instanceof Expr.Map m) || !m.keys().isEmpty()) {
      an.error(args.getFirst().span(), c.name() + "() expects a map as its first argument, e.g. "
          + (hasKey ? "has_key(@x, key)" : "len(@x)"));
      return null;
    }
    Analyzer.MapState st = defined(an, m);
    if (st == null) return null;
    if (st.agg != null && st.agg.bucketed()) {
      an.error(m.span(), c.name() + "() does not support " + st.agg.fn() + "() maps");
      return null;
    }
    if (hasKey) {
      Expr.Map element = new Expr.Map(m.name(), List.of(args.get(1)), m.span());
      if (st.key instanceof Type.Void) {
        an.error(m.span(), "has_key() expects a map with keys, but @" + m.name() + " has none");
        return null;
      }
      TExpr key = an.mapKey(element, st);
      MapInfo info = an.info(st);
      if (key == null || info == null) return null;
      return new TExpr.MapCall(TExpr.MapFn.HAS_KEY, info, key, 0, Type.BOOL, c.span());
    }
    MapInfo info = an.info(st);
    if (info == null) return null;
    if (!info.keyed()) return new TExpr.MapCall(TExpr.MapFn.LEN, info, null, 0, Type.INT64, c.span());
    OptionalInt kfunc = an.kernel.kernelFunction(ELEM_COUNT_KFUNC);
    if (kfunc.isEmpty()) {
      an.error(c.span(), "len() of a map with keys needs the kernel function " + ELEM_COUNT_KFUNC
          + ", which this kernel lacks (Linux 6.6 or later has it)");
      return null;
    }
    return new TExpr.MapCall(TExpr.MapFn.LEN, info, null, kfunc.getAsInt(), Type.INT64, c.span());
  }

  /** {@return what is known of map {@code m}, or {@code null} after reporting that it is never assigned} */
  private static Analyzer.MapState defined(Analyzer an, Expr.Map m) {
    Analyzer.MapState st = an.maps.get(m.name());
    if (st == null || st.value == null) {
      an.undefinedMap(m);
      return null;
    }
    return st;
  }
}
