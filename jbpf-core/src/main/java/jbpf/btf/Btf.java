package jbpf.btf;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import jbpf.btf.BtfType.Composite;
import jbpf.btf.BtfType.Enumeration;
import jbpf.btf.BtfType.Enumerator;
import jbpf.btf.BtfType.FuncProto;
import jbpf.btf.BtfType.Member;
import jbpf.btf.BtfType.Param;

/**
 * A parsed BTF blob (https://docs.kernel.org/bpf/btf.html): raw {@code /sys/kernel/btf/*} files or the {@code .BTF}
 * section of an object file, in either byte order, optionally split on top of a base BTF.
 *
 * <p>Parsing checks the header and records where each type starts and its kind, in one pass; a type is decoded the
 * first time it is asked for. Lookups by name scan the names of one kind, and after a few lookups of a kind build a
 * hash index for it. Any query may therefore throw {@link BtfException} when the data is malformed. Type ids are
 * those of the file, 0 being void; a split blob's ids continue after its base's. Instances are immutable (caches
 * aside) and safe to share between threads.
 */
public final class Btf {
  /** The longest chain of type references followed, as the kernel's {@code MAX_RESOLVE_DEPTH}. */
  static final int MAX_DEPTH = 32;

  private static final int MAGIC = 0xEB9F;
  private static final int HEADER_LEN = 24;
  private static final int TYPE_LEN = 12;
  private static final BtfType VOID = new BtfType.Void();
  private static final BtfKind[] KINDS = BtfKind.values();
  /** Bytes following {@code struct btf_type}, by kind: fixed part, and per {@code vlen} item; -1 for no kind. */
  private static final int[] FIXED = {-1, 4, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 4, 0, 0};
  private static final int[] PER_ITEM = {0, 0, 0, 0, 12, 12, 8, 0, 0, 0, 0, 0, 0, 8, 0, 12, 0, 0, 0, 12};
  /**
   * Loops over all types run in chunks of this many items inside small static methods. A fresh JVM interprets a
   * long loop until 60000 back edges have passed before compiling it on the stack (OSR); a small method called
   * often is compiled after a few thousand items, which cuts a scan of vmlinux BTF (120k+ types) from ~15 ms to ~4.
   */
  private static final int SCAN_CHUNK = 32;
  private static final int SCANNED_LOOKUPS = 4;
  private static final int ENUM = BtfKind.ENUM.value(), ENUM64 = BtfKind.ENUM64.value();

  private final byte[] data;
  private final boolean bigEndian;
  private final Btf base;
  private final int firstId;
  private final int count;
  private final int[] offsets;
  /** The kind of each of this blob's types, so that scans by kind read one byte array in order. */
  private final byte[] kinds;
  private final int[][] idsByKind = new int[KINDS.length][];
  /** Name lookups so far, by kind; index 0 counts enumerator lookups. */
  private final int[] lookups = new int[KINDS.length];
  private final int strStart;
  private final int strLen;
  private final int strBase;
  private final int kindAt;
  private BtfType[] cache;
  private final NameIndex[] indexes = new NameIndex[KINDS.length];
  private NameIndex enumerators;
  private int pointerSize;
  private int[] alignments;

  private Btf(byte[] data, Btf base) {
    this.data = data;
    this.base = base;
    if (data.length < HEADER_LEN) throw new BtfException("BTF header truncated: " + data.length + " bytes, need " + HEADER_LEN);
    int magic = (data[0] & 0xff) | (data[1] & 0xff) << 8;
    if (magic == MAGIC) bigEndian = false;
    else if (Integer.reverseBytes(magic) >>> 16 == MAGIC) bigEndian = true;
    else throw new BtfException(String.format("bad BTF magic 0x%04x, expected 0x%04x", magic, MAGIC));
    kindAt = bigEndian ? 4 : 7;
    if (data[2] != 1) throw new BtfException("unsupported BTF version " + (data[2] & 0xff) + ", expected 1");
    long hdrLen = u32(4) & 0xffffffffL;
    if (hdrLen < HEADER_LEN || hdrLen > data.length)
      throw new BtfException("bad BTF header length " + hdrLen + " in " + data.length + " bytes");
    long typeOff = hdrLen + (u32(8) & 0xffffffffL), typeLen = u32(12) & 0xffffffffL;
    long strOff = hdrLen + (u32(16) & 0xffffffffL), sLen = u32(20) & 0xffffffffL;
    if (typeOff + typeLen > data.length)
      throw new BtfException("BTF type section (" + typeLen + " bytes at " + typeOff + ") ends past the data (" + data.length + " bytes)");
    if (strOff + sLen > data.length)
      throw new BtfException("BTF string section (" + sLen + " bytes at " + strOff + ") ends past the data (" + data.length + " bytes)");
    if ((typeOff - hdrLen) % 4 != 0) throw new BtfException("BTF type section offset " + (typeOff - hdrLen) + " is not 4-byte aligned");
    if (typeOff < strOff ? typeOff + typeLen > strOff : strOff + sLen > typeOff) throw new BtfException("BTF type and string sections overlap");
    strStart = (int) strOff;
    strLen = (int) sLen;
    if (base == null) {
      firstId = 1;
      strBase = 0;
      if (strLen == 0 || data[strStart] != 0) throw new BtfException("BTF string section must start with an empty string");
    } else {
      firstId = base.typeCount();
      strBase = base.strBase + base.strLen;
    }
    if (strLen > 0 && data[strStart + strLen - 1] != 0) throw new BtfException("BTF string section does not end in a NUL byte");
    if ((long) strBase + strLen > Integer.MAX_VALUE) throw new BtfException("BTF string sections exceed 2 GiB");

    int p = (int) typeOff, end = (int) (typeOff + typeLen);
    // vmlinux records average 44 bytes; start at a third of the most there could be and grow if needed
    int cap = (int) Math.min(typeLen / TYPE_LEN, typeLen / 32 + 16);
    int[] offs = new int[cap];
    byte[] ks = new byte[cap];
    int n = 0;
    while (p < end) {
      if (cap - n < SCAN_CHUNK) {
        cap = (int) Math.min(typeLen / TYPE_LEN + SCAN_CHUNK, cap + (cap >> 1) + SCAN_CHUNK);
        offs = Arrays.copyOf(offs, cap);
        ks = Arrays.copyOf(ks, cap);
      }
      long r = scan(data, p, end, offs, ks, n, kindAt, bigEndian);
      if (r < 0) throw scanError(data, (int) -r, end, firstId + (int) (-r >>> 32) - 1);
      n = (int) (r >>> 32);
      p = (int) r;
    }
    if ((long) firstId + n > Integer.MAX_VALUE) throw new BtfException("too many BTF types");
    count = n;
    offsets = offs;
    kinds = ks;
  }

  /**
   * Records the offset and kind of up to {@link #SCAN_CHUNK} types starting at {@code p}, the {@code n}th type.
   *
   * @return {@code n' << 32 | p'} after the last type scanned, or {@code -(n << 32 | p)} for a bad type at {@code p}
   */
  private static long scan(byte[] d, int p, int end, int[] offs, byte[] kinds, int n, int kindAt, boolean be) {
    int vlenLo = be ? 7 : 4, vlenHi = be ? 6 : 5;
    for (int i = 0; i < SCAN_CHUNK && p < end; i++) {
      if (end - p < TYPE_LEN) return -((long) (n + 1) << 32 | p);
      int kind = d[p + kindAt] & 0x1f;
      int fixed = kind < FIXED.length ? FIXED[kind] : -1;
      int next = p + TYPE_LEN + fixed + PER_ITEM[kind < FIXED.length ? kind : 0] * ((d[p + vlenLo] & 0xff) | (d[p + vlenHi] & 0xff) << 8);
      if (fixed < 0 || next > end || next < 0) return -((long) (n + 1) << 32 | p);
      offs[n] = p;
      kinds[n++] = (byte) kind;
      p = next;
    }
    return (long) n << 32 | p;
  }

  private BtfException scanError(byte[] d, int p, int end, int id) {
    if (end - p < TYPE_LEN) return new BtfException("BTF type " + id + " is truncated: " + (end - p) + " bytes left of " + TYPE_LEN);
    int kind = d[p + kindAt] & 0x1f;
    if (kind >= FIXED.length || FIXED[kind] < 0) return new BtfException("BTF type " + id + " has unknown kind " + kind);
    return new BtfException("BTF type " + id + " (" + KINDS[kind] + ", vlen " + (u32(p + 4) & 0xffff) + ") ends past the type section");
  }

  /** {@return the BTF in {@code data}, which is copied} */
  public static Btf parse(byte[] data) { return new Btf(data.clone(), null); }

  /** {@return the split BTF in {@code data}, whose type ids and string offsets continue those of {@code base}} */
  public static Btf parse(byte[] data, Btf base) { return new Btf(data.clone(), Objects.requireNonNull(base)); }

  /** {@return the BTF in the remaining bytes of {@code buffer}, which are copied; the position is unchanged} */
  public static Btf parse(ByteBuffer buffer) { return parse(buffer, null); }

  /** {@return the split BTF in the remaining bytes of {@code buffer} on top of {@code base} (may be null)} */
  public static Btf parse(ByteBuffer buffer, Btf base) {
    byte[] b = new byte[buffer.remaining()];
    buffer.get(buffer.position(), b);
    return new Btf(b, base);
  }

  /** {@return the BTF in {@code segment}, which is copied} */
  public static Btf parse(MemorySegment segment) { return parse(segment, null); }

  /** {@return the split BTF in {@code segment} on top of {@code base} (may be null)} */
  public static Btf parse(MemorySegment segment, Btf base) { return new Btf(segment.toArray(ValueLayout.JAVA_BYTE), base); }

  /** {@return the BTF in the raw BTF file {@code path}, e.g. {@code /sys/kernel/btf/vmlinux}} */
  public static Btf read(Path path) throws IOException { return read(path, null); }

  /**
   * {@return the split BTF in {@code path} on top of {@code base}, e.g. {@code /sys/kernel/btf/<module>} on top of
   * vmlinux; {@code base} may be null for a standalone file}
   */
  public static Btf read(Path path, Btf base) throws IOException {
    byte[] b = readFile(path);
    try {
      return new Btf(b, base);
    } catch (BtfException e) {
      throw new BtfException("read BTF " + path + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readFile(Path path) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long len = f.length();
      if (len == 0 || len > Integer.MAX_VALUE - 8) return Files.readAllBytes(path);
      byte[] b = new byte[(int) len];
      // Reads of up to 8 KiB use the JNI stack buffer; a larger read mallocs a buffer of its full length, and sysfs
      // returns at most a page per read(2), so whole-file reads would malloc ~1350 times for vmlinux. Files and
      // FileChannel are slower still on first use (NIO setup and a temporary direct buffer).
      int n = 0, r;
      while (n < b.length && (r = f.read(b, n, Math.min(8192, b.length - n))) > 0) n += r;
      if (n < b.length || f.read() >= 0) return Files.readAllBytes(path);
      return b;
    }
  }

  // ---- ids and records

  /** {@return the base BTF of split BTF, or {@code null}} */
  public Btf base() { return base; }

  /** {@return one more than the largest type id, counting void and the base's types} */
  public int typeCount() { return firstId + count; }

  /** {@return the first type id defined by this blob rather than its base: 1, or the base's {@link #typeCount()}} */
  public int firstTypeId() { return firstId; }

  /** {@return the length of the string sections of this blob and its bases together: where a split blob's strings start} */
  int stringsEnd() { return strBase + strLen; }

  /** {@return whether the data is big-endian} */
  public boolean bigEndian() { return bigEndian; }

  /** {@return the kind of type {@code id}, without decoding it} */
  public BtfKind kind(int id) { return KINDS[rawKind(checkId(id))]; }

  /** {@return the name of type {@code id} ({@code ""} if anonymous), without decoding the rest of it} */
  public String name(int id) {
    checkId(id);
    if (id == 0) return "";
    if (id < firstId) return base.name(id);
    return string(u32(offsets[id - firstId]), id);
  }

  /** {@return type {@code id}, decoded; id 0 is {@link BtfType.Void}} */
  public BtfType type(int id) {
    checkId(id);
    if (id == 0) return VOID;
    if (id < firstId) return base.type(id);
    BtfType[] c = cache;
    if (c == null) cache = c = new BtfType[count];
    BtfType t = c[id - firstId];
    if (t == null) c[id - firstId] = t = decode(id);
    return t;
  }

  /** {@return {@code id} with typedefs, qualifiers and type tags skipped} */
  public int resolve(int id) { return skip(checkId(id), true); }

  /** {@return {@code id} with qualifiers ({@code const}, {@code volatile}, {@code restrict}) and type tags skipped, but not typedefs} */
  public int unqualified(int id) { return skip(checkId(id), false); }

  /** {@return type {@code id} after {@link #resolve}, decoded} */
  public BtfType resolved(int id) { return type(resolve(id)); }

  /**
   * {@return for a forward declaration, the id of the struct or union of that name if there is one; otherwise
   * {@code id}}
   */
  public int complete(int id) {
    if (type(id) instanceof BtfType.Fwd f && !f.name().isEmpty())
      return findType(f.union() ? BtfKind.UNION : BtfKind.STRUCT, f.name()).orElse(id);
    return id;
  }

  private int skip(int id, boolean typedefs) {
    int start = id;
    for (int depth = 0; depth <= MAX_DEPTH; depth++) {
      int k = rawKind(id);
      boolean more = k == BtfKind.VOLATILE.value() || k == BtfKind.CONST.value() || k == BtfKind.RESTRICT.value()
          || k == BtfKind.TYPE_TAG.value() || (typedefs && k == BtfKind.TYPEDEF.value());
      if (!more) return id;
      id = rawRef(id);
    }
    throw new BtfException("BTF type " + start + ": chain of typedefs and qualifiers is cyclic or longer than " + MAX_DEPTH);
  }

  // ---- lookups by name

  /** {@return the lowest id of a type of {@code kind} named {@code name}} */
  public OptionalInt findType(BtfKind kind, String name) {
    int[] all = findTypes(kind, name, true);
    return all.length == 0 ? OptionalInt.empty() : OptionalInt.of(all[0]);
  }

  /** {@return the ids of all types of {@code kind} named {@code name}, in id order} */
  public int[] findTypes(BtfKind kind, String name) { return findTypes(kind, name, false); }

  private int[] findTypes(BtfKind kind, String name, boolean first) {
    byte[] q = query(name);
    if (q == null || kind == BtfKind.VOID) return new int[0];
    int[] fromBase = base == null ? new int[0] : base.findTypes(kind, name, first);
    if (first && fromBase.length > 0) return fromBase;
    int[] own = useIndex(kind.value()) ? index(kind).find(this, q, first) : scanFind(kind.value(), q, first);
    if (fromBase.length == 0) return own;
    int[] all = Arrays.copyOf(fromBase, fromBase.length + own.length);
    System.arraycopy(own, 0, all, fromBase.length, own.length);
    return all;
  }

  /**
   * Whether to look up names of kind {@code k} (or enumerators, for {@code k == 0}) in a hash index rather than by
   * scanning. A scan compares the first byte of each name and stops; an index must hash every name, ten times the
   * work (vmlinux has 56k functions). So the first few lookups of a kind scan, and later ones build the index.
   */
  private boolean useIndex(int k) {
    if (k == 0 ? enumerators != null : indexes[k] != null) return true;
    return ++lookups[k] > SCANNED_LOOKUPS;
  }

  private int[] scanFind(int k, byte[] q, boolean first) {
    int[] hits = new int[0];
    for (int i = 0; i < count; ) {
      int to = Math.min(count, i + SCAN_CHUNK);
      int hit = scanNames(k, q, i, to);
      if (hit < 0) {
        i = to;
        continue;
      }
      hits = Arrays.copyOf(hits, hits.length + 1);
      hits[hits.length - 1] = firstId + hit;
      if (first) break;
      i = hit + 1;
    }
    return hits;
  }

  /** {@return the index of the first type in [from, to) of kind {@code k} named {@code q}, or -1} */
  private int scanNames(int k, byte[] q, int from, int to) {
    byte[] ks = kinds, d = data;
    int[] offs = offsets;
    byte first = q[0];
    int strings = strStart - strBase, end = strBase + strLen;
    for (int i = from; i < to; i++) {
      if (ks[i] != k) continue;
      int off = u32(offs[i]);
      // most names differ in their first byte: reject those without calls while this still runs interpreted
      if (off >= strBase && off < end && d[strings + off] != first) continue;
      if (nameIs(off, q, firstId + i)) return i;
    }
    return -1;
  }

  private boolean nameIs(int off, byte[] q, int id) {
    checkString(off, id);
    Btf o = off < strBase ? strOwner(off) : this;
    int pos = o.strStart + off - o.strBase;
    return o.data[pos] == q[0] && NameIndex.equalsAt(o.data, pos, q);
  }

  private static final BtfKind[] PLAIN_NAME_KINDS = {
      BtfKind.TYPEDEF, BtfKind.INT, BtfKind.FLOAT, BtfKind.STRUCT, BtfKind.UNION, BtfKind.ENUM, BtfKind.ENUM64};

  /**
   * {@return the type named by a C type name: {@code "struct task_struct"}, {@code "union bpf_attr"},
   * {@code "enum pid_type"}, or a plain name looked up as a typedef, int, float, then struct, union and enum}
   */
  public OptionalInt findType(String cName) {
    String s = cName.strip();
    if (s.startsWith("struct ")) return findType(BtfKind.STRUCT, s.substring(7).strip());
    if (s.startsWith("union ")) return findType(BtfKind.UNION, s.substring(6).strip());
    if (s.startsWith("enum ")) {
      String n = s.substring(5).strip();
      OptionalInt e = findType(BtfKind.ENUM, n);
      return e.isPresent() ? e : findType(BtfKind.ENUM64, n);
    }
    for (BtfKind k : PLAIN_NAME_KINDS) {
      OptionalInt r = findType(k, s);
      if (r.isPresent()) return r;
    }
    return OptionalInt.empty();
  }

  /** An enumerator found by name: the enum type it belongs to and its value. */
  public record Constant(int enumType, String name, long value) {}

  /** {@return the enumerator named {@code name} in any enum, the one in the lowest type id if several} */
  public Optional<Constant> findEnumerator(String name) {
    if (base != null) {
      Optional<Constant> c = base.findEnumerator(name);
      if (c.isPresent()) return c;
    }
    byte[] q = query(name);
    if (q == null) return Optional.empty();
    int id, item;
    if (useIndex(0)) {
      NameIndex ix = enumeratorIndex();
      int[] hit = ix.find(this, q, true);
      if (hit.length == 0) return Optional.empty();
      id = ix.owners[hit[0] - 1];
      item = ix.items[hit[0] - 1];
    } else {
      long hit = -1;
      for (int i = 0; i < count && hit < 0; i += SCAN_CHUNK) hit = scanEnumerators(q, i, Math.min(count, i + SCAN_CHUNK));
      if (hit < 0) return Optional.empty();
      id = firstId + (int) (hit >>> 32);
      item = (int) hit;
    }
    Enumerator e = ((Enumeration) type(id)).values().get(item);
    return Optional.of(new Constant(id, e.name(), e.value()));
  }

  /** {@return {@code index << 32 | item} of the first enumerator named {@code q} in types [from, to), or -1} */
  private long scanEnumerators(byte[] q, int from, int to) {
    byte[] ks = kinds;
    for (int i = from; i < to; i++) {
      int stride = ks[i] == ENUM ? 8 : ks[i] == ENUM64 ? 12 : 0;
      if (stride == 0) continue;
      int p = offsets[i];
      int vlen = u32(p + 4) & 0xffff;
      for (int j = 0; j < vlen; j++)
        if (nameIs(u32(p + TYPE_LEN + j * stride), q, firstId + i)) return (long) i << 32 | j;
    }
    return -1;
  }

  /**
   * {@return the distinct names of types of {@code kind} matching {@code glob} ({@code *} matches any run of
   * characters), base types first, each in id order}
   */
  public List<String> names(BtfKind kind, String glob) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    collectNames(kind, glob.getBytes(UTF_8), out);
    return List.copyOf(out);
  }

  private void collectNames(BtfKind kind, byte[] pattern, LinkedHashSet<String> out) {
    if (base != null) base.collectNames(kind, pattern, out);
    int[] ids = ownIds(kind);
    int[] hits = new int[ids.length];
    int n = 0;
    for (int i = 0; i < ids.length; i += SCAN_CHUNK) {
      n = globChunk(ids, i, Math.min(ids.length, i + SCAN_CHUNK), pattern, hits, n);
    }
    for (int i = 0; i < n; i++) out.add(name(hits[i]));
  }

  private int globChunk(int[] ids, int from, int to, byte[] pattern, int[] hits, int n) {
    byte[] d = data;
    int strings = strStart - strBase, end = strBase + strLen;
    byte first = pattern.length > 0 && pattern[0] != '*' ? pattern[0] : 0;
    for (int i = from; i < to; i++) {
      int id = ids[i];
      int off = u32(offsets[id - firstId]);
      if (first != 0 && off >= strBase && off < end && d[strings + off] != first) continue;
      checkString(off, id);
      Btf o = strOwner(off);
      int pos = o.strStart + off - o.strBase;
      if (o.data[pos] != 0 && glob(pattern, o.data, pos)) hits[n++] = id;
    }
    return n;
  }

  /** {@return the ids of all types of {@code kind}, base types first} */
  public int[] typesOfKind(BtfKind kind) {
    if (kind == BtfKind.VOID) return new int[] {0};
    int[] own = ownIds(kind);
    if (base == null) return own.clone();
    int[] fromBase = base.typesOfKind(kind);
    int[] all = Arrays.copyOf(fromBase, fromBase.length + own.length);
    System.arraycopy(own, 0, all, fromBase.length, own.length);
    return all;
  }

  private synchronized int[] ownIds(BtfKind kind) {
    int k = kind.value();
    int[] ids = idsByKind[k];
    if (ids == null) {
      int n = 0;
      for (int i = 0; i < count; i += SCAN_CHUNK) n += countKind(kinds, i, Math.min(count, i + SCAN_CHUNK), k);
      ids = new int[n];
      n = 0;
      for (int i = 0; i < count; i += SCAN_CHUNK) n = collectKind(kinds, i, Math.min(count, i + SCAN_CHUNK), k, firstId, ids, n);
      idsByKind[k] = ids;
    }
    return ids;
  }

  private static int countKind(byte[] kinds, int from, int to, int k) {
    int n = 0;
    for (int i = from; i < to; i++) if (kinds[i] == k) n++;
    return n;
  }

  private static int collectKind(byte[] kinds, int from, int to, int k, int firstId, int[] out, int n) {
    for (int i = from; i < to; i++) if (kinds[i] == k) out[n++] = firstId + i;
    return n;
  }

  /** The prefix of the typedefs that describe raw tracepoints: {@code typedef void (*btf_trace_<tp>)(void *, args...)}. */
  public static final String RAW_TRACEPOINT_PREFIX = "btf_trace_";

  /** {@return the names of raw tracepoints matching {@code glob}, from the {@code btf_trace_*} typedefs} */
  public List<String> rawTracepoints(String glob) {
    List<String> names = names(BtfKind.TYPEDEF, RAW_TRACEPOINT_PREFIX.concat(glob));
    List<String> out = new ArrayList<>(names.size());
    for (String n : names) out.add(n.substring(RAW_TRACEPOINT_PREFIX.length()));
    return out;
  }

  /**
   * {@return the prototype of raw tracepoint {@code tracepoint}; its first parameter is the {@code void *} context
   * the kernel passes before the tracepoint's own arguments}
   *
   * <p>The {@code btf_trace_<tp>} typedef has the types but no parameter names, so the names come from the
   * functions the kernel generates with the same prototype: {@code __probestub_<tp>} (Linux 6.4 and later, one per
   * tracepoint) or {@code __bpf_trace_<tp>} (one per event class, so only for tracepoints that name their class).
   */
  public Optional<FuncProto> rawTracepointProto(String tracepoint) {
    OptionalInt td = findType(BtfKind.TYPEDEF, RAW_TRACEPOINT_PREFIX.concat(tracepoint));
    if (td.isEmpty()) return Optional.empty();
    if (!(resolved(td.getAsInt()) instanceof BtfType.Ptr p && resolved(p.type()) instanceof FuncProto fp)) return Optional.empty();
    for (String prefix : NAMED_TRACEPOINT_PROTOS) {
      Optional<FuncProto> named = funcProto(prefix.concat(tracepoint));
      if (named.isPresent() && sameShape(named.get(), fp)) return named;
    }
    return Optional.of(fp);
  }

  private static final String[] NAMED_TRACEPOINT_PROTOS = {"__probestub_", "__bpf_trace_"};

  private boolean sameShape(FuncProto a, FuncProto b) {
    if (a.params().size() != b.params().size() || a.varargs() != b.varargs()) return false;
    for (int i = 0; i < a.params().size(); i++)
      if (resolve(a.params().get(i).type()) != resolve(b.params().get(i).type())) return false;
    return true;
  }

  /** {@return the arguments of raw tracepoint {@code tracepoint}, without the leading {@code void *} context} */
  public Optional<List<Param>> rawTracepointArgs(String tracepoint) {
    Optional<FuncProto> fp = rawTracepointProto(tracepoint);
    if (fp.isEmpty()) return Optional.empty();
    List<Param> ps = fp.get().params();
    return Optional.of(ps.isEmpty() ? ps : ps.subList(1, ps.size()));
  }

  /** {@return the prototype of kernel function {@code name} (a {@code BTF_KIND_FUNC})} */
  public Optional<FuncProto> funcProto(String name) {
    OptionalInt f = findType(BtfKind.FUNC, name);
    if (f.isEmpty()) return Optional.empty();
    return Optional.of((FuncProto) type(((BtfType.Func) type(f.getAsInt())).type()));
  }

  // ---- layout
  //
  // The queries below switch on BtfKind rather than on record patterns: a pattern switch bootstraps through
  // invokedynamic, which costs ~20 ms the first time in a fresh JVM, more than all the BTF work of a script.

  /**
   * {@return the member {@code name} of the struct or union {@code type} (after {@link #resolve}), searching members
   * of anonymous struct and union members too; the returned member's bit offset counts from the start of
   * {@code type}}
   *
   * @throws IllegalArgumentException if {@code type} is not a struct or union
   */
  public Optional<Member> member(int type, String name) {
    int id = resolve(type);
    if (!(type(id) instanceof Composite c))
      throw new IllegalArgumentException("type " + type + " (" + typeName(type) + ") is not a struct or union");
    return Optional.ofNullable(member(c, name, 0, 0, new HashSet<>()));
  }

  /** Searches {@code c}; {@code searched} holds anonymous member types already searched in vain, at any offset. */
  private Member member(Composite c, String name, long bitBase, int depth, Set<Integer> searched) {
    if (depth > MAX_DEPTH) throw new BtfException("BTF anonymous struct and union members nest deeper than " + MAX_DEPTH);
    for (Member m : c.members()) {
      if (m.name().equals(name)) return offsetBy(m, bitBase);
    }
    for (Member m : c.members()) {
      if (!m.name().isEmpty()) continue;
      int t = resolve(m.type());
      if (type(t) instanceof Composite inner && searched.add(t)) {
        Member found = member(inner, name, bitBase + m.bitOffset(), depth + 1, searched);
        if (found != null) return found;
      }
    }
    return null;
  }

  private static Member offsetBy(Member m, long bitBase) {
    if (bitBase == 0) return m;
    long off = bitBase + m.bitOffset();
    if (off > Integer.MAX_VALUE) throw new BtfException("BTF member " + m.name() + " lies more than 256 MiB into its struct");
    return new Member(m.name(), m.type(), (int) off, m.bitfieldSize());
  }

  /**
   * {@return the size in bytes of type {@code id}; a pointer has the size of {@code long}}
   *
   * @throws IllegalArgumentException if the type has no size (void, a forward declaration, a function)
   */
  public long sizeOf(int id) { return sizeOf(checkId(id), 0); }

  private long sizeOf(int id, int depth) {
    if (depth > MAX_DEPTH) throw new BtfException("BTF type " + id + ": type chain is cyclic or longer than " + MAX_DEPTH);
    BtfType t = type(id);
    return switch (t.kind()) {
      case INT -> ((BtfType.Int) t).size();
      case PTR -> pointerSize();
      case ARRAY -> {
        BtfType.Array a = (BtfType.Array) t;
        try {
          yield Math.multiplyExact((long) a.nelems(), sizeOf(a.type(), depth + 1));
        } catch (ArithmeticException e) {
          throw new BtfException("BTF type " + id + ": array size overflows");
        }
      }
      case STRUCT, UNION -> ((Composite) t).size();
      case ENUM, ENUM64 -> ((Enumeration) t).size();
      case FLOAT -> ((BtfType.Float) t).size();
      case DATASEC -> ((BtfType.Datasec) t).size();
      case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> sizeOf(((BtfType.Modifier) t).type(), depth + 1);
      case VAR -> sizeOf(((BtfType.Var) t).type(), depth + 1);
      case VOID, FWD, FUNC, FUNC_PROTO, DECL_TAG ->
          throw new IllegalArgumentException("type " + id + " (" + typeName(id) + ") has no size");
    };
  }

  /**
   * {@return the alignment in bytes of type {@code id}: natural alignment for scalars, the largest member
   * alignment for structs and unions, 1 for structs whose layout shows they are packed}
   *
   * @throws IllegalArgumentException if the type has no size
   */
  public int alignOf(int id) { return alignOf(checkId(id), 0); }

  private int alignOf(int id, int depth) {
    if (depth > MAX_DEPTH) throw new BtfException("BTF type " + id + ": type chain is cyclic or longer than " + MAX_DEPTH);
    BtfType t = type(id);
    return switch (t.kind()) {
      case INT -> Math.max(1, Math.min(((BtfType.Int) t).size(), 16));
      case PTR -> pointerSize();
      case ARRAY -> alignOf(((BtfType.Array) t).type(), depth + 1);
      case STRUCT, UNION -> {
        // memoized: nested structs share members, and malformed data could make the tree of them exponential
        int[] memo = alignments;
        if (memo == null) alignments = memo = new int[typeCount()];
        if (memo[id] != 0) yield memo[id];
        Composite c = (Composite) t;
        int max = 1;
        boolean packed = false;
        for (Member m : c.members()) {
          int a = alignOf(m.type(), depth + 1);
          if (!m.isBitfield() && m.bitOffset() % (8L * a) != 0) packed = true;
          max = Math.max(max, a);
        }
        yield memo[id] = packed || c.size() % max != 0 ? 1 : max;
      }
      case ENUM, ENUM64 -> Math.max(1, Math.min(((Enumeration) t).size(), 8));
      case FLOAT -> Math.max(1, Math.min(((BtfType.Float) t).size(), 16));
      case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> alignOf(((BtfType.Modifier) t).type(), depth + 1);
      case VAR -> alignOf(((BtfType.Var) t).type(), depth + 1);
      case VOID, FWD, FUNC, FUNC_PROTO, DECL_TAG, DATASEC ->
          throw new IllegalArgumentException("type " + id + " (" + typeName(id) + ") has no alignment");
    };
  }

  /** {@return the size of a pointer: the size of {@code long} if the BTF describes it, else 8} */
  public int pointerSize() {
    int ps = pointerSize;
    if (ps == 0) {
      ps = 8;
      for (int id : typesOfKind(BtfKind.INT)) {
        String n = name(id);
        if (n.equals("long int") || n.equals("long unsigned int") || n.equals("long") || n.equals("unsigned long")) {
          int s = ((BtfType.Int) type(id)).size();
          if (s == 4 || s == 8) ps = s;
          break;
        }
      }
      pointerSize = ps;
    }
    return ps;
  }

  // ---- C syntax

  /** {@return the C name of type {@code id} as an abstract declarator: {@code struct task_struct *}, {@code const char *}, {@code int (*)(int)}} */
  public String typeName(int id) { return new CPrinter(this).declaration(checkId(id), ""); }

  /** {@return a C declaration of {@code name} with type {@code id}: {@code char comm[16]}, {@code int (*cb)(int)}} */
  public String declaration(int id, String name) { return new CPrinter(this).declaration(checkId(id), name); }

  /**
   * {@return the C signature of function {@code id} (a {@code FUNC}, or a {@code FUNC_PROTO} printed without a
   * name): {@code ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)}}
   */
  public String signature(int id) {
    BtfType t = type(id);
    if (t instanceof BtfType.Func f) return new CPrinter(this, true).declaration(f.type(), f.name());
    if (t instanceof FuncProto) return new CPrinter(this, true).declaration(id, "");
    throw new IllegalArgumentException("type " + id + " (" + typeName(id) + ") is not a function");
  }

  /**
   * {@return the C definition of a struct, union, enum or typedef, in the style of {@code bpftool btf dump format c}
   * and {@code bpftrace -lv}: members one per line, tab-indented, anonymous members inline, padding explicit}
   */
  public String definition(int id) { return new CPrinter(this).definition(checkId(id)); }

  // ---- decoding

  private BtfType decode(int id) {
    int p = offsets[id - firstId];
    int info = u32(p + 4);
    int kind = info >>> 24 & 0x1f, vlen = info & 0xffff;
    boolean flag = info < 0;
    int st = u32(p + 8);
    int q = p + TYPE_LEN;
    BtfKind k = KINDS[kind];
    return switch (k) {
      case INT -> {
        int enc = u32(q);
        int size = size(st, id), bits = enc & 0xff, off = enc >>> 16 & 0xff;
        BtfType.Int.Encoding e = switch (enc >>> 24 & 0xf) {
          case 0 -> BtfType.Int.Encoding.NONE;
          case 1 -> BtfType.Int.Encoding.SIGNED;
          case 2 -> BtfType.Int.Encoding.CHAR;
          case 4 -> BtfType.Int.Encoding.BOOL;
          default -> throw bad(id, "unsupported int encoding " + (enc >>> 24 & 0xf));
        };
        if ((enc & 0xf0000000) != 0 || size > 16 || off + bits > size * 8) throw bad(id, "bad int encoding 0x" + Integer.toHexString(enc) + " for size " + size);
        yield new BtfType.Int(name(p, id), size, off, bits, e);
      }
      case PTR -> new BtfType.Ptr(ref(st, id));
      case ARRAY -> {
        int n = u32(q + 8);
        if (n < 0) throw bad(id, "array length " + (n & 0xffffffffL) + " is too large");
        yield new BtfType.Array(ref(u32(q), id), ref(u32(q + 4), id), n);
      }
      case STRUCT, UNION -> {
        int size = size(st, id);
        Member[] ms = new Member[vlen];
        for (int i = 0; i < vlen; i++, q += 12) {
          int t = ref(u32(q + 4), id), off = u32(q + 8), bits = 0;
          if (flag) {
            bits = off >>> 24;
            off &= 0xffffff;
          } else if (off < 0) {
            throw bad(id, "member " + i + " offset " + (off & 0xffffffffL) + " is too large");
          } else {
            long legacy = legacyBitfield(t);
            if (legacy != 0) {
              bits = (int) legacy & 0xff;
              off += (int) (legacy >>> 8);
            }
          }
          ms[i] = new Member(string(u32(q), id), t, off, bits);
        }
        String n = name(p, id);
        yield k == BtfKind.STRUCT ? new BtfType.Struct(n, size, List.of(ms)) : new BtfType.Union(n, size, List.of(ms));
      }
      case ENUM -> {
        Enumerator[] es = new Enumerator[vlen];
        for (int i = 0; i < vlen; i++, q += 8) {
          int v = u32(q + 4);
          es[i] = new Enumerator(string(u32(q), id), flag ? v : v & 0xffffffffL);
        }
        yield new BtfType.Enum(name(p, id), size(st, id), flag, List.of(es));
      }
      case ENUM64 -> {
        Enumerator[] es = new Enumerator[vlen];
        for (int i = 0; i < vlen; i++, q += 12)
          es[i] = new Enumerator(string(u32(q), id), (long) u32(q + 8) << 32 | (u32(q + 4) & 0xffffffffL));
        yield new BtfType.Enum64(name(p, id), size(st, id), flag, List.of(es));
      }
      case FWD -> new BtfType.Fwd(name(p, id), flag);
      case TYPEDEF -> new BtfType.Typedef(name(p, id), ref(st, id));
      case VOLATILE -> new BtfType.Volatile(ref(st, id));
      case CONST -> new BtfType.Const(ref(st, id));
      case RESTRICT -> new BtfType.Restrict(ref(st, id));
      case FUNC -> {
        int proto = ref(st, id);
        if (rawKind(proto) != BtfKind.FUNC_PROTO.value()) throw bad(id, "refers to type " + proto + ", which is not a FUNC_PROTO");
        yield new BtfType.Func(name(p, id), proto, linkage(vlen, id));
      }
      case FUNC_PROTO -> {
        Param[] ps = new Param[vlen];
        boolean varargs = false;
        for (int i = 0; i < vlen; i++, q += 8) {
          int nameOff = u32(q), t = ref(u32(q + 4), id);
          if (t == 0) {
            if (i != vlen - 1 || nameOff != 0) throw bad(id, "parameter " + i + " has type void");
            varargs = true;
            ps = Arrays.copyOf(ps, vlen - 1);
            break;
          }
          ps[i] = new Param(string(nameOff, id), t);
        }
        yield new FuncProto(ref(st, id), List.of(ps), varargs);
      }
      case VAR -> new BtfType.Var(name(p, id), ref(st, id), linkage(u32(q), id));
      case DATASEC -> {
        BtfType.SecInfo[] vs = new BtfType.SecInfo[vlen];
        for (int i = 0; i < vlen; i++, q += 12) {
          int off = u32(q + 4), size = u32(q + 8);
          if (off < 0 || size < 0) throw bad(id, "variable " + i + " offset or size is too large");
          vs[i] = new BtfType.SecInfo(ref(u32(q), id), off, size);
        }
        yield new BtfType.Datasec(name(p, id), size(st, id), List.of(vs));
      }
      case FLOAT -> new BtfType.Float(name(p, id), size(st, id));
      case DECL_TAG -> {
        int c = u32(q);
        if (c < -1) throw bad(id, "bad component index " + c);
        yield new BtfType.DeclTag(name(p, id), ref(st, id), c, flag);
      }
      case TYPE_TAG -> new BtfType.TypeTag(name(p, id), ref(st, id), flag);
      case VOID -> throw new IllegalStateException("kind 0 passed the type section scan");
    };
  }

  /** For a member type that is an old-style bitfield int (possibly behind typedefs), {@code offset << 8 | bits}; else 0. */
  private long legacyBitfield(int type) {
    int t = skip(type, true);
    if (rawKind(t) != BtfKind.INT.value()) return 0;
    Btf o = owner(t);
    int p = o.offsets[t - o.firstId];
    int size = o.u32(p + 8), enc = o.u32(p + TYPE_LEN);
    int bits = enc & 0xff, off = enc >>> 16 & 0xff;
    if (off == 0 && (size < 0 || bits == size * 8L)) return 0;
    return (long) off << 8 | bits;
  }

  private BtfType.Linkage linkage(int v, int id) {
    return switch (v) {
      case 0 -> BtfType.Linkage.STATIC;
      case 1 -> BtfType.Linkage.GLOBAL;
      case 2 -> BtfType.Linkage.EXTERN;
      default -> throw bad(id, "unknown linkage " + v);
    };
  }

  private int size(int s, int id) {
    if (s < 0) throw bad(id, "size " + (s & 0xffffffffL) + " is too large");
    return s;
  }

  private int ref(int t, int id) {
    if (t < 0 || t >= typeCount()) throw bad(id, "refers to type " + (t & 0xffffffffL) + ", but the last type is " + (typeCount() - 1));
    return t;
  }

  private BtfException bad(int id, String why) {
    return new BtfException("BTF type " + id + " (" + KINDS[rawKind(id)] + "): " + why);
  }

  // ---- raw access

  int checkId(int id) {
    if (id < 0 || id >= typeCount()) throw new IllegalArgumentException("no BTF type " + id + "; ids are 0.." + (typeCount() - 1));
    return id;
  }

  private Btf owner(int id) {
    Btf b = this;
    while (id < b.firstId) b = b.base;
    return b;
  }

  private int rawKind(int id) {
    if (id == 0) return 0;
    Btf o = owner(id);
    return o.data[o.offsets[id - o.firstId] + o.kindAt] & 0x1f;
  }

  /** {@return the type referred to by modifier type {@code id}, checked} */
  private int rawRef(int id) {
    Btf o = owner(id);
    return o.ref(o.u32(o.offsets[id - o.firstId] + 8), id);
  }

  private int u32(int off) {
    byte[] d = data;
    return bigEndian
        ? d[off] << 24 | (d[off + 1] & 0xff) << 16 | (d[off + 2] & 0xff) << 8 | (d[off + 3] & 0xff)
        : (d[off] & 0xff) | (d[off + 1] & 0xff) << 8 | (d[off + 2] & 0xff) << 16 | d[off + 3] << 24;
  }

  private String name(int p, int id) { return string(u32(p), id); }

  private void checkString(int off, int id) {
    if (off < 0 || off >= strBase + strLen)
      throw new BtfException("BTF type " + id + ": name offset " + (off & 0xffffffffL) + " is past the string section (" + (strBase + strLen) + " bytes)");
  }

  private Btf strOwner(int off) {
    Btf b = this;
    while (off < b.strBase) b = b.base;
    return b;
  }

  private String string(int off, int id) {
    checkString(off, id);
    Btf o = strOwner(off);
    byte[] d = o.data;
    int pos = o.strStart + off - o.strBase;
    if (d[pos] == 0) return "";
    int e = pos;
    while (d[e] != 0) e++;
    return new String(d, pos, e - pos, UTF_8);
  }

  private static byte[] query(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) return null;
    return name.getBytes(UTF_8);
  }

  static boolean glob(byte[] pat, byte[] d, int pos) {
    int p = 0, s = pos, starP = -1, starS = -1;
    while (d[s] != 0) {
      if (p < pat.length && pat[p] == d[s] && pat[p] != '*') {
        p++;
        s++;
      } else if (p < pat.length && pat[p] == '*') {
        starP = p++;
        starS = s;
      } else if (starP >= 0) {
        p = starP + 1;
        s = ++starS;
      } else {
        return false;
      }
    }
    while (p < pat.length && pat[p] == '*') p++;
    return p == pat.length;
  }

  // ---- name indexes

  private synchronized NameIndex index(BtfKind kind) {
    NameIndex ix = indexes[kind.value()];
    if (ix == null) {
      int[] ids = ownIds(kind);
      int[] nameOffs = new int[ids.length];
      for (int i = 0; i < ids.length; i++) nameOffs[i] = u32(offsets[ids[i] - firstId]);
      indexes[kind.value()] = ix = new NameIndex(this, ids, nameOffs, null, null, ids.length);
    }
    return ix;
  }

  private synchronized NameIndex enumeratorIndex() {
    if (enumerators == null) {
      int n = 0;
      int[] nameOffs = new int[256], ids = new int[256], owners = new int[256], items = new int[256];
      for (BtfKind k : new BtfKind[] {BtfKind.ENUM, BtfKind.ENUM64}) {
        int stride = k == BtfKind.ENUM ? 8 : 12;
        for (int id : ownIds(k)) {
          int p = offsets[id - firstId];
          int vlen = u32(p + 4) & 0xffff;
          for (int j = 0; j < vlen; j++) {
            int off = u32(p + TYPE_LEN + j * stride);
            if (off == 0) continue;
            if (n == ids.length) {
              ids = Arrays.copyOf(ids, n * 2);
              nameOffs = Arrays.copyOf(nameOffs, n * 2);
              owners = Arrays.copyOf(owners, n * 2);
              items = Arrays.copyOf(items, n * 2);
            }
            ids[n] = n + 1;
            nameOffs[n] = off;
            owners[n] = id;
            items[n++] = j;
          }
        }
      }
      enumerators = new NameIndex(this, ids, nameOffs, owners, items, n);
    }
    return enumerators;
  }

  /**
   * An open-addressing hash table from names (as bytes in the string section) to entries. Entries with equal names
   * sit along the same probe sequence in insertion order, so the first hit is the lowest id.
   */
  private static final class NameIndex {
    final int[] slots;
    final int[] hashes;
    final int[] nameOffs;
    final int[] owners;
    final int[] items;
    final int mask;

    NameIndex(Btf btf, int[] ids, int[] nameOffs, int[] owners, int[] items, int n) {
      int cap = Integer.highestOneBit(Math.max(4, n * 2 + 1)) << 1;
      slots = new int[cap];
      hashes = new int[cap];
      this.nameOffs = new int[cap];
      this.owners = owners;
      this.items = items;
      mask = cap - 1;
      for (int i = 0; i < n; i += SCAN_CHUNK) insert(btf, ids, nameOffs, i, Math.min(n, i + SCAN_CHUNK));
    }

    private void insert(Btf btf, int[] ids, int[] offs, int from, int to) {
      for (int i = from; i < to; i++) {
        int off = offs[i];
        if (off == 0) continue;
        btf.checkString(off, owners == null ? ids[i] : owners[i]);
        Btf o = btf.strOwner(off);
        int h = hash(o.data, o.strStart + off - o.strBase);
        int s = h & mask;
        while (slots[s] != 0) s = (s + 1) & mask;
        slots[s] = ids[i];
        hashes[s] = h;
        nameOffs[s] = off;
      }
    }

    int[] find(Btf btf, byte[] q, boolean first) {
      int h = hash(q);
      int[] out = new int[0];
      for (int s = h & mask; slots[s] != 0; s = (s + 1) & mask) {
        if (hashes[s] != h) continue;
        int off = nameOffs[s];
        Btf o = btf.strOwner(off);
        if (!equalsAt(o.data, o.strStart + off - o.strBase, q)) continue;
        out = Arrays.copyOf(out, out.length + 1);
        out[out.length - 1] = slots[s];
        if (first) break;
      }
      return out;
    }

    private static int hash(byte[] d, int pos) {
      int h = 0;
      for (byte b; (b = d[pos]) != 0; pos++) h = 31 * h + b;
      return h ^ (h >>> 16);
    }

    private static int hash(byte[] q) {
      int h = 0;
      for (byte b : q) h = 31 * h + b;
      return h ^ (h >>> 16);
    }

    static boolean equalsAt(byte[] d, int pos, byte[] q) {
      for (int j = 0; j < q.length; j++)
        if (d[pos + j] != q[j]) return false;
      return d[pos + q.length] == 0;
    }
  }
}
