package jbpf.lang.sema;

import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Expr;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.types.TracepointFormat;
import jbpf.lang.typed.TExpr;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/**
 * Checks what reaches into memory: fields ({@code p->f}, {@code s.f}), dereferences ({@code *p}), indexing
 * ({@code a[i]}, {@code p[i]}), addresses ({@code &p->f}), pointer arithmetic, casts and {@code offsetof}.
 * A pointer into user memory stays one through fields and arithmetic, so that code generation reads it with
 * {@code probe_read_user}: pointers from uprobe arguments, syscall tracepoint arguments, and kernel fields tagged
 * {@code __user}.
 */
final class Access {
  private final Analyzer an;

  Access(Analyzer an) { this.an = an; }

  TExpr field(Expr.Field f) {
    if (f.base() instanceof Expr.Ident id && id.name().equals("args")) return tracepointPointer(an.builtins.field(f), f);
    TExpr base = an.expr(f.base());
    if (base == null) return null;
    if (base.type() instanceof Type.Ctx) return tracepointPointer(an.builtins.field(f), f);
    Type.Record rec;
    TExpr value;
    if (base.type() instanceof Type.Ptr p && p.pointee() instanceof Type.Record r) {
      rec = r;
      value = new TExpr.Deref(base, r, f.base().span());
    } else if (base.type() instanceof Type.Record r) {
      rec = r;
      value = base;
    } else {
      an.error(f.span(), "Can not access field '" + f.field() + "' on expression of type '" + Analyzer.describe(base.type()) + "'");
      return null;
    }
    Type.Field field = rec.field(f.field());
    if (field == null) {
      if (rec.fields().isEmpty() && rec.size() == 0) {
        an.error(f.span(), "Struct/union of type '" + rec.name() + "' is incomplete: only its name is known", "define it in the script, e.g. " + rec.name() + " { ... }");
      } else {
        an.error(f.span(), "Struct/union of type '" + rec.name() + "' does not contain a field named '" + f.field() + "'");
      }
      return null;
    }
    return new TExpr.FieldOf(value, field, inSpace(field.type(), fromUser(value)), f.span());
  }

  /**
   * A tracepoint field as the language types it: a {@code __data_loc char[]} is a string of the usual size, and a
   * field declared as a pointer to a struct ({@code struct __kernel_timespec * rqtp}): its format file
   * names the struct, and BTF gives its fields, so {@code args->rqtp->tv_sec} works.
   */
  private TExpr tracepointPointer(TExpr t, Expr.Field f) {
    if (t instanceof TExpr.CtxField cf && cf.field().dataLoc() && cf.type() instanceof Type.Str) {
      // __data_loc char[]: the format gives the size of the locator; the string is as long as strings are
      Type str = new Type.Str(an.settings.maxStrlen());
      Type.Field nf = new Type.Field(cf.field().name(), str, cf.field().offset(), 0, 0, true);
      return new TExpr.CtxField(nf, str, cf.span());
    }
    if (!(t instanceof TExpr.CtxField cf) || !(cf.type() instanceof Type.Ptr p)) return t;
    if (an.attaches.isEmpty() || !(an.attaches.getFirst() instanceof Attach.Tracepoint(String cat, String ev))) return t;
    TracepointFormat.TracepointField tf = an.kernel.tracepointFormat(cat, ev).map(x -> x.field(f.field())).orElse(null);
    if (tf == null) return t;
    String ctype = tf.ctype().replace("const ", "").replace("volatile ", "").strip();
    int stars = 0;
    while (ctype.endsWith("*")) {
      ctype = ctype.substring(0, ctype.length() - 1).strip();
      stars++;
    }
    if (stars == 0 || ctype.equals("char") || ctype.equals("void") || ctype.equals("unsigned char")) return t;
    Type pointee = an.types.named(ctype, f.span(), (s, m, h) -> {});
    if (pointee == null || pointee instanceof Type.Void) return t;
    Type pt = pointee;
    for (int i = 0; i < stars; i++) pt = new Type.Ptr(pt, p.user());
    Type.Field nf = new Type.Field(cf.field().name(), pt, cf.field().offset(), cf.field().bitOffset(), cf.field().bitWidth(), cf.field().dataLoc());
    return new TExpr.CtxField(nf, pt, cf.span());
  }

  TExpr index(Expr.Index ix) {
    TExpr base = an.expr(ix.base());
    TExpr idx = an.expr(ix.index());
    if (base == null || idx == null) return null;
    if (base.type() instanceof Type.Tuple) {
      if (!(idx instanceof TExpr.Const(long i, Type t, Span s))) {
        an.error(ix.index().span(), "The index of a tuple must be a constant, e.g. $t[1]");
        return null;
      }
      return an.tupleElement(base, (int) i, ix.span());
    }
    if (!Analyzer.isIntegral(idx.type())) {
      an.error(ix.index().span(), "The array index must be an integer, not '" + Analyzer.describe(idx.type()) + "'");
      return null;
    }
    switch (base.type()) {
      case Type.Array a -> {
        if (idx instanceof TExpr.Const(long i, Type t, Span s) && (i < 0 || (a.length() > 0 && i >= a.length()))) {
          an.error(ix.index().span(), "the index " + i + " is out of bounds for array of size " + a.length());
          return null;
        }
        return new TExpr.IndexOf(base, idx, inSpace(a.element(), fromUser(base)), ix.span());
      }
      case Type.Str s -> {
        if (idx instanceof TExpr.Const(long i, Type t, Span sp) && (i < 0 || i >= s.size())) {
          an.error(ix.index().span(), "the index " + i + " is out of bounds for string of size " + s.size());
          return null;
        }
        return new TExpr.IndexOf(base, idx, Type.INT8, ix.span());
      }
      case Type.Ptr p -> {
        if (!sized(p.pointee())) {
          an.error(ix.span(), "Can not index a pointer to " + Analyzer.describe(p.pointee()));
          return null;
        }
        TExpr at = offset(base, idx, p, BinOp.ADD, ix.span());
        return new TExpr.Deref(at, inSpace(p.pointee(), p.user()), ix.span());
      }
      default -> {
        an.error(ix.span(), "The array index operator [] can only be used on arrays and pointers, found '" + Analyzer.describe(base.type()) + "'");
        return null;
      }
    }
  }

  TExpr deref(Expr.Unary u) {
    TExpr p = an.expr(u.operand());
    if (p == null) return null;
    if (!(p.type() instanceof Type.Ptr ptr)) {
      an.error(u.span(), "Can not dereference non-pointer type '" + Analyzer.describe(p.type()) + "'");
      return null;
    }
    if (!sized(ptr.pointee())) {
      an.error(u.span(), "Can not dereference a pointer to " + Analyzer.describe(ptr.pointee()), "cast it to a pointer to a type first, e.g. *(uint64 *)$p");
      return null;
    }
    return new TExpr.Deref(p, inSpace(ptr.pointee(), ptr.user()), u.span());
  }

  TExpr addressOf(Expr.Unary u) {
    TExpr place = an.expr(u.operand());
    if (place == null) return null;
    if (!inMemory(place)) {
      an.error(u.span(), "The & operator takes the address of kernel or user memory, e.g. &$task->comm; this is a value in the probe",
          null);
      return null;
    }
    return new TExpr.AddrOf(place, new Type.Ptr(place.type(), fromUser(place)), u.span());
  }

  /** {@return whether {@code e} names bytes in kernel or user memory, so that it has an address} */
  private static boolean inMemory(TExpr e) {
    return switch (e) {
      case TExpr.Deref d -> true;
      case TExpr.FieldOf f -> f.field().bitWidth() == 0 && inMemory(f.base());
      case TExpr.IndexOf i -> inMemory(i.base());
      default -> false;
    };
  }

  /** Arithmetic where a side is a pointer: {@code p + n} and {@code p - n} step by the pointee's size, {@code p - q} counts elements. */
  TExpr pointerArithmetic(Expr.Binary b, TExpr l, TExpr r) {
    BinOp op = b.op();
    Type lt = l.type(), rt = r.type();
    if (op.isComparison()) {
      if (!(Analyzer.truthy(lt) && Analyzer.truthy(rt))) return mismatch(b, lt, rt);
      return Analyzer.fold(new TExpr.Binary(op, l, r, Type.BOOL, b.span()));
    }
    if (lt instanceof Type.Ptr p && Analyzer.isIntegral(rt) && (op == BinOp.ADD || op == BinOp.SUB)) return offset(l, r, p, op, b.span());
    if (rt instanceof Type.Ptr p && Analyzer.isIntegral(lt) && op == BinOp.ADD) return offset(r, l, p, op, b.span());
    if (lt instanceof Type.Ptr p && rt instanceof Type.Ptr q && op == BinOp.SUB) {
      if (!p.pointee().equals(q.pointee())) return mismatch(b, lt, rt);
      TExpr diff = new TExpr.Binary(BinOp.SUB, new TExpr.Cast(l, Type.INT64, l.span()), new TExpr.Cast(r, Type.INT64, r.span()), Type.INT64, b.span());
      int size = sized(p.pointee()) ? p.pointee().size() : 1;
      return size == 1 ? diff : new TExpr.Binary(BinOp.DIV, diff, new TExpr.Const(size, Type.INT64, b.span()), Type.INT64, b.span());
    }
    if (op == BinOp.BAND || op == BinOp.BOR || op == BinOp.BXOR || op == BinOp.SHR || op == BinOp.SHL) {
      if (Analyzer.truthy(lt) && Analyzer.truthy(rt)) {
        TExpr a = lt instanceof Type.Ptr ? new TExpr.Cast(l, Type.UINT64, l.span()) : l;
        TExpr c = rt instanceof Type.Ptr ? new TExpr.Cast(r, Type.UINT64, r.span()) : r;
        return new TExpr.Binary(op, a, c, Type.UINT64, b.span());
      }
    }
    return mismatch(b, lt, rt);
  }

  private TExpr mismatch(Expr.Binary b, Type lt, Type rt) {
    an.error(b.span(), "Type mismatch for '" + b.op().symbol() + "': comparing '" + Analyzer.describe(lt) + "' with '" + Analyzer.describe(rt) + "'");
    return null;
  }

  /** {@code p op n * sizeof(*p)}, typed as {@code p}. */
  private TExpr offset(TExpr p, TExpr n, Type.Ptr pt, BinOp op, Span span) {
    int size = sized(pt.pointee()) ? pt.pointee().size() : 1;
    TExpr scaled = size == 1 ? n : Analyzer.fold(new TExpr.Binary(BinOp.MUL, n, new TExpr.Const(size, Type.INT64, span), Analyzer.arith(n.type(), Type.INT64), span));
    if (scaled instanceof TExpr.Const(long v, Type t, Span s) && v == 0) return p;
    return new TExpr.Binary(op, p, scaled, pt, span);
  }

  TExpr cast(Expr.Cast c) {
    TExpr v = an.expr(c.operand());
    Type t = an.types.resolve(c.type(), an::error);
    if (v == null || t == null) return null;
    Type from = v.type();
    Span span = c.span();
    switch (t) {
      case Type.Int i -> {
        if (Analyzer.isIntegral(from) || from instanceof Type.Ptr) return Analyzer.fold(new TExpr.Cast(v, t, span));
        if (from instanceof Type.Array a && a.size() == i.size()) return new TExpr.Cast(v, t, span);
        if (from instanceof Type.Array a) {
          an.error(span, "Cannot cast from '" + Analyzer.describe(from) + "' to '" + Analyzer.describe(t) + "': the sizes differ ("
              + a.size() + " and " + i.size() + " bytes)");
          return null;
        }
      }
      case Type.Bool b -> {
        if (Analyzer.truthy(from)) return Analyzer.fold(new TExpr.Cast(v, t, span));
      }
      case Type.Ptr p -> {
        if (Analyzer.isIntegral(from) || from instanceof Type.Ptr) {
          boolean user = from instanceof Type.Ptr q ? q.user() : userProbe();
          return new TExpr.Cast(v, new Type.Ptr(p.pointee(), user), span);
        }
      }
      case Type.Array a -> {
        if (Analyzer.isIntegral(from) && a.element() instanceof Type.Int && (a.size() == from.size() || (from.size() == 8 && a.size() <= 8))) {
          Type src = a.size() == from.size() ? from : new Type.Int(a.size(), false);
          TExpr narrowed = src.equals(from) ? v : Analyzer.fold(new TExpr.Cast(v, src, span));
          return new TExpr.Cast(narrowed, t, span);
        }
        if (from instanceof Type.Array fa && fa.size() == a.size()) return new TExpr.Cast(v, t, span);
        if (Analyzer.isIntegral(from)) {
          an.error(span, "Cannot cast from '" + Analyzer.describe(from) + "' to '" + Analyzer.describe(t) + "': the sizes differ ("
              + from.size() + " and " + a.size() + " bytes)");
          return null;
        }
      }
      case Type.Record r -> {
        an.error(span, "Cannot cast to struct type \"" + r.name() + "\"", "cast to a pointer instead, e.g. (" + r.name() + " *)");
        return null;
      }
      default -> {}
    }
    an.error(span, "Cannot cast from '" + Analyzer.describe(from) + "' to '" + Analyzer.describe(t) + "'");
    return null;
  }

  TExpr offsetof(Expr.Offsetof o) {
    Type t;
    if (o.type() != null) {
      t = an.types.resolve(o.type(), an::error);
    } else {
      TExpr v = an.expr(o.operand());
      t = v == null ? null : v.type();
    }
    if (t == null) return null;
    long off = 0;
    Type at = t;
    for (String name : o.fields()) {
      if (!(at instanceof Type.Record r)) {
        an.error(o.span(), "offsetof() requires a struct or union, not '" + Analyzer.describe(at) + "'");
        return null;
      }
      Type.Field f = r.field(name);
      if (f == null) {
        an.error(o.span(), "Struct/union of type '" + r.name() + "' does not contain a field named '" + name + "'");
        return null;
      }
      if (f.bitWidth() > 0) {
        an.error(o.span(), "offsetof() of bitfield '" + name + "'");
        return null;
      }
      off += f.offset();
      at = f.type();
    }
    return new TExpr.Const(off, Type.UINT64, o.span());
  }

  /** {@return whether a pointer cast in this probe points into user memory: uprobes and USDT probes trace user code} */
  private boolean userProbe() {
    ProbeType pt = an.probeType();
    return pt == ProbeType.UPROBE || pt == ProbeType.URETPROBE || pt == ProbeType.USDT;
  }

  static boolean sized(Type t) {
    return !(t instanceof Type.Void) && !(t instanceof Type.Record r && r.size() == 0 && r.fields().isEmpty());
  }

  /** {@return whether the value {@code e} was read from user memory} */
  static boolean fromUser(TExpr e) {
    return switch (e) {
      case TExpr.Deref d -> d.pointer().type() instanceof Type.Ptr p && p.user();
      case TExpr.FieldOf f -> fromUser(f.base());
      case TExpr.IndexOf i -> fromUser(i.base());
      default -> false;
    };
  }

  /** {@code t} as found in user memory ({@code user}): its pointers point into user memory too. */
  static Type inSpace(Type t, boolean user) {
    if (!user) return t;
    return switch (t) {
      case Type.Ptr p -> p.user() ? p : new Type.Ptr(p.pointee(), true);
      case Type.Array a -> a.element() instanceof Type.Ptr ? new Type.Array(inSpace(a.element(), true), a.length()) : a;
      default -> t;
    };
  }
}
