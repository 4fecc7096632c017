package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Decl;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.TypeName;
import jbpf.lang.typed.TypedProgram.Settings;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.CIntegers;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/**
 * Resolves type names as written in casts, declarations, {@code sizeof} and signatures: bpftrace's own
 * ({@code uint32}, {@code string}), C's ({@code unsigned long}), the structs, unions, enums and typedefs the
 * script defines, and, failing those, the kernel's types from BTF. Script definitions win over the kernel's,
 * as in bpftrace, so a script can describe a struct the kernel's BTF lacks.
 */
final class TypeNames {
  interface Errors { void error(Span span, String message, String hint); }

  private final Map<String, Decl.Struct> structs = new HashMap<>();
  private final Map<String, Decl.Typedef> typedefs = new HashMap<>();
  private final Map<String, Decl.Enum> enums = new HashMap<>();
  private final Map<String, Type> defined = new HashMap<>();
  private final Map<String, Long> enumerators = new LinkedHashMap<>();
  private final Supplier<Optional<BtfTypes>> btf;
  private final List<String> resolving = new ArrayList<>();
  private Settings settings;

  /** @param btf the kernel's types, asked for only when a name is not defined otherwise */
  TypeNames(List<Decl> decls, Supplier<Optional<BtfTypes>> btf, Settings settings, Errors errors) {
    this.btf = btf;
    this.settings = settings;
    for (Decl d : decls) {
      switch (d) {
        case Decl.Struct s -> structs.put((s.union() ? "union " : "struct ") + s.name(), s);
        case Decl.Typedef t -> typedefs.put(t.name(), t);
        case Decl.Enum e -> enums.put("enum " + e.name(), e);
        case Decl.Function f -> {}
        case Decl.Macro m -> {}
      }
    }
    for (Decl d : decls) if (d instanceof Decl.Enum e) enumValues(e, errors);
    // Lay out every script type now, so that its errors are reported once, whatever the script uses.
    for (Decl d : decls) {
      String name = switch (d) {
        case Decl.Struct s -> (s.union() ? "union " : "struct ") + s.name();
        case Decl.Typedef t -> t.name();
        case Decl.Enum e -> null;
        case Decl.Function f -> null;
        case Decl.Macro m -> null;
      };
      if (name != null) {
        Type t = named(name, d.span(), errors);
        if (t != null) t.size();
      }
    }
  }

  void settings(Settings s) { settings = s; }

  /** Numbers the names of a script enum: each is its {@code = value}, or one more than the previous. */
  private void enumValues(Decl.Enum e, Errors errors) {
    long next = 0;
    for (Decl.Enumerator v : e.values()) {
      if (v.value() != null) {
        Long c = constant(v.value());
        if (c == null) {
          errors.error(v.value().span(), "Enum value of " + v.name() + " must be a constant integer", null);
        } else {
          next = c;
        }
      }
      enumerators.put(v.name(), next);
      next++;
    }
  }

  /** Evaluates an enumerator's value: integers, operators, and the names defined before it. */
  private Long constant(Expr e) {
    return switch (e) {
      case Expr.Int i -> i.value();
      case Expr.Ident id -> enumerators.get(id.name());
      case Expr.Unary u -> {
        Long v = constant(u.operand());
        if (v == null) yield null;
        yield switch (u.op()) {
          case NEG -> -v;
          case BNOT -> ~v;
          case LNOT -> v == 0 ? 1L : 0L;
          case DEREF, ADDR -> null;
        };
      }
      case Expr.Binary b -> {
        Long l = constant(b.left()), r = constant(b.right());
        if (l == null || r == null) yield null;
        if ((b.op() == BinOp.DIV || b.op() == BinOp.MOD) && r == 0) yield null;
        yield Folding.apply(b.op(), l, r, true);
      }
      default -> null;
    };
  }

  /** {@return the value of an enumerator the script or the kernel defines, or empty} */
  OptionalLong enumerator(String name) {
    Long v = enumerators.get(name);
    if (v != null) return OptionalLong.of(v);
    return btf.get().map(b -> b.enumerator(name)).orElse(OptionalLong.empty());
  }

  /** {@return whether the script or kernel defines an enumerator {@code name}, without reading BTF for script names} */
  boolean scriptEnumerator(String name) { return enumerators.containsKey(name); }

  /** {@return the type {@code tn} names, or {@code null} after reporting why there is none} */
  Type resolve(TypeName tn, Errors errors) {
    Type base = named(tn.name(), tn.span(), errors);
    if (base == null) return null;
    Type t = base;
    for (int i = 0; i < tn.pointers(); i++) t = new Type.Ptr(t, false);
    if (tn.arrayLength() >= 0) {
      if (tn.pointers() == 0 && t instanceof Type.Int it && it.bytes() == 1 && tn.name().contains("char")) return new Type.Str(Math.max(1, tn.arrayLength()));
      if (t instanceof Type.Void || t instanceof Type.Str) {
        errors.error(tn.span(), "Invalid array element type: " + tn.name(), null);
        return null;
      }
      return new Type.Array(t, tn.arrayLength());
    }
    if (t instanceof Type.Void && tn.pointers() == 0 && !tn.name().equals("void")) return null;
    return t;
  }

  /** {@return the type a name without pointers or array length stands for, or {@code null} after an error} */
  Type named(String name, Span span, Errors errors) {
    Type t = builtin(name);
    if (t != null) return t;
    if (defined.containsKey(name)) return defined.get(name);
    if (structs.containsKey(name)) {
      // The record exists before its layout, so that its fields may point to it.
      Decl.Struct s = structs.get(name);
      Type.Record r = new Type.Record(name, "script:" + name, () -> layout(s, errors));
      defined.put(name, r);
      return r;
    }
    if (typedefs.containsKey(name) || enums.containsKey(name)) {
      if (resolving.contains(name)) {
        errors.error(span, "Type " + name + " is defined in terms of itself", null);
        return null;
      }
      resolving.add(name);
      try {
        t = define(name, errors);
      } finally {
        resolving.remove(name);
      }
      defined.put(name, t);
      return t;
    }
    Optional<BtfTypes> kernel = btf.get();
    if (kernel.isPresent()) {
      Optional<Type> k = kernel.get().named(name);
      if (k.isPresent() && !(k.get() instanceof Type.Void)) return k.get();
    }
    if (name.startsWith("struct ") || name.startsWith("union ")) {
      errors.error(span, "Unknown struct/union: '" + name + "'", kernel.isEmpty()
          ? "this kernel has no BTF (/sys/kernel/btf/vmlinux); define the type in the script, e.g. " + name + " { int field; }"
          : "the kernel's BTF has no such type; define it in the script, e.g. " + name + " { int field; }");
    } else {
      errors.error(span, "Unknown type: '" + name + "'", null);
    }
    return null;
  }

  private Type builtin(String name) {
    return switch (name) {
      case "string" -> new Type.Str(settings.maxStrlen());
      case "bool", "_Bool" -> Type.BOOL;
      case "void" -> Type.VOID;
      default -> CIntegers.of(name);
    };
  }

  private Type define(String name, Errors errors) {
    Decl.Typedef td = typedefs.get(name);
    if (td != null) return resolve(td.type(), errors);
    Decl.Enum en = enums.get(name);
    if (en != null) {
      long min = 0, max = 0;
      for (Decl.Enumerator v : en.values()) {
        Long c = enumerators.get(v.name());
        if (c != null) {
          min = Math.min(min, c);
          max = Math.max(max, c);
        }
      }
      return min < 0 ? (min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE ? Type.INT32 : Type.INT64)
          : (max <= 0xffff_ffffL ? Type.UINT32 : Type.UINT64);
    }
    throw new IllegalStateException("no definition of " + name);
  }

  /**
   * Lays a script struct out as C does on x86-64: each field at the next multiple of its alignment; a bitfield
   * in the current storage unit of its type if it fits, else in the next; a union's fields all at 0; the size
   * rounded up to the largest alignment.
   */
  private Type.Record.Layout layout(Decl.Struct s, Errors errors) {
    String full = (s.union() ? "union " : "struct ") + s.name();
    if (resolving.contains(full)) {
      errors.error(s.span(), "Type " + full + " contains itself", "a struct may point to itself (struct s *next) but not contain itself");
      return new Type.Record.Layout(0, List.of());
    }
    resolving.add(full);
    try {
      return layoutFields(s, errors);
    } finally {
      resolving.remove(full);
    }
  }

  private Type.Record.Layout layoutFields(Decl.Struct s, Errors errors) {
    List<Type.Field> fields = new ArrayList<>();
    long bit = 0;
    int align = 1;
    long size = 0;
    boolean failed = false;
    for (Decl.Field f : s.fields()) {
      Type t = resolve(f.type(), errors);
      if (t == null) {
        failed = true;
        continue;
      }
      if (t instanceof Type.Void) {
        errors.error(f.span(), "Field " + f.name() + " has type void", null);
        failed = true;
        continue;
      }
      int a = t.align();
      align = Math.max(align, a);
      if (f.bitWidth() >= 0) {
        int unitBits = t.size() * 8;
        if (!(t instanceof Type.Int) && !(t instanceof Type.Bool) || f.bitWidth() > unitBits) {
          errors.error(f.span(), "Bitfield " + f.name() + " must be an integer of at most its type's width", null);
          failed = true;
          continue;
        }
        long start = s.union() ? 0 : bit;
        if (f.bitWidth() == 0) {
          bit = (start + unitBits - 1) / unitBits * unitBits;
          continue;
        }
        if (start / unitBits != (start + f.bitWidth() - 1) / unitBits) start = (start + unitBits - 1) / unitBits * unitBits;
        if (!f.name().isEmpty()) {
          int byteOff = (int) (start / 8);
          fields.add(new Type.Field(f.name(), t, byteOff, (int) (start % 8), f.bitWidth(), false));
        }
        long end = start + f.bitWidth();
        size = Math.max(size, (end + 7) / 8);
        if (!s.union()) bit = end;
        continue;
      }
      long off = s.union() ? 0 : Type.alignUp((int) ((bit + 7) / 8), a);
      if (f.name().isEmpty() && t instanceof Type.Record inner) {
        for (Type.Field x : inner.fields())
          fields.add(new Type.Field(x.name(), x.type(), (int) off + x.offset(), x.bitOffset(), x.bitWidth(), false));
      } else {
        fields.add(new Type.Field(f.name(), t, (int) off));
      }
      size = Math.max(size, off + t.size());
      if (!s.union()) bit = (off + t.size()) * 8;
    }
    if (failed) return new Type.Record.Layout(0, List.of());
    return new Type.Record.Layout(Type.alignUp((int) size, align), fields);
  }
}
