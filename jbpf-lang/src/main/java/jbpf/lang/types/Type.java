package jbpf.lang.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The type of a value in a script, with the size and layout it has in BPF memory: map keys and values,
 * ring-buffer events and the stack all use these layouts, so the runtime can decode what the program wrote.
 */
public sealed interface Type {
  /** {@return the size in bytes of a stored value} */
  int size();

  /** {@return the alignment in bytes of a stored value} */
  default int align() { return Math.min(8, Math.max(1, size())); }

  /** No value: statements, {@code void} functions. */
  record Void() implements Type {
    @Override public int size() { return 0; }
    @Override public int align() { return 1; }
    @Override public String toString() { return "void"; }
  }

  /** An integer of 1, 2, 4 or 8 bytes. */
  record Int(int bytes, boolean signed) implements Type {
    public Int {
      if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) throw new IllegalArgumentException("int of " + bytes + " bytes");
    }
    @Override public int size() { return bytes; }
    @Override public String toString() { return (signed ? "int" : "uint") + bytes * 8; }
  }

  /** {@code true}/{@code false}, stored in one byte. */
  record Bool() implements Type {
    @Override public int size() { return 1; }
    @Override public String toString() { return "bool"; }
  }

  /** A NUL-terminated string in a fixed buffer of {@code size} bytes (the terminator included). */
  record Str(int size) implements Type {
    @Override public int size() { return size; }
    @Override public int align() { return 1; }
    @Override public String toString() { return "string[" + size + "]"; }
  }

  /** A byte buffer from {@code buf()}: a length byte, padding, then up to {@code capacity} bytes. */
  record Buf(int capacity) implements Type {
    @Override public int size() { return 8 + capacity; }
    @Override public int align() { return 8; }
    @Override public String toString() { return "buffer[" + capacity + "]"; }
  }

  /** A tuple laid out as a C struct of its elements, each at its natural alignment. */
  record Tuple(List<Type> elements) implements Type {
    public Tuple { elements = List.copyOf(elements); }

    /** {@return the byte offset of each element} */
    public List<Integer> offsets() {
      List<Integer> out = new ArrayList<>(elements.size());
      int off = 0;
      for (Type t : elements) {
        off = alignUp(off, t.align());
        out.add(off);
        off += t.size();
      }
      return out;
    }

    @Override public int size() {
      int off = 0;
      for (Type t : elements) off = alignUp(off, t.align()) + t.size();
      return alignUp(off, align());
    }

    @Override public int align() {
      int a = 1;
      for (Type t : elements) a = Math.max(a, t.align());
      return a;
    }

    @Override public String toString() {
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < elements.size(); i++) b.append(i > 0 ? ", " : "").append(elements.get(i));
      return b.append(')').toString();
    }
  }

  /**
   * A C struct or union: from BTF, from a tracepoint's format file, or defined in the script. The fields of a
   * BTF struct are converted when first asked for, so that types pointing at each other ({@code task_struct}'s
   * {@code parent}) and the thousands of kernel structs a script never touches cost nothing. Fields of anonymous
   * struct and union members appear among the fields, at their offsets in this record.
   *
   * <p>Two records are equal when they have the same {@link #key()}: the same C definition.
   */
  final class Record implements Type {
    /** The size and fields of a record, computed together when first needed. */
    public record Layout(int size, List<Field> fields) {
      public Layout { fields = List.copyOf(fields); }
    }

    private final String name;
    private final String key;
    private final int knownSize;
    private final Supplier<Layout> source;
    private volatile Layout layout;

    /** A record with its fields known; its name is its key. */
    public Record(String name, int size, List<Field> fields) {
      this(name, name, size, () -> new Layout(size, fields));
    }

    /**
     * A record of known size whose fields {@code fields} supplies when first needed.
     *
     * @param key what tells this definition apart from others of the same name, e.g. the BTF type id
     */
    public Record(String name, int size, String key, Supplier<List<Field>> fields) {
      this(name, key, size, () -> new Layout(size, fields.get()));
    }

    /** A record whose size and fields {@code layout} computes when first needed: a struct that points to itself. */
    public Record(String name, String key, Supplier<Layout> layout) { this(name, key, -1, layout); }

    private Record(String name, String key, int knownSize, Supplier<Layout> layout) {
      this.name = Objects.requireNonNull(name);
      this.key = Objects.requireNonNull(key);
      this.knownSize = knownSize;
      this.source = Objects.requireNonNull(layout);
    }

    private Layout layout() {
      Layout l = layout;
      if (l == null) layout = l = source.get();
      return l;
    }

    /** {@return the C name, e.g. {@code struct task_struct}} */
    public String name() { return name; }

    /** {@return what tells this definition apart from others of the same name} */
    public String key() { return key; }

    /** {@return whether this is a union} */
    public boolean union() { return name.startsWith("union "); }

    /** {@return the fields in offset order} */
    public List<Field> fields() { return layout().fields(); }

    /** {@return the field named {@code name}, or {@code null}} */
    public Field field(String name) {
      for (Field f : fields()) if (f.name().equals(name)) return f;
      return null;
    }

    @Override public int size() { return knownSize >= 0 ? knownSize : layout().size(); }

    @Override public int align() {
      int a = 1;
      for (Field f : fields()) a = Math.max(a, f.type().align());
      return Math.min(a, 8);
    }

    @Override public boolean equals(Object o) { return o instanceof Record r && r.key.equals(key); }

    @Override public int hashCode() { return key.hashCode(); }

    @Override public String toString() { return name; }
  }

  /**
   * A field of a {@link Record} at byte {@code offset}; for a bitfield, {@code bitOffset} within the loaded
   * word and {@code bitWidth} > 0. {@code dataLoc} marks a tracepoint {@code __data_loc} field: a 32-bit
   * (length << 16 | offset) locator of variable-length data in the same record.
   */
  record Field(String name, Type type, int offset, int bitOffset, int bitWidth, boolean dataLoc) {
    public Field(String name, Type type, int offset) { this(name, type, offset, 0, 0, false); }
  }

  /** A pointer; {@code user} when it points into user memory (reads use {@code probe_read_user}). */
  record Ptr(Type pointee, boolean user) implements Type {
    @Override public int size() { return 8; }
    @Override public String toString() { return pointee + " *"; }
  }

  /** A fixed-length C array. */
  record Array(Type element, int length) implements Type {
    @Override public int size() { return element.size() * length; }
    @Override public int align() { return element.align(); }
    @Override public String toString() { return element + "[" + length + "]"; }
  }

  /** The {@code probe} builtin: stored as the probe's index, printed as its full name. */
  record Probe() implements Type {
    @Override public int size() { return 8; }
    @Override public String toString() { return "probe"; }
  }

  /** The {@code args} of a probe: a pointer to the probe's context record. */
  record Ctx(Record record) implements Type {
    @Override public int size() { return 8; }
    @Override public String toString() { return "args"; }
  }

  /** The value of a map updated with an aggregation function. */
  record Agg(AggKind kind, boolean signed, long min, long max, long step) implements Type {
    public Agg(AggKind kind, boolean signed) { this(kind, signed, 0, 0, 0); }

    @Override public int size() { return kind.valueSize(); }
    @Override public String toString() { return kind.fn() + "_t"; }
  }

  /**
   * A stack from {@code kstack} or {@code ustack}: the stack's id in the stack map of stacks {@code depth} frames
   * deep, an s64 for a kernel stack; for a user stack the u32 id and, above it, the u32 pid of the process whose
   * memory map symbolizes it (bpftrace's packing). {@code mode} only changes how it is printed.
   */
  record Stack(boolean user, StackMode mode, int depth) implements Type {
    @Override public int size() { return 8; }
    @Override public String toString() { return user ? "ustack" : "kstack"; }
  }

  /** How a {@link Stack} is printed: symbols ({@code bpftrace}), perf script's layout, or bare addresses. */
  enum StackMode { BPFTRACE, PERF, RAW }

  /**
   * A value the program stores as numbers and userspace turns into text when it is printed: a symbol, a user
   * name, an address, a cgroup path, a time. {@code detail} is the {@code strftime()} format or the
   * {@code cgroup_path()} filter, else empty.
   */
  record Resolved(ResolvedKind kind, String detail) implements Type {
    public Resolved {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(detail);
    }

    public Resolved(ResolvedKind kind) { this(kind, ""); }

    @Override public int size() { return kind.size(); }
    @Override public int align() { return kind == ResolvedKind.MACADDR ? 1 : 8; }
    @Override public String toString() { return kind.bpftraceName(); }
  }

  /** The kinds of {@link Resolved} values, with their layouts. */
  enum ResolvedKind {
    /** {@code ksym(addr)}: the u64 address. */
    KSYM("ksym_t", 8),
    /** {@code usym(addr)}: the u64 address and the u64 pid whose memory map resolves it. */
    USYM("usym_t", 16),
    /** {@code username}: the u64 uid. */
    USERNAME("username", 8),
    /** {@code ntop()}: the i64 address family ({@code AF_INET}, {@code AF_INET6}), then 16 address bytes. */
    INET("inet", 24),
    /** {@code macaddr()}: the 6 bytes. */
    MACADDR("mac_address", 6),
    /** {@code cgroup_path(id)}: the u64 cgroup id. */
    CGROUP_PATH("cgroup_path_t", 8),
    /** {@code strerror(errno)}: the u64 error number. */
    ERRNO("strerror_t", 8),
    /** {@code strftime(fmt, ns)}: the u64 nanoseconds since boot. */
    TIMESTAMP("timestamp", 8);

    private final String bpftraceName;
    private final int size;

    ResolvedKind(String bpftraceName, int size) {
      this.bpftraceName = bpftraceName;
      this.size = size;
    }

    /** {@return the type's name in bpftrace's messages} */
    public String bpftraceName() { return bpftraceName; }

    /** {@return the size of the stored value} */
    public int size() { return size; }
  }

  /** {@return {@code n} rounded up to a multiple of {@code a}} */
  static int alignUp(int n, int a) { return (n + a - 1) / a * a; }

  /** {@return whether {@code t} is a signed integer} */
  static boolean signed(Type t) { return t instanceof Int i && i.signed(); }

  /**
   * {@return whether an operation on {@code a} and {@code b} is signed: only when both are (bpftrace's rule
   * for arithmetic results and comparisons)}
   */
  static boolean signedPair(Type a, Type b) { return signed(a) && signed(b); }

  // Shared instances for the common types.
  Void VOID = new Void();
  Int INT8 = new Int(1, true), INT16 = new Int(2, true), INT32 = new Int(4, true), INT64 = new Int(8, true);
  Int UINT8 = new Int(1, false), UINT16 = new Int(2, false), UINT32 = new Int(4, false), UINT64 = new Int(8, false);
  Bool BOOL = new Bool();
  Probe PROBE = new Probe();
}
