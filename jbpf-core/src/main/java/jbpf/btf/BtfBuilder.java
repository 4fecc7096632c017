package jbpf.btf;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jbpf.btf.BtfType.Member;
import jbpf.btf.BtfType.Param;

/**
 * Writes BTF in the raw format that {@code BPF_BTF_LOAD} and {@link Btf#parse} accept. Types get ids in the order
 * they are added, starting at 1 (or after the base's types for split BTF); references may point forward, and are
 * checked when {@link #build} writes the blob. Structs with bitfields are written with {@code kind_flag} set.
 */
public final class BtfBuilder {
  private final int firstId;
  private final int stringBase;
  private final List<BtfType> types = new ArrayList<>();

  /** A builder for standalone BTF. */
  public BtfBuilder() {
    firstId = 1;
    stringBase = 0;
  }

  /** A builder for split BTF on top of {@code base}: ids continue after the base's, and base types may be referred to. */
  public BtfBuilder(Btf base) {
    firstId = base.typeCount();
    stringBase = base.stringsEnd();
  }

  /** {@return the id of the added type} */
  public int add(BtfType type) {
    if (type instanceof BtfType.Void) throw new IllegalArgumentException("void is type 0 and cannot be added");
    types.add(Objects.requireNonNull(type));
    return firstId + types.size() - 1;
  }

  /** {@return the id the next added type will get} */
  public int nextId() { return firstId + types.size(); }

  /**
   * Adds a function and its prototype. Every parameter needs a name: {@code BPF_BTF_LOAD} rejects a {@code FUNC}
   * whose prototype has an unnamed parameter ("Invalid arg#1").
   *
   * @return the id of the {@code FUNC}, as {@link FuncInfo} wants it
   */
  public int addFunc(String name, BtfType.Linkage linkage, int returnType, List<Param> params) {
    for (int i = 0; i < params.size(); i++)
      if (params.get(i).name().isEmpty()) throw new IllegalArgumentException("function " + name + ": parameter " + (i + 1) + " has no name");
    int proto = add(new BtfType.FuncProto(returnType, params, false));
    return add(new BtfType.Func(name, proto, linkage));
  }

  /** {@return the blob in the byte order of this machine, as the kernel wants it} */
  public byte[] build() { return build(ByteOrder.nativeOrder()); }

  /** {@return the blob in byte order {@code order}} */
  public byte[] build(ByteOrder order) {
    Strings strings = new Strings(stringBase);
    int typeLen = 0;
    for (BtfType t : types) typeLen += recordSize(t);
    ByteBuffer out = ByteBuffer.allocate(typeLen).order(order);
    int id = firstId;
    for (BtfType t : types) write(out, t, id++, strings);
    byte[] str = strings.bytes();
    ByteBuffer all = ByteBuffer.allocate(24 + typeLen + str.length).order(order);
    all.putShort((short) 0xEB9F).put((byte) 1).put((byte) 0).putInt(24);
    all.putInt(0).putInt(typeLen).putInt(typeLen).putInt(str.length);
    all.put(out.array()).put(str);
    return all.array();
  }

  private static int recordSize(BtfType t) {
    return 12 + switch (t) {
      case BtfType.Int _, BtfType.Var _, BtfType.DeclTag _ -> 4;
      case BtfType.Array _ -> 12;
      case BtfType.Composite c -> 12 * c.members().size();
      case BtfType.Enum e -> 8 * e.values().size();
      case BtfType.Enum64 e -> 12 * e.values().size();
      case BtfType.FuncProto f -> 8 * (f.params().size() + (f.varargs() ? 1 : 0));
      case BtfType.Datasec d -> 12 * d.vars().size();
      case BtfType.Void _, BtfType.Ptr _, BtfType.Fwd _, BtfType.Modifier _, BtfType.Func _, BtfType.Float _ -> 0;
    };
  }

  private void write(ByteBuffer out, BtfType t, int id, Strings s) {
    switch (t) {
      case BtfType.Int i -> {
        if (i.size() > 16 || i.bitOffset() + i.bits() > 8 * i.size() || i.bits() > 128)
          throw bad(id, t, "int of " + i.size() + " bytes cannot hold " + i.bits() + " bits at bit " + i.bitOffset());
        int enc = switch (i.encoding()) { case NONE -> 0; case SIGNED -> 1; case CHAR -> 2; case BOOL -> 4; };
        header(out, s.of(i.name()), BtfKind.INT, 0, false, i.size());
        out.putInt(enc << 24 | i.bitOffset() << 16 | i.bits());
      }
      case BtfType.Ptr p -> header(out, 0, BtfKind.PTR, 0, false, ref(id, t, p.type()));
      case BtfType.Array a -> {
        header(out, 0, BtfKind.ARRAY, 0, false, 0);
        out.putInt(ref(id, t, a.type())).putInt(ref(id, t, a.indexType())).putInt(a.nelems());
      }
      case BtfType.Composite c -> {
        boolean bitfields = c.members().stream().anyMatch(Member::isBitfield);
        header(out, s.of(c.name()), c.kind(), vlen(id, t, c.members().size()), bitfields, c.size());
        for (Member m : c.members()) {
          if (bitfields && (m.bitOffset() >= 1 << 24 || m.bitfieldSize() > 255))
            throw bad(id, t, "member " + m.name() + ": bitfield offset must be below 2^24 and size below 256");
          out.putInt(s.of(m.name())).putInt(ref(id, t, m.type())).putInt(bitfields ? m.bitfieldSize() << 24 | m.bitOffset() : m.bitOffset());
        }
      }
      case BtfType.Enum e -> {
        header(out, s.of(e.name()), BtfKind.ENUM, vlen(id, t, e.values().size()), e.signed(), e.size());
        for (BtfType.Enumerator v : e.values()) {
          boolean fits = e.signed() ? v.value() == (int) v.value() : v.value() >>> 32 == 0;
          if (!fits) throw bad(id, t, "value " + v.value() + " of " + v.name() + " does not fit in 32 bits");
          out.putInt(s.of(v.name())).putInt((int) v.value());
        }
      }
      case BtfType.Enum64 e -> {
        header(out, s.of(e.name()), BtfKind.ENUM64, vlen(id, t, e.values().size()), e.signed(), e.size());
        for (BtfType.Enumerator v : e.values()) out.putInt(s.of(v.name())).putInt((int) v.value()).putInt((int) (v.value() >>> 32));
      }
      case BtfType.Fwd f -> header(out, s.of(f.name()), BtfKind.FWD, 0, f.union(), 0);
      case BtfType.Typedef d -> header(out, s.of(d.name()), BtfKind.TYPEDEF, 0, false, ref(id, t, d.type()));
      case BtfType.Volatile v -> header(out, 0, BtfKind.VOLATILE, 0, false, ref(id, t, v.type()));
      case BtfType.Const c -> header(out, 0, BtfKind.CONST, 0, false, ref(id, t, c.type()));
      case BtfType.Restrict r -> header(out, 0, BtfKind.RESTRICT, 0, false, ref(id, t, r.type()));
      case BtfType.TypeTag g -> header(out, s.of(g.name()), BtfKind.TYPE_TAG, 0, g.attribute(), ref(id, t, g.type()));
      case BtfType.Func f -> {
        int proto = ref(id, t, f.type());
        if (proto >= firstId && !(types.get(proto - firstId) instanceof BtfType.FuncProto))
          throw bad(id, t, "refers to type " + proto + ", which is not a function prototype");
        header(out, s.of(f.name()), BtfKind.FUNC, f.linkage().ordinal(), false, proto);
      }
      case BtfType.FuncProto f -> {
        header(out, 0, BtfKind.FUNC_PROTO, vlen(id, t, f.params().size() + (f.varargs() ? 1 : 0)), false, ref(id, t, f.returnType()));
        for (Param p : f.params()) {
          if (p.type() == 0) throw bad(id, t, "parameter " + p.name() + " has type void");
          out.putInt(s.of(p.name())).putInt(ref(id, t, p.type()));
        }
        if (f.varargs()) out.putInt(0).putInt(0);
      }
      case BtfType.Var v -> {
        header(out, s.of(v.name()), BtfKind.VAR, 0, false, ref(id, t, v.type()));
        out.putInt(v.linkage().ordinal());
      }
      case BtfType.Datasec d -> {
        header(out, s.of(d.name()), BtfKind.DATASEC, vlen(id, t, d.vars().size()), false, d.size());
        for (BtfType.SecInfo v : d.vars()) out.putInt(ref(id, t, v.type())).putInt(v.offset()).putInt(v.size());
      }
      case BtfType.Float f -> header(out, s.of(f.name()), BtfKind.FLOAT, 0, false, f.size());
      case BtfType.DeclTag d -> {
        header(out, s.of(d.name()), BtfKind.DECL_TAG, 0, d.attribute(), ref(id, t, d.type()));
        out.putInt(d.componentIndex());
      }
      case BtfType.Void _ -> throw new IllegalStateException("void was added");
    }
  }

  private static void header(ByteBuffer out, int name, BtfKind kind, int vlen, boolean flag, int sizeOrType) {
    out.putInt(name).putInt((flag ? 1 << 31 : 0) | kind.value() << 24 | vlen).putInt(sizeOrType);
  }

  private int ref(int id, BtfType t, int ref) {
    if (ref < 0 || ref >= nextId()) throw bad(id, t, "refers to type " + ref + ", which was not added (the last id is " + (nextId() - 1) + ")");
    return ref;
  }

  private static int vlen(int id, BtfType t, int n) {
    if (n > 0xffff) throw bad(id, t, n + " members, parameters or values; at most 65535 fit");
    return n;
  }

  private static IllegalArgumentException bad(int id, BtfType t, String why) {
    String what = t.name().isEmpty() ? t.kind().toString() : t.kind() + " " + t.name();
    return new IllegalArgumentException("write BTF type " + id + " (" + what + "): " + why);
  }

  /** The string section: each distinct string once, offsets counted from {@code base}. */
  private static final class Strings {
    private final Map<String, Integer> offsets = new HashMap<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int base;

    Strings(int base) {
      this.base = base;
      if (base == 0) bytes.write(0);
      offsets.put("", 0);
    }

    int of(String s) {
      return offsets.computeIfAbsent(s, k -> {
        int off = base + bytes.size();
        bytes.writeBytes(k.getBytes(UTF_8));
        bytes.write(0);
        return off;
      });
    }

    byte[] bytes() { return bytes.toByteArray(); }
  }
}
