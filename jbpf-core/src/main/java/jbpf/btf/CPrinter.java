package jbpf.btf;

import java.util.List;
import jbpf.btf.BtfType.Composite;
import jbpf.btf.BtfType.Enumeration;
import jbpf.btf.BtfType.Enumerator;
import jbpf.btf.BtfType.Member;
import jbpf.btf.BtfType.Param;

/**
 * Prints BTF types in C syntax. A declaration is built inside out: each pointer, array or function layer wraps the
 * declarator, and the innermost base type (int, struct, typedef...) is written in front of it, so that
 * {@code ptr -> array[16] -> char} becomes {@code char (*name)[16]}. Type tags are not printed.
 *
 * <p>Like {@link Btf}'s layout queries this switches on {@link BtfKind} and joins strings with
 * {@link String#concat} and {@link StringBuilder}: pattern switches and {@code +} on strings bootstrap through
 * invokedynamic, which costs tens of milliseconds the first time in a fresh JVM, and {@code -lv} listings run first.
 */
final class CPrinter {
  /** Padding types for gaps in struct layouts, widest first: {@code long: 64;} and so on. */
  private static final String[] PAD_NAMES = {"long", "int", "short", "char"};
  private static final int[] PAD_BITS = {64, 32, 16, 8};

  private final Btf btf;
  /** Indentation level at which anonymous struct, union and enum bodies are expanded, or -1 to print {@code struct {...}}. */
  private int expandLevel = -1;
  private int depth;
  /**
   * Types visited and padding lines written so far: malformed data can nest function prototypes so that the text
   * grows exponentially, or declare gigabyte structs that would need millions of padding lines.
   */
  private int steps;
  private static final int MAX_STEPS = 1 << 16;
  private int root;
  /**
   * Whether an empty parameter list prints as {@code (void)}, as in a prototype; otherwise {@code ()}, as libbpf's
   * C dump and so bpftrace print function pointer members.
   */
  private final boolean voidParams;

  CPrinter(Btf btf) { this(btf, false); }

  CPrinter(Btf btf, boolean voidParams) {
    this.btf = btf;
    this.voidParams = voidParams;
  }

  String declaration(int id, String inner) {
    if (++depth > 4 * Btf.MAX_DEPTH) throw new BtfException("BTF type " + id + ": type chain is cyclic or too deep to print");
    if (steps++ == 0) root = id;
    if (steps > MAX_STEPS) throw new BtfException("BTF type " + root + ": declaration is too large to print");
    try {
      BtfType t = btf.type(id);
      return switch (t.kind()) {
        case VOID -> base("void", inner);
        case INT, FLOAT, TYPEDEF -> base(t.name(), inner);
        case FWD -> base((((BtfType.Fwd) t).union() ? "union " : "struct ").concat(t.name()), inner);
        case STRUCT, UNION -> base(compositeName((Composite) t), inner);
        case ENUM, ENUM64 -> base(enumName((Enumeration) t), inner);
        case PTR -> pointer((BtfType.Ptr) t, "", inner);
        case CONST, VOLATILE, RESTRICT -> qualified(id, inner);
        case TYPE_TAG -> declaration(((BtfType.TypeTag) t).type(), inner);
        case ARRAY -> {
          BtfType.Array a = (BtfType.Array) t;
          yield declaration(a.type(), new StringBuilder(inner).append('[').append(Integer.toUnsignedString(a.nelems())).append(']').toString());
        }
        case FUNC_PROTO -> {
          BtfType.FuncProto f = (BtfType.FuncProto) t;
          StringBuilder ps = new StringBuilder(inner).append('(');
          List<Param> params = f.params();
          for (int i = 0; i < params.size(); i++) {
            if (i > 0) ps.append(", ");
            ps.append(declaration(params.get(i).type(), params.get(i).name()));
          }
          if (f.varargs()) ps.append(params.isEmpty() ? "..." : ", ...");
          else if (params.isEmpty() && voidParams) ps.append("void");
          yield declaration(f.returnType(), ps.append(')').toString());
        }
        case FUNC -> declaration(((BtfType.Func) t).type(), inner.isEmpty() ? t.name() : inner);
        case VAR -> declaration(((BtfType.Var) t).type(), inner.isEmpty() ? t.name() : inner);
        case DATASEC -> base("SEC(\"".concat(t.name()).concat("\")"), inner);
        case DECL_TAG -> declaration(((BtfType.DeclTag) t).type(), inner);
      };
    } finally {
      depth--;
    }
  }

  /** A run of const/volatile/restrict: after a pointer's star if they qualify a pointer, else before the base type. */
  private String qualified(int id, String inner) {
    boolean isConst = false, isVolatile = false, isRestrict = false;
    int t = id;
    for (int i = 0; i <= Btf.MAX_DEPTH; i++) {
      BtfType q = btf.type(t);
      switch (q.kind()) {
        case CONST -> isConst = true;
        case VOLATILE -> isVolatile = true;
        case RESTRICT -> isRestrict = true;
        case TYPE_TAG -> { }
        default -> {
          StringBuilder qs = new StringBuilder();
          if (isConst) qs.append("const");
          if (isVolatile) qs.append(qs.isEmpty() ? "" : " ").append("volatile");
          if (isRestrict) qs.append(qs.isEmpty() ? "" : " ").append("restrict");
          // char *const p: qualifiers of a pointer follow its star
          if (q instanceof BtfType.Ptr p) return pointer(p, qs.toString(), inner);
          return prefixQualifiers(qs.toString(), declaration(t, inner));
        }
      }
      t = ((BtfType.Modifier) q).type();
    }
    throw new BtfException("BTF type " + id + ": chain of qualifiers is cyclic or longer than " + Btf.MAX_DEPTH);
  }

  /**
   * {@return {@code decl} behind {@code qualifiers}, each once: a qualified array is written with qualified
   * elements, and BTF may qualify both the array and its element type ({@code const char name[10]})}
   */
  private static String prefixQualifiers(String qualifiers, String decl) {
    StringBuilder out = new StringBuilder();
    for (String q : qualifiers.split(" ")) {
      if (!leadingQualifier(decl, q)) out.append(q).append(' ');
    }
    return out.append(decl).toString();
  }

  private static boolean leadingQualifier(String decl, String q) {
    int i = 0;
    while (true) {
      int sp = decl.indexOf(' ', i);
      if (sp < 0) return false;
      String word = decl.substring(i, sp);
      if (word.equals(q)) return true;
      if (!word.equals("const") && !word.equals("volatile") && !word.equals("restrict")) return false;
      i = sp + 1;
    }
  }

  private String pointer(BtfType.Ptr p, String qualifiers, String inner) {
    // libbpf's spelling, which bpftrace prints: "const struct xattr_handler * const *s_xattr"
    StringBuilder d = new StringBuilder("*");
    if (!qualifiers.isEmpty()) d.append(' ').append(qualifiers).append(inner.isEmpty() ? "" : " ");
    else if (inner.startsWith("(")) d.append(' ');
    d.append(inner);
    BtfKind k = btf.kind(skipTags(p.type()));
    if (k == BtfKind.ARRAY || k == BtfKind.FUNC_PROTO) d.insert(0, '(').append(')');
    return declaration(p.type(), d.toString());
  }

  private int skipTags(int id) {
    for (int i = 0; i <= Btf.MAX_DEPTH; i++) {
      if (!(btf.type(id) instanceof BtfType.TypeTag t)) return id;
      id = t.type();
    }
    throw new BtfException("BTF type " + id + ": chain of type tags is cyclic or longer than " + Btf.MAX_DEPTH);
  }

  private static String base(String name, String inner) {
    if (inner.isEmpty()) return name;
    if (inner.startsWith("[")) return name.concat(inner);
    return new StringBuilder(name.length() + 1 + inner.length()).append(name).append(' ').append(inner).toString();
  }

  private String compositeName(Composite c) {
    String kw = c instanceof BtfType.Struct ? "struct " : "union ";
    if (!c.name().isEmpty()) return kw.concat(c.name());
    if (expandLevel < 0) return kw.concat("{...}");
    return kw.concat(body(c, expandLevel));
  }

  private String enumName(Enumeration e) {
    if (!e.name().isEmpty()) return "enum ".concat(e.name());
    if (expandLevel < 0) return "enum {...}";
    return "enum ".concat(enumBody(e, expandLevel));
  }

  // ---- definitions

  String definition(int id) {
    root = id;
    steps = 1;
    BtfType t = btf.type(id);
    expandLevel = 0;
    StringBuilder out = new StringBuilder();
    switch (t.kind()) {
      case STRUCT, UNION -> {
        out.append(t.kind() == BtfKind.STRUCT ? "struct " : "union ");
        if (!t.name().isEmpty()) out.append(t.name()).append(' ');
        out.append(body((Composite) t, 0));
      }
      case ENUM, ENUM64 -> {
        out.append("enum ");
        if (!t.name().isEmpty()) out.append(t.name()).append(' ');
        out.append(enumBody((Enumeration) t, 0));
      }
      case TYPEDEF -> out.append("typedef ").append(declaration(((BtfType.Typedef) t).type(), t.name()));
      case FWD -> out.append(((BtfType.Fwd) t).union() ? "union " : "struct ").append(t.name());
      case FUNC, VAR -> out.append(declaration(id, ""));
      case VOID, INT, PTR, ARRAY, VOLATILE, CONST, RESTRICT, FUNC_PROTO, DATASEC, FLOAT, DECL_TAG, TYPE_TAG ->
          out.append(declaration(id, ""));
    }
    return out.append(";\n").toString();
  }

  private String enumBody(Enumeration e, int level) {
    StringBuilder out = new StringBuilder("{\n");
    boolean wide = e instanceof BtfType.Enum64;
    for (Enumerator v : e.values()) {
      indent(out, level + 1).append(v.name()).append(" = ");
      out.append(e.signed() ? Long.toString(v.value()) : Long.toUnsignedString(v.value()));
      if (wide) out.append(e.signed() ? "LL" : "ULL");
      out.append(",\n");
    }
    return indent(out, level).append('}').toString();
  }

  private String body(Composite c, int level) {
    if (level > Btf.MAX_DEPTH) throw new BtfException("BTF type " + root + ": anonymous members nest deeper than " + Btf.MAX_DEPTH);
    StringBuilder out = new StringBuilder("{\n");
    boolean struct = c instanceof BtfType.Struct;
    long cur = 0;
    boolean prevBitfield = false;
    boolean packed = struct && packed(c);
    for (Member m : c.members()) {
      // in a packed struct nothing is aligned, so every gap needs its marker
      if (struct) pad(out, level + 1, cur, m.bitOffset(), packed ? 1 : alignOrOne(m.type()), prevBitfield && m.isBitfield());
      int saved = expandLevel;
      expandLevel = level + 1;
      String decl = declaration(m.type(), m.name());
      expandLevel = saved;
      indent(out, level + 1).append(decl);
      if (m.isBitfield()) out.append(": ").append(m.bitfieldSize());
      out.append(";\n");
      long size = m.isBitfield() ? m.bitfieldSize() : 8 * sizeOrZero(m.type());
      cur = Math.max(cur, m.bitOffset() + size);
      prevBitfield = m.isBitfield();
    }
    if (struct) pad(out, level + 1, cur, 8L * c.size(), packed ? 1 : maxAlign(c), false);
    if (out.length() == 2) return packed ? "{} __attribute__((packed))" : "{}";
    indent(out, level).append('}');
    if (packed) out.append(" __attribute__((packed))");
    return out.toString();
  }

  /**
   * Writes anonymous bitfields that fill the gap from bit {@code cur} to bit {@code next} where the compiler would
   * not leave it by itself. First the widest padding type whose alignment boundary fits in the gap is chosen; the
   * bits up to that boundary need an explicit {@code type: 0;} marker (or a bit count within a run of bitfields)
   * only if the following field would not be pushed there by its own alignment. The rest of the gap is filled with
   * whole padding fields, the last one of the narrowest type that holds the remainder.
   */
  private void pad(StringBuilder out, int level, long cur, long next, int nextAlign, boolean inBitfield) {
    if (cur >= next) return;
    if (steps + (next - cur) / 64 > MAX_STEPS) throw new BtfException("BTF type " + root + ": a gap of " + (next - cur) / 8 + " bytes is too large to print");
    int chosen = PAD_BITS.length - 1;
    long boundary = cur;
    for (int i = 0; i < PAD_BITS.length; i++) {
      boundary = roundUp(cur, PAD_BITS[i]);
      chosen = i;
      if (boundary <= next) break;
    }
    if (boundary > cur && boundary <= next) {
      if (inBitfield || (boundary == next && roundUp(cur, 8L * nextAlign) != boundary)
          || (boundary != next && next - boundary <= boundary - cur))
        indent(out, level).append(PAD_NAMES[chosen]).append(": ").append(inBitfield ? boundary - cur : 0).append(";\n");
      cur = boundary;
    }
    while (cur < next) {
      long bits = Math.min(next - cur, PAD_BITS[chosen]);
      int kind = chosen;
      if (bits < PAD_BITS[chosen]) {
        kind = PAD_BITS.length - 1;
        while (PAD_BITS[kind] < bits) kind--;
      }
      indent(out, level).append(PAD_NAMES[kind]).append(": ").append(bits).append(";\n");
      cur += bits;
      steps++;
    }
  }

  private int maxAlign(Composite c) {
    int max = 1;
    for (Member m : c.members()) max = Math.max(max, alignOrOne(m.type()));
    return max;
  }

  private boolean packed(Composite c) {
    int max = 1;
    for (Member m : c.members()) {
      int a = alignOrOne(m.type());
      if (!m.isBitfield() && m.bitOffset() % (8L * a) != 0) return true;
      max = Math.max(max, a);
    }
    return c.size() % max != 0;
  }

  private int alignOrOne(int id) {
    try {
      return btf.alignOf(id);
    } catch (IllegalArgumentException e) {
      return 1;
    }
  }

  private long sizeOrZero(int id) {
    try {
      return btf.sizeOf(id);
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private static long roundUp(long v, long to) { return to <= 1 ? v : (v + to - 1) / to * to; }

  private static StringBuilder indent(StringBuilder out, int level) {
    for (int i = 0; i < level; i++) out.append('\t');
    return out;
  }
}
