package jbpf.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A value that a bpftrace script prints: the result of decoding map entries, ring buffer events and printf
 * arguments. The runtime builds values; {@link Output} and {@link jbpf.output.printf.PrintfFormat} turn them into
 * bpftrace's text or JSON without the runtime knowing any formatting rule.
 *
 * <p>Plain values ({@link Int} to {@link Bool}) are what expressions produce. The aggregations ({@link Count} to
 * {@link Lhist}) are what {@code count()}, {@code sum()}, {@code hist()} and friends leave in a map, already
 * combined over CPUs (see {@link Aggregations}).
 */
public sealed interface Value {

  /**
   * An integer of {@code size} bytes (1, 2, 4 or 8). {@code value} holds it sign- or zero-extended to 64 bits;
   * an unsigned 64-bit integer is stored in its two's complement bits.
   */
  record Int(long value, int size, boolean signed) implements Value {
    public Int {
      if (size != 8) {
        if (size != 1 && size != 2 && size != 4) throw new IllegalArgumentException("integer size " + size);
        long narrowed = switch (size) {
          case 1 -> signed ? (byte) value : value & 0xffL;
          case 2 -> signed ? (short) value : value & 0xffffL;
          default -> signed ? (int) value : value & 0xffff_ffffL;
        };
        if (narrowed != value) {
          throw new IllegalArgumentException((signed ? "int" : "uint") + size * 8 + " cannot hold " + value);
        }
      }
    }
  }

  /** {@return a signed 64-bit integer} */
  static Int int64(long value) { return new Int(value, 8, true); }

  /** {@return an unsigned 64-bit integer with the bits of {@code value}} */
  static Int uint64(long value) { return new Int(value, 8, false); }

  /**
   * A string: the bytes before the first NUL of a bpftrace {@code string[N]}, printed as they are (they need not
   * be UTF-8). Also the result of {@code probe}, {@code username}, {@code cgroup_path()}, {@code macaddr()},
   * {@code strerror()} and {@code strftime()}, which the runtime resolves to text.
   */
  record Str(byte[] bytes) implements Value {
    public Str { bytes = bytes.clone(); }

    /** {@return a copy of the bytes} */
    @Override public byte[] bytes() { return bytes.clone(); }

    /** {@return the bytes decoded as UTF-8} */
    public String text() { return new String(bytes, StandardCharsets.UTF_8); }

    byte[] raw() { return bytes; }

    @Override public boolean equals(Object o) { return o instanceof Str s && Arrays.equals(bytes, s.bytes); }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    @Override public String toString() { return "Str[" + text() + "]"; }
  }

  /** {@return the string {@code s}, encoded as UTF-8} */
  static Str str(String s) { return new Str(s.getBytes(StandardCharsets.UTF_8)); }

  /** The bytes of {@code buf()}, printed with {@code \xNN} escapes for everything but printable ASCII. */
  record Buf(byte[] bytes) implements Value {
    public Buf { bytes = bytes.clone(); }

    @Override public byte[] bytes() { return bytes.clone(); }

    byte[] raw() { return bytes; }

    @Override public boolean equals(Object o) { return o instanceof Buf b && Arrays.equals(bytes, b.bytes); }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    @Override public String toString() { return "Buf" + Arrays.toString(bytes); }
  }

  /** A tuple: {@code (1, abc)} in text, {@code [1,"abc"]} in JSON. */
  record Tuple(List<Value> elements) implements Value {
    public Tuple { elements = List.copyOf(elements); }
  }

  /** {@return a tuple of {@code elements}} */
  static Tuple tuple(Value... elements) { return new Tuple(List.of(elements)); }

  /** A C array: {@code [1,2,3]}. */
  record Array(List<Value> elements) implements Value {
    public Array { elements = List.copyOf(elements); }
  }

  /** A C struct or union: {@code { .a = 1, .b = 2 }}. */
  record Record(List<Field> fields) implements Value {
    public Record { fields = List.copyOf(fields); }
  }

  /** A named member of a {@link Record}. */
  record Field(String name, Value value) {
    public Field {
      Objects.requireNonNull(name);
      Objects.requireNonNull(value);
    }
  }

  /**
   * A {@code kstack} or {@code ustack}, already symbolized. Each frame's {@code symbol} is the text bpftrace
   * shows for it: {@code vfs_read+5} for kernel frames; for user frames {@code main+12}, or with
   * {@link StackMode#PERF} {@code main+12 (/usr/bin/prog)}; an unresolved address as {@code 0x7f12ab}
   * (perf mode: {@code 0x7f12ab ([unknown])}).
   */
  record Stack(StackMode mode, List<Frame> frames) implements Value {
    public Stack {
      Objects.requireNonNull(mode);
      frames = List.copyOf(frames);
    }
  }

  /** One frame of a {@link Stack}: its instruction address, symbol text, and what kind of code it is in. */
  record Frame(long address, String symbol, FrameKind kind) {
    public Frame {
      Objects.requireNonNull(symbol);
      Objects.requireNonNull(kind);
    }

    /** A frame whose kind follows from its address: the kernel lives in the upper half of the address space. */
    public Frame(long address, String symbol) { this(address, symbol, address < 0 ? FrameKind.KERNEL : FrameKind.USER); }
  }

  /** What kind of code a stack frame is in; flame graphs colour frames by it. */
  enum FrameKind {
    KERNEL, USER,
    /** Code a JIT compiler generated, named through the process's perf map ({@code /tmp/perf-PID.map}). */
    JIT
  }

  /**
   * The result of {@code ksym()} or {@code usym()}: a symbol name, or the address as {@code 0x...} when it did
   * not resolve. Prints like a string, except that bpftrace 0.17 puts no line break between map entries holding
   * symbols.
   */
  record Sym(String text) implements Value {
    public Sym { Objects.requireNonNull(text); }
  }

  /** The result of {@code ntop()}: an address as inet_ntop(3) writes it. Map entries holding it are not separated either. */
  record Inet(String text) implements Value {
    public Inet { Objects.requireNonNull(text); }
  }

  /**
   * A pointer. bpftrace 0.17 prints it as a signed decimal number as a map value ({@code @p: -131386687023296})
   * and as {@code 0x...} as a map key.
   */
  record Ptr(long address) implements Value {}

  /** A boolean, printed {@code true} or {@code false} (bpftrace 0.17 has none; comparisons give integers). */
  record Bool(boolean value) implements Value {}

  /** The value of {@code count()}: an unsigned 64-bit number. */
  record Count(long value) implements Value {}

  /** The value of {@code sum()}: a 64-bit number, signed if the summed expression was. */
  record Sum(long value, boolean signed) implements Value {}

  /** The value of {@code min()}. */
  record Min(long value, boolean signed) implements Value {}

  /** The value of {@code max()}. bpftrace 0.17 prints it unsigned. */
  record Max(long value, boolean signed) implements Value {}

  /** The value of {@code avg()}: printed as {@code total / count}, rounded towards zero (0 when empty). */
  record Avg(long count, long total) implements Value {
    /** {@return the average as bpftrace computes it} */
    public long average() { return count == 0 ? 0 : total / count; }
  }

  /** The value of {@code stats()}: {@code count 2, average 5, total 10}. */
  record Stats(long count, long total) implements Value {
    /** {@return the average as bpftrace computes it} */
    public long average() { return count == 0 ? 0 : total / count; }
  }

  /**
   * The value of {@code hist(x)} or {@code hist(x, bits)}: counts per bucket. Bucket 0 counts negative values.
   * With {@code bits} = k, buckets 1 to 2<sup>k+1</sup> each count the single value {@code index - 1}, and every
   * following power of two is split into 2<sup>k</sup> equal buckets. For k = 0 (bpftrace 0.17's only layout)
   * bucket 1 counts 0, bucket 2 counts 1, and bucket i &ge; 3 counts [2<sup>i-2</sup>, 2<sup>i-1</sup>).
   */
  record Hist(int bits, long[] buckets) implements Value {
    public Hist {
      if (bits < 0 || bits > 5) throw new IllegalArgumentException("hist bits must be 0 to 5, got " + bits);
      buckets = buckets.clone();
    }

    @Override public long[] buckets() { return buckets.clone(); }

    long[] raw() { return buckets; }

    @Override public boolean equals(Object o) {
      return o instanceof Hist h && bits == h.bits && Arrays.equals(buckets, h.buckets);
    }

    @Override public int hashCode() { return 31 * bits + Arrays.hashCode(buckets); }

    @Override public String toString() { return "Hist[bits=" + bits + ", buckets=" + Arrays.toString(buckets) + "]"; }
  }

  /**
   * The value of {@code lhist(x, min, max, step)}: {@code (max - min) / step + 2} counts. Bucket 0 counts values
   * below {@code min}, bucket i counts [min + (i-1)·step, min + i·step), and the last bucket counts the rest.
   */
  record Lhist(long min, long max, long step, long[] buckets) implements Value {
    public Lhist {
      if (step <= 0) throw new IllegalArgumentException("lhist step must be positive, got " + step);
      if (max < min) throw new IllegalArgumentException("lhist max " + max + " is below min " + min);
      long expected = (max - min) / step + 2;
      if (buckets.length != expected) {
        throw new IllegalArgumentException("lhist(" + min + ", " + max + ", " + step + ") has " + expected
            + " buckets, got " + buckets.length);
      }
      buckets = buckets.clone();
    }

    @Override public long[] buckets() { return buckets.clone(); }

    long[] raw() { return buckets; }

    @Override public boolean equals(Object o) {
      return o instanceof Lhist l && min == l.min && max == l.max && step == l.step && Arrays.equals(buckets, l.buckets);
    }

    @Override public int hashCode() { return Objects.hash(min, max, step, Arrays.hashCode(buckets)); }

    @Override public String toString() {
      return "Lhist[" + min + ", " + max + ", " + step + ", " + Arrays.toString(buckets) + "]";
    }
  }
}
