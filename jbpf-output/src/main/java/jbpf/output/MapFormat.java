package jbpf.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import jbpf.output.MapDump.Entry;
import jbpf.output.MapDump.Kind;

/**
 * bpftrace's rules for which entries of a map {@code print(@m, top, div)} shows, in what order, and with what
 * value.
 *
 * <ul>
 *   <li>count, sum, min, max and integer maps are sorted by value, ascending; other value maps by key (integers
 *       compared as unsigned numbers of their size, strings bytewise; other key types keep the kernel's order).
 *       bpftrace leaves ties in the kernel's hash order, which changes from run to run; here ties are in key
 *       order.</li>
 *   <li>hist and lhist maps are sorted by the total of their buckets, stats and avg maps by their average; ties are
 *       in the order of the raw key bytes, which bpftrace gets from a {@code std::map} (integers are little-endian,
 *       so {@code 256} comes before {@code 1}).</li>
 *   <li>{@code top} keeps the last (largest) {@code top} entries; stats maps ignore it.</li>
 *   <li>{@code div} divides counts, sums, minima, maxima, averages, integers and hist bucket counts, each in
 *       the C integer type bpftrace uses; stats and lhist maps ignore it.</li>
 * </ul>
 */
final class MapFormat {
  private MapFormat() {}

  /** {@return the entries to print, in order} */
  static List<Entry> select(MapDump map, long top) {
    if (map.kind() == Kind.COUNT && !map.keyed() && map.entries().isEmpty()) {
      // bpftrace 0.17 prints a keyless count() map as 0 even when nothing was counted or it was cleared.
      return List.of(new Entry(List.of(), new Value.Count(0)));
    }
    List<Entry> entries = new ArrayList<>(map.entries());
    switch (map.kind()) {
      case HIST, LHIST -> {
        entries.sort(RAW_KEY_ORDER);
        entries.sort(Comparator.comparing(e -> bucketTotal(e.value()), Long::compareUnsigned));
      }
      case AVG, STATS -> {
        entries.sort(RAW_KEY_ORDER);
        entries.sort(Comparator.comparingLong(e -> average(e.value())));
      }
      case COUNT, SUM, MIN, MAX, VALUE -> {
        entries.sort(KEY_ORDER);
        if (map.kind() != Kind.VALUE || entries.stream().allMatch(e -> e.value() instanceof Value.Int)) {
          entries.sort(VALUE_ORDER);
        }
      }
    }
    if (map.kind() == Kind.STATS || top <= 0 || entries.size() <= top) return entries;
    return entries.subList(entries.size() - (int) top, entries.size());
  }

  private static long bucketTotal(Value v) {
    long[] buckets = switch (v) {
      case Value.Hist h -> h.raw();
      case Value.Lhist l -> l.raw();
      default -> throw new IllegalStateException("not a histogram: " + v);
    };
    long total = 0;
    for (long b : buckets) total += b;
    return total;
  }

  private static long average(Value v) {
    return switch (v) {
      case Value.Avg a -> a.average();
      case Value.Stats s -> s.average();
      default -> throw new IllegalStateException("not avg or stats: " + v);
    };
  }

  /** Orders map values as bpftrace sorts count, sum, min, max and integer maps. */
  private static final Comparator<Entry> VALUE_ORDER = (a, b) -> compareValues(a.value(), b.value());

  private static int compareValues(Value a, Value b) {
    return switch (a) {
      case Value.Count x -> Long.compareUnsigned(x.value(), ((Value.Count) b).value());
      case Value.Sum x -> compare(x.value(), ((Value.Sum) b).value(), x.signed());
      case Value.Min x -> compare(x.value(), ((Value.Min) b).value(), x.signed());
      case Value.Max x -> compare(x.value(), ((Value.Max) b).value(), x.signed());
      case Value.Int x -> compare(x.value(), ((Value.Int) b).value(), x.signed());
      default -> 0;
    };
  }

  private static int compare(long a, long b, boolean signed) {
    return signed ? Long.compare(a, b) : Long.compareUnsigned(a, b);
  }

  /** bpftrace's {@code sort_by_key}: integers by their unsigned bits, strings bytewise, the rest unordered. */
  private static final Comparator<Entry> KEY_ORDER = (a, b) -> {
    List<Value> x = a.key();
    List<Value> y = b.key();
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = compareKeyPart(x.get(i), y.get(i));
      if (c != 0) return c;
    }
    return 0;
  };

  private static int compareKeyPart(Value a, Value b) {
    return switch (a) {
      case Value.Int x when b instanceof Value.Int y -> Long.compareUnsigned(bits(x), bits(y));
      case Value.Ptr x when b instanceof Value.Ptr y -> Long.compareUnsigned(x.address(), y.address());
      case Value.Str x when b instanceof Value.Str y -> compareBytes(x.raw(), y.raw());
      default -> 0;
    };
  }

  private static long bits(Value.Int i) {
    return i.size() == 8 ? i.value() : i.value() & ((1L << (8 * i.size())) - 1);
  }

  /** The order of the raw key bytes, as a {@code std::map<std::vector<uint8_t>, ...>} keeps them. */
  private static final Comparator<Entry> RAW_KEY_ORDER = (a, b) -> {
    List<Value> x = a.key();
    List<Value> y = b.key();
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = compareRaw(x.get(i), y.get(i));
      if (c != 0) return c;
    }
    return 0;
  };

  private static int compareRaw(Value a, Value b) {
    return switch (a) {
      case Value.Int x when b instanceof Value.Int y && x.size() == y.size() -> compareLittleEndian(x.value(), y.value(), x.size());
      case Value.Ptr x when b instanceof Value.Ptr y -> compareLittleEndian(x.address(), y.address(), 8);
      case Value.Str x when b instanceof Value.Str y -> compareBytes(x.raw(), y.raw());
      case Value.Buf x when b instanceof Value.Buf y -> {
        int c = Integer.compare(x.raw().length, y.raw().length);
        yield c != 0 ? c : compareBytes(x.raw(), y.raw());
      }
      case Value.Tuple x when b instanceof Value.Tuple y -> {
        for (int i = 0; i < Math.min(x.elements().size(), y.elements().size()); i++) {
          int c = compareRaw(x.elements().get(i), y.elements().get(i));
          if (c != 0) yield c;
        }
        yield 0;
      }
      default -> 0;
    };
  }

  private static int compareLittleEndian(long a, long b, int size) {
    for (int i = 0; i < size; i++) {
      int c = Integer.compare((int) (a >>> (8 * i)) & 0xff, (int) (b >>> (8 * i)) & 0xff);
      if (c != 0) return c;
    }
    return 0;
  }

  private static int compareBytes(byte[] a, byte[] b) { return Arrays.compareUnsigned(a, b); }

  /** {@return {@code v} divided by {@code div} as bpftrace divides it when printing a map} */
  static Value divide(Value v, long div) {
    if (div == 1) return v;
    return switch (v) {
      case Value.Count c -> new Value.Count(Long.divideUnsigned(c.value(), div));
      case Value.Sum s -> new Value.Sum(s.signed() ? s.value() / div : Long.divideUnsigned(s.value(), div), s.signed());
      case Value.Min m -> new Value.Min(m.signed() ? m.value() / div : Long.divideUnsigned(m.value(), div), m.signed());
      case Value.Max m -> new Value.Max(m.signed() ? m.value() / div : Long.divideUnsigned(m.value(), div), m.signed());
      case Value.Int i -> new Value.Int(divideInt(i, div), 8, i.signed());
      case Value.Ptr p -> new Value.Ptr(p.address() / div);
      default -> v;
    };
  }

  /** bpftrace keeps integers in 64-bit map slots and divides them as {@code int64_t} or {@code uint64_t}. */
  private static long divideInt(Value.Int i, long div) {
    return i.signed() ? i.value() / div : Long.divideUnsigned(i.value(), div);
  }

  /** {@return whether bpftrace 0.17 writes no line break between entries of a map holding {@code v}} */
  static boolean unseparated(Value v) {
    return v instanceof Value.Stack || v instanceof Value.Sym || v instanceof Value.Inet;
  }
}
