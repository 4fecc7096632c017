package jbpf.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a function as its DWARF debug information ({@code .debug_info}, versions 2 to 5) describes them:
 * names and types, for typed uprobe arguments. Only what that needs is read: the debugging information entries of
 * subprograms, their formal parameters and the types those refer to. See https://dwarfstd.org/dwarf5std.html,
 * sections 7.5 (the format of entries and attribute forms) and 3.3 (subprograms).
 */
public final class DwarfFunctions {
  /** A type as far as an argument needs it. */
  public sealed interface DType {}

  /** {@code void}, or a type DWARF leaves out. */
  public record Void() implements DType {}

  /**
   * A base type.
   *
   * @param encoding {@code DW_ATE_*}: 2 boolean, 4 float, 5 signed, 6 signed char, 7 unsigned, 8 unsigned char
   */
  public record Base(String name, int size, int encoding) implements DType {
    /** {@return whether values are signed integers} */
    public boolean signed() { return encoding == 5 || encoding == 6; }

    /** {@return whether values are floating point, passed in vector registers} */
    public boolean floating() { return encoding == 4 || encoding == 3; }
  }

  /** A pointer (or C++ reference) to {@code target}. */
  public record Pointer(DType target) implements DType {}

  /** A struct, class or union, named {@code kind name}. */
  public record Composite(String kind, String name, int size) implements DType {}

  /** An enumeration. */
  public record Enum(String name, int size, boolean signed) implements DType {}

  /** An array of {@code count} elements (0 if unknown). */
  public record Array(DType element, long count) implements DType {}

  /** {@code target} under another name. */
  public record Typedef(String name, DType target) implements DType {}

  /** {@code target} qualified {@code const}, {@code volatile} or {@code restrict}. */
  public record Qualified(String qualifier, DType target) implements DType {}

  /**
   * A formal parameter.
   *
   * @param artificial whether the compiler added it, as C++'s {@code this}
   */
  public record Param(String name, DType type, boolean artificial) {}

  private static final int TAG_ARRAY = 0x01, TAG_CLASS = 0x02, TAG_ENUM = 0x04, TAG_FORMAL_PARAMETER = 0x05,
      TAG_POINTER = 0x0f, TAG_REFERENCE = 0x10, TAG_COMPILE_UNIT = 0x11, TAG_STRUCT = 0x13, TAG_TYPEDEF = 0x16,
      TAG_UNION = 0x17, TAG_SUBRANGE = 0x21, TAG_BASE = 0x24, TAG_CONST = 0x26, TAG_SUBPROGRAM = 0x2e,
      TAG_VOLATILE = 0x35, TAG_RESTRICT = 0x37, TAG_RVALUE_REFERENCE = 0x42;
  private static final int AT_NAME = 0x03, AT_BYTE_SIZE = 0x0b, AT_LOW_PC = 0x11, AT_UPPER_BOUND = 0x2f,
      AT_ABSTRACT_ORIGIN = 0x31, AT_ARTIFICIAL = 0x34, AT_COUNT = 0x37, AT_ENCODING = 0x3e, AT_SPECIFICATION = 0x47,
      AT_TYPE = 0x49, AT_STR_OFFSETS_BASE = 0x72, AT_ADDR_BASE = 0x73;

  /** One debugging information entry: its tag, the attributes kept, and its children's offsets. */
  private record Die(int tag, Map<Integer, Object> attrs, List<Long> children) {}

  /** A reference to another entry, by its offset in {@code .debug_info}. */
  private record Ref(long offset) {}

  /** An index into {@code .debug_str_offsets} or {@code .debug_addr}, resolved once the unit's bases are known. */
  private record Index(int form, long index) {}

  private final ElfFile elf;
  private final ByteBuffer info;
  private final Map<Long, Die> dies = new HashMap<>();
  private ByteBuffer str, lineStr, strOffsets, addr;

  private DwarfFunctions(ElfFile elf, ByteBuffer info) {
    this.elf = elf;
    this.info = info;
  }

  /**
   * {@return the parameters of the function whose code starts at link-time address {@code address}, empty if the
   * file has no debug information for it}
   *
   * @throws ElfFormatException if the debug information is malformed
   */
  public static Optional<List<Param>> parameters(ElfFile elf, long address) {
    Optional<ElfSection> s = elf.section(".debug_info");
    if (s.isEmpty()) return Optional.empty();
    DwarfFunctions d = new DwarfFunctions(elf, elf.contents(s.get()).order(ByteOrder.LITTLE_ENDIAN));
    try {
      return d.find(address);
    } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
      throw new ElfFormatException(elf.name() + ": .debug_info is truncated");
    }
  }

  /** {@return whether {@code elf} has DWARF debug information} */
  public static boolean hasDebugInfo(ElfFile elf) { return elf.section(".debug_info").isPresent(); }

  private Optional<List<Param>> find(long address) {
    long found = -1;
    int pos = 0;
    while (pos < info.limit() && found < 0) {
      int unit = pos;
      long length = Integer.toUnsignedLong(info.getInt(pos));
      int offsetSize = 4;
      pos += 4;
      if (length == 0xffffffffL) {
        length = info.getLong(pos);
        offsetSize = 8;
        pos += 8;
      }
      int end = (int) (pos + length);
      if (length > info.limit() || end > info.limit()) throw new ElfFormatException(elf.name() + ": unit at " + unit + " runs past .debug_info");
      int version = Short.toUnsignedInt(info.getShort(pos));
      pos += 2;
      long abbrevOffset;
      int addressSize;
      if (version >= 5) {
        int unitType = info.get(pos++) & 0xff;
        addressSize = info.get(pos++) & 0xff;
        abbrevOffset = offsetSize == 8 ? info.getLong(pos) : Integer.toUnsignedLong(info.getInt(pos));
        pos += offsetSize;
        if (unitType == 4 || unitType == 5) pos += 8;       // skeleton and split units: dwo_id
        else if (unitType == 2 || unitType == 6) pos += 8 + offsetSize;   // type units: signature, type offset
      } else if (version >= 2) {
        abbrevOffset = offsetSize == 8 ? info.getLong(pos) : Integer.toUnsignedLong(info.getInt(pos));
        pos += offsetSize;
        addressSize = info.get(pos++) & 0xff;
      } else {
        throw new ElfFormatException(elf.name() + ": DWARF version " + version + " is not supported");
      }
      found = unit(unit, pos, end, version, offsetSize, addressSize, abbrevs(abbrevOffset), address);
      pos = end;
    }
    if (found < 0) return Optional.empty();
    List<Param> out = new ArrayList<>();
    for (long c : dies.get(found).children()) {
      Die p = dies.get(c);
      if (p == null || p.tag() != TAG_FORMAL_PARAMETER) continue;
      String name = string(p, AT_NAME);
      Object type = attr(p, AT_TYPE);
      boolean artificial = attr(p, AT_ARTIFICIAL) instanceof Long l && l != 0;
      out.add(new Param(name == null ? "" : name, type instanceof Ref r ? type(r.offset(), 0) : new Void(), artificial));
    }
    return Optional.of(out);
  }

  /** An abbreviation: tag, whether entries have children, and (attribute, form, implicit constant) triples. */
  private record Abbrev(int tag, boolean children, int[] attrs, int[] forms, long[] consts) {}

  private Map<Long, Abbrev> abbrevs(long offset) {
    ByteBuffer a = section(".debug_abbrev");
    int[] p = {(int) offset};
    Map<Long, Abbrev> out = new HashMap<>();
    while (true) {
      long code = uleb(a, p);
      if (code == 0) break;
      int tag = (int) uleb(a, p);
      boolean children = a.get(p[0]++) != 0;
      List<long[]> specs = new ArrayList<>();
      while (true) {
        int at = (int) uleb(a, p), form = (int) uleb(a, p);
        long c = form == 0x21 ? sleb(a, p) : 0;
        if (at == 0 && form == 0) break;
        specs.add(new long[] {at, form, c});
      }
      int[] attrs = new int[specs.size()], forms = new int[specs.size()];
      long[] consts = new long[specs.size()];
      for (int i = 0; i < specs.size(); i++) {
        attrs[i] = (int) specs.get(i)[0];
        forms[i] = (int) specs.get(i)[1];
        consts[i] = specs.get(i)[2];
      }
      out.put(code, new Abbrev(tag, children, attrs, forms, consts));
    }
    return out;
  }

  /** Reads the entries of one unit; {@return the offset of the subprogram starting at {@code address}, or -1} */
  private long unit(int unitOffset, int start, int end, int version, int offsetSize, int addressSize, Map<Long, Abbrev> abbrevs,
                    long address) {
    int[] p = {start};
    List<Long> parents = new ArrayList<>();
    long strOffsetsBase = 8, addrBase = 8, found = -1;
    List<Die> unitDies = new ArrayList<>();
    List<Long> unitOffsets = new ArrayList<>();
    while (p[0] < end) {
      long offset = p[0];
      long code = uleb(info, p);
      if (code == 0) {
        if (!parents.isEmpty()) parents.removeLast();
        continue;
      }
      Abbrev ab = abbrevs.get(code);
      if (ab == null) throw new ElfFormatException(elf.name() + ": entry at " + offset + " has unknown abbreviation " + code);
      Map<Integer, Object> attrs = new HashMap<>();
      for (int i = 0; i < ab.attrs().length; i++) {
        Object v = value(ab.forms()[i], ab.consts()[i], p, unitOffset, version, offsetSize, addressSize);
        if (keep(ab.attrs()[i])) attrs.put(ab.attrs()[i], v);
      }
      Die die = new Die(ab.tag(), attrs, new ArrayList<>());
      dies.put(offset, die);
      unitDies.add(die);
      unitOffsets.add(offset);
      if (!parents.isEmpty()) dies.get(parents.getLast()).children().add(offset);
      if (ab.tag() == TAG_COMPILE_UNIT) {
        if (attrs.get(AT_STR_OFFSETS_BASE) instanceof Long b) strOffsetsBase = b;
        if (attrs.get(AT_ADDR_BASE) instanceof Long b) addrBase = b;
      }
      if (ab.children()) parents.add(offset);
    }
    // indexed strings and addresses need the unit's bases, known only once its first entry has been read
    for (Die d : unitDies) {
      for (var e : d.attrs().entrySet()) {
        if (!(e.getValue() instanceof Index(int form, long index))) continue;
        e.setValue(isAddrForm(form) ? Long.valueOf(addrAt(addrBase + index * addressSize, addressSize))
            : strAt(section(".debug_str"), offsetAt(section(".debug_str_offsets"), strOffsetsBase + index * offsetSize, offsetSize)));
      }
    }
    for (int i = 0; i < unitDies.size() && found < 0; i++) {
      Die d = unitDies.get(i);
      if (d.tag() == TAG_SUBPROGRAM && d.attrs().get(AT_LOW_PC) instanceof Long pc && pc == address) found = unitOffsets.get(i);
    }
    return found;
  }

  private static boolean keep(int at) {
    return at == AT_NAME || at == AT_BYTE_SIZE || at == AT_LOW_PC || at == AT_UPPER_BOUND || at == AT_ABSTRACT_ORIGIN
        || at == AT_ARTIFICIAL || at == AT_COUNT || at == AT_ENCODING || at == AT_SPECIFICATION || at == AT_TYPE
        || at == AT_STR_OFFSETS_BASE || at == AT_ADDR_BASE;
  }

  private static boolean isAddrForm(int form) { return form == 0x1b || (form >= 0x29 && form <= 0x2c) || form == 0x1f01; }

  /** Reads one attribute value of {@code form}: a Long, a String, a Ref, an Index, or null for blocks and the like. */
  private Object value(int form, long implicit, int[] p, int unitOffset, int version, int offsetSize, int addressSize) {
    ByteBuffer b = info;
    return switch (form) {
      case 0x01 -> addressSize == 8 ? b.getLong(adv(p, 8)) : Integer.toUnsignedLong(b.getInt(adv(p, 4)));   // addr
      case 0x0b -> (long) (b.get(adv(p, 1)) & 0xff);                                    // data1
      case 0x05 -> (long) Short.toUnsignedInt(b.getShort(adv(p, 2)));                  // data2
      case 0x06 -> Integer.toUnsignedLong(b.getInt(adv(p, 4)));                        // data4
      case 0x07 -> b.getLong(adv(p, 8));                                               // data8
      case 0x0d -> sleb(b, p);                                                         // sdata
      case 0x0f -> uleb(b, p);                                                         // udata
      case 0x0c -> (long) (b.get(adv(p, 1)) & 0xff);                                    // flag
      case 0x19 -> 1L;                                                                 // flag_present
      case 0x21 -> implicit;                                                           // implicit_const
      case 0x08 -> cstring(b, p);                                                      // string
      case 0x0e -> strAt(section(".debug_str"), offset(b, p, offsetSize));            // strp
      case 0x1f -> strAt(section(".debug_line_str"), offset(b, p, offsetSize));       // line_strp
      case 0x1d, 0x1f21 -> { offset(b, p, offsetSize); yield null; }                  // strp_sup, GNU_strp_alt
      case 0x1a, 0x1f02 -> new Index(0x1a, uleb(b, p));                               // strx
      case 0x25 -> new Index(0x1a, b.get(adv(p, 1)) & 0xff);                           // strx1
      case 0x26 -> new Index(0x1a, Short.toUnsignedInt(b.getShort(adv(p, 2))));       // strx2
      case 0x27 -> new Index(0x1a, u24(b, adv(p, 3)));                                 // strx3
      case 0x28 -> new Index(0x1a, Integer.toUnsignedLong(b.getInt(adv(p, 4))));      // strx4
      case 0x1b, 0x1f01 -> new Index(0x1b, uleb(b, p));                               // addrx
      case 0x29 -> new Index(0x1b, b.get(adv(p, 1)) & 0xff);                           // addrx1
      case 0x2a -> new Index(0x1b, Short.toUnsignedInt(b.getShort(adv(p, 2))));       // addrx2
      case 0x2b -> new Index(0x1b, u24(b, adv(p, 3)));                                 // addrx3
      case 0x2c -> new Index(0x1b, Integer.toUnsignedLong(b.getInt(adv(p, 4))));      // addrx4
      case 0x11 -> new Ref(unitOffset + (b.get(adv(p, 1)) & 0xff));                    // ref1
      case 0x12 -> new Ref(unitOffset + Short.toUnsignedInt(b.getShort(adv(p, 2))));   // ref2
      case 0x13 -> new Ref(unitOffset + Integer.toUnsignedLong(b.getInt(adv(p, 4))));  // ref4
      case 0x14 -> new Ref(unitOffset + b.getLong(adv(p, 8)));                         // ref8
      case 0x15 -> new Ref(unitOffset + uleb(b, p));                                   // ref_udata
      case 0x10 -> new Ref(version <= 2 ? (addressSize == 8 ? b.getLong(adv(p, 8)) : Integer.toUnsignedLong(b.getInt(adv(p, 4))))
          : offset(b, p, offsetSize));                                                 // ref_addr
      case 0x17 -> offset(b, p, offsetSize);                                          // sec_offset
      case 0x1c -> { adv(p, 4); yield null; }                                          // ref_sup4
      case 0x24, 0x20 -> { adv(p, 8); yield null; }                                    // ref_sup8, ref_sig8
      case 0x1f20 -> { offset(b, p, offsetSize); yield null; }                         // GNU_ref_alt
      case 0x1e -> { adv(p, 16); yield null; }                                         // data16
      case 0x22, 0x23 -> uleb(b, p);                                                   // loclistx, rnglistx
      case 0x0a -> { adv(p, b.get(adv(p, 1)) & 0xff); yield null; }                    // block1
      case 0x03 -> { adv(p, Short.toUnsignedInt(b.getShort(adv(p, 2)))); yield null; } // block2
      case 0x04 -> { adv(p, b.getInt(adv(p, 4))); yield null; }                        // block4
      case 0x09, 0x18 -> { adv(p, (int) uleb(b, p)); yield null; }                     // block, exprloc
      case 0x16 -> value((int) uleb(b, p), 0, p, unitOffset, version, offsetSize, addressSize);   // indirect
      default -> throw new ElfFormatException(elf.name() + ": DWARF form 0x" + Integer.toHexString(form) + " is not supported");
    };
  }

  private DType type(long offset, int depth) {
    Die d = dies.get(offset);
    if (d == null || depth > 32) return new Void();
    Object t = attr(d, AT_TYPE);
    DType target = t instanceof Ref r ? type(r.offset(), depth + 1) : new Void();
    String name = string(d, AT_NAME);
    int size = attr(d, AT_BYTE_SIZE) instanceof Long l ? l.intValue() : 0;
    return switch (d.tag()) {
      case TAG_BASE -> new Base(name == null ? "" : name, size, attr(d, AT_ENCODING) instanceof Long e ? e.intValue() : 0);
      case TAG_POINTER, TAG_REFERENCE, TAG_RVALUE_REFERENCE -> new Pointer(target);
      case TAG_STRUCT, TAG_CLASS, TAG_UNION -> new Composite(d.tag() == TAG_UNION ? "union" : d.tag() == TAG_CLASS ? "class" : "struct",
          name == null ? "" : name, size);
      case TAG_ENUM -> new Enum(name == null ? "" : name, size == 0 ? 4 : size, target instanceof Base b && b.signed());
      case TAG_TYPEDEF -> new Typedef(name == null ? "" : name, target);
      case TAG_CONST -> new Qualified("const", target);
      case TAG_VOLATILE -> new Qualified("volatile", target);
      case TAG_RESTRICT -> new Qualified("restrict", target);
      case TAG_ARRAY -> {
        long count = 0;
        for (long c : d.children()) {
          Die s = dies.get(c);
          if (s == null || s.tag() != TAG_SUBRANGE) continue;
          if (attr(s, AT_COUNT) instanceof Long n) count = n;
          else if (attr(s, AT_UPPER_BOUND) instanceof Long u) count = u + 1;
        }
        yield new Array(target, count);
      }
      default -> new Void();
    };
  }

  /** {@return attribute {@code at} of {@code d}, or of the entry it completes or is a concrete instance of} */
  private Object attr(Die d, int at) {
    for (int i = 0; i < 8 && d != null; i++) {
      Object v = d.attrs().get(at);
      if (v != null) return v;
      Object next = d.attrs().get(AT_ABSTRACT_ORIGIN);
      if (next == null) next = d.attrs().get(AT_SPECIFICATION);
      d = next instanceof Ref r ? dies.get(r.offset()) : null;
    }
    return null;
  }

  private String string(Die d, int at) { return attr(d, at) instanceof String s ? s : null; }

  /** {@return the C declaration of a value of type {@code t}, as bpftrace lists arguments: {@code const char *}} */
  public static String cName(DType t) {
    return switch (t) {
      case Void v -> "void";
      case Base b -> b.name();
      case Pointer p -> cName(p.target()) + " *";
      case Composite c -> c.kind() + " " + c.name();
      case Enum e -> "enum " + e.name();
      case Array a -> cName(a.element()) + "[" + (a.count() > 0 ? a.count() : "") + "]";
      case Typedef td -> td.name();
      case Qualified q -> q.target() instanceof Pointer ? cName(q.target()) + " " + q.qualifier() : q.qualifier() + " " + cName(q.target());
    };
  }

  // ---- bytes ----------------------------------------------------------------------------------------------------

  private ByteBuffer section(String name) {
    ByteBuffer cached = switch (name) {
      case ".debug_str" -> str;
      case ".debug_line_str" -> lineStr;
      case ".debug_str_offsets" -> strOffsets;
      case ".debug_addr" -> addr;
      default -> null;
    };
    if (cached != null) return cached;
    ByteBuffer b = elf.section(name).map(elf::contents).orElseThrow(() -> new ElfFormatException(elf.name() + ": " + name + " is missing"))
        .order(ByteOrder.LITTLE_ENDIAN);
    switch (name) {
      case ".debug_str" -> str = b;
      case ".debug_line_str" -> lineStr = b;
      case ".debug_str_offsets" -> strOffsets = b;
      case ".debug_addr" -> addr = b;
      default -> {}
    }
    return b;
  }

  private long addrAt(long at, int size) {
    ByteBuffer a = section(".debug_addr");
    return size == 8 ? a.getLong((int) at) : Integer.toUnsignedLong(a.getInt((int) at));
  }

  private static long offsetAt(ByteBuffer b, long at, int size) {
    return size == 8 ? b.getLong((int) at) : Integer.toUnsignedLong(b.getInt((int) at));
  }

  private static String strAt(ByteBuffer b, long at) {
    int s = (int) at, e = s;
    while (b.get(e) != 0) e++;
    byte[] bytes = new byte[e - s];
    b.get(s, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String cstring(ByteBuffer b, int[] p) {
    String s = strAt(b, p[0]);
    int e = p[0];
    while (b.get(e) != 0) e++;
    p[0] = e + 1;
    return s;
  }

  private static long offset(ByteBuffer b, int[] p, int size) {
    return size == 8 ? b.getLong(adv(p, 8)) : Integer.toUnsignedLong(b.getInt(adv(p, 4)));
  }

  private static int u24(ByteBuffer b, int at) { return (b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8 | (b.get(at + 2) & 0xff) << 16; }

  /** Advances {@code p} by {@code n}; {@return where it was} */
  private static int adv(int[] p, int n) {
    int at = p[0];
    if (n < 0) throw new ElfFormatException("negative DWARF block length");
    p[0] += n;
    return at;
  }

  private static long uleb(ByteBuffer b, int[] p) {
    long v = 0;
    int shift = 0;
    while (true) {
      int x = b.get(p[0]++) & 0xff;
      if (shift < 64) v |= (long) (x & 0x7f) << shift;
      shift += 7;
      if ((x & 0x80) == 0) return v;
    }
  }

  private static long sleb(ByteBuffer b, int[] p) {
    long v = 0;
    int shift = 0, x;
    do {
      x = b.get(p[0]++) & 0xff;
      if (shift < 64) v |= (long) (x & 0x7f) << shift;
      shift += 7;
    } while ((x & 0x80) != 0);
    if (shift < 64 && (x & 0x40) != 0) v |= -1L << shift;
    return v;
  }
}
