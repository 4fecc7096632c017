package jbpf.lang.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import jbpf.btf.Btf;
import jbpf.btf.BtfException;
import jbpf.btf.BtfKind;
import jbpf.btf.BtfType;

/**
 * The kernel's types as the language sees them, converted from BTF (https://docs.kernel.org/bpf/btf.html) on
 * demand: integers and enums become {@link Type.Int}, {@code char[N]} becomes a string of N bytes as in
 * bpftrace, other arrays {@link Type.Array}, pointers {@link Type.Ptr} (user pointers when tagged
 * {@code __user}), and structs and unions {@link Type.Record}s whose fields are converted when first used.
 * Typedefs and qualifiers disappear. Conversions are cached, so each BTF type is converted once.
 */
public final class BtfTypes {
  private final Btf btf;
  private final Map<Integer, Type> cache = new HashMap<>();

  public BtfTypes(Btf btf) { this.btf = btf; }

  /** {@return the BTF these types come from} */
  public Btf btf() { return btf; }

  /**
   * {@return the type named by a C type name such as {@code struct task_struct}, {@code union bpf_attr},
   * {@code enum pid_type} or a typedef such as {@code pid_t}; empty if the kernel has none}
   */
  public Optional<Type> named(String cName) {
    OptionalInt id;
    try {
      id = btf.findType(cName);
    } catch (BtfException e) {
      return Optional.empty();
    }
    return id.isPresent() ? Optional.of(type(id.getAsInt())) : Optional.empty();
  }

  /** {@return the value of the enumerator {@code name} of any kernel enum, e.g. {@code TASK_RUNNING}} */
  public OptionalLong enumerator(String name) {
    try {
      Optional<Btf.Constant> c = btf.findEnumerator(name);
      return c.isPresent() ? OptionalLong.of(c.get().value()) : OptionalLong.empty();
    } catch (BtfException e) {
      return OptionalLong.empty();
    }
  }

  /** {@return BTF type {@code id} converted} */
  public Type type(int id) {
    Type t = cache.get(id);
    if (t == null) {
      t = convert(id, false);
      cache.put(id, t);
    }
    return t;
  }

  private Type convert(int id, boolean user) {
    for (int depth = 0; depth < 32; depth++) {
      BtfType t = btf.type(id);
      switch (t) {
        case BtfType.Void v -> { return Type.VOID; }
        case BtfType.Int i -> { return integer(i); }
        case BtfType.Ptr p -> { return new Type.Ptr(pointee(p.type()), user || userTagged(p.type())); }
        case BtfType.Array a -> { return array(a); }
        case BtfType.Struct s -> { return record("struct", s.name(), s.size(), id); }
        case BtfType.Union u -> { return record("union", u.name(), u.size(), id); }
        case BtfType.Enum e -> { return new Type.Int(intSize(e.size()), e.signed()); }
        case BtfType.Enum64 e -> { return new Type.Int(intSize(e.size()), e.signed()); }
        case BtfType.Fwd f -> {
          int full = btf.complete(id);
          if (full == id) return new Type.Record((f.union() ? "union " : "struct ") + f.name(), 0, "btf:" + id, List::of);
          id = full;
        }
        case BtfType.Typedef d -> id = d.type();
        case BtfType.Const c -> id = c.type();
        case BtfType.Volatile v -> id = v.type();
        case BtfType.Restrict r -> id = r.type();
        case BtfType.TypeTag tt -> {
          if (tt.name().equals("user")) user = true;
          id = tt.type();
        }
        case BtfType.Float f -> { return f.size() > 0 ? new Type.Array(Type.UINT8, f.size()) : Type.VOID; }
        case BtfType.FuncProto fp -> { return Type.VOID; }
        case BtfType.Func f -> { return Type.VOID; }
        case BtfType.Var v -> id = v.type();
        case BtfType.Datasec d -> { return Type.VOID; }
        case BtfType.DeclTag d -> id = d.type();
      }
    }
    return Type.VOID;
  }

  /** A pointer's target; a function pointer points to nothing the language can read. */
  private Type pointee(int id) {
    int r = btf.resolve(id);
    if (btf.kind(r) == BtfKind.FUNC_PROTO) return Type.VOID;
    return type(id);
  }

  /** Whether a pointer's target carries {@code __user} ({@code btf_type_tag("user")}), which comes before qualifiers. */
  private boolean userTagged(int id) {
    for (int depth = 0; depth < 32; depth++) {
      BtfType t = btf.type(id);
      if (t instanceof BtfType.TypeTag tt) {
        if (tt.name().equals("user")) return true;
        id = tt.type();
      } else if (t instanceof BtfType.Const c) {
        id = c.type();
      } else if (t instanceof BtfType.Volatile v) {
        id = v.type();
      } else {
        return false;
      }
    }
    return false;
  }

  private static Type integer(BtfType.Int i) {
    return switch (i.size()) {
      case 1, 2, 4, 8 -> new Type.Int(i.size(), i.signed());
      default -> new Type.Array(Type.UINT8, Math.max(1, i.size()));
    };
  }

  private static int intSize(int size) { return size == 1 || size == 2 || size == 4 || size == 8 ? size : 4; }

  private Type array(BtfType.Array a) {
    int elem = btf.resolve(a.type());
    if (btf.type(elem) instanceof BtfType.Int i && i.size() == 1 && i.name().contains("char")) return new Type.Str(Math.max(1, a.nelems()));
    Type et = type(a.type());
    if (et.size() == 0) return new Type.Array(Type.UINT8, 0);
    return new Type.Array(et, a.nelems());
  }

  private Type.Record record(String kind, String name, int size, int id) {
    String full = kind + " " + (name.isEmpty() ? "(anonymous)" : name);
    return new Type.Record(full, size, "btf:" + id, () -> fields(id));
  }

  /** The fields of struct or union {@code id}, with the fields of anonymous members flattened in at their offsets. */
  private List<Type.Field> fields(int id) {
    List<Type.Field> out = new ArrayList<>();
    collect((BtfType.Composite) btf.type(id), 0, out, 0);
    return out;
  }

  private void collect(BtfType.Composite c, long bitBase, List<Type.Field> out, int depth) {
    if (depth > 16) return;
    for (BtfType.Member m : c.members()) {
      long bit = bitBase + m.bitOffset();
      if (m.name().isEmpty()) {
        if (btf.resolved(m.type()) instanceof BtfType.Composite inner) collect(inner, bit, out, depth + 1);
        continue;
      }
      Type t = type(m.type());
      if (m.isBitfield()) {
        out.add(new Type.Field(m.name(), t, (int) (bit >>> 3), (int) (bit & 7), m.bitfieldSize(), false));
      } else {
        out.add(new Type.Field(m.name(), t, (int) (bit >>> 3)));
      }
    }
  }
}
