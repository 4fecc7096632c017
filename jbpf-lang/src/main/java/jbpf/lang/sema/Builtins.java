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
import jbpf.lang.types.Type;
import jbpf.source.Span;

/** Resolves identifiers and positional parameters: builtins such as {@code pid} and {@code comm}, the probe's {@code args}, and {@code $1}… {@code $#}. */
final class Builtins {
  private final Analyzer an;

  Builtins(Analyzer a) { this.an = a; }

  TExpr positional(int n, Span span) {
    if (n == 0) return new TExpr.Const(an.params.size(), Type.INT64, span);
    String v = n <= an.params.size() ? an.params.get(n - 1) : "";
    if (v.isEmpty()) return new TExpr.Const(0, Type.INT64, span);
    try {
      return new TExpr.Const(Long.decode(v), Type.INT64, span);
    } catch (NumberFormatException ex) {
      an.error(span, "$" + n + " used numerically but given \"" + v + "\". Try using str($" + n + ").");
      return null;
    }
  }

  /** {@return whether {@code name} is a builtin, which may also be written as a call without arguments ({@code pid()})} */
  static boolean isBuiltin(String name) {
    return Builtin.named(name) != null || name.equals("kstack") || name.equals("ustack");
  }

  TExpr ident(String name, Span span) {
    switch (name) {
      case "kstack", "ustack" -> { return an.calls.functions.stack(name.equals("ustack"), span); }
      case "username" -> {
        return new TExpr.Call(jbpf.lang.builtins.Function.USERNAME, List.of(), 0, new Type.Resolved(Type.ResolvedKind.USERNAME), span);
      }
      case "usermode" -> { return an.calls.functions.usermode(span); }
      default -> {}
    }
    if (ProbeContext.handles(name)) return an.probeContext.ident(name, span);
    Builtin b = Builtin.named(name);
    if (b == null) {
      an.error(span, "Unknown identifier: '" + name + "'");
      return null;
    }
    if (b == Builtin.NCPUS) return new TExpr.Const(an.kernel.possibleCpus(), Type.UINT64, span);
    return switch (b) {
      case PID, TID, UID, GID, NSECS, CPU, COMM, PROBE, RAND, CGROUP, NUMAID, JIFFIES, CURTASK, ELAPSED ->
          new TExpr.BuiltinRef(b, b.type(), span);
      default -> {
        an.error(span, "Unknown identifier: '" + name + "'", "the builtin '" + name + "' is not supported yet");
        yield null;
      }
    };
  }

  TExpr field(Expr.Field f) {
    TExpr base = an.expr(f.base());
    if (base == null) return null;
    if (base.type() instanceof Type.Ctx(Type.Record r)) {
      Type.Field fl = r.field(f.field());
      if (fl == null) {
        if (!an.attaches.isEmpty() && an.attaches.getFirst() instanceof Attach.Tracepoint(String cat, String ev))
          // bpftrace's name for a tracepoint's record
          an.error(f.span(), "Struct/union of type 'struct _tracepoint_" + cat + "_" + ev + "' does not contain a field named '" + f.field() + "'");
        else an.error(f.span(), "Can't find a field " + f.field() + " in " + describeProbe());
        return null;
      }
      return new TExpr.CtxField(fl, fl.type(), f.span());
    }
    an.error(f.span(), "Can not access field '" + f.field() + "' on expression of type '" + Analyzer.describe(base.type()) + "'");
    return null;
  }

  String describeProbe() {
    return an.attaches.isEmpty() ? "this probe" : an.attaches.getFirst().name();
  }
}
