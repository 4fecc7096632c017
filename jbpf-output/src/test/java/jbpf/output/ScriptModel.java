package jbpf.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The maps of a bpftrace script as bpftrace 0.17's generated code leaves them, for feeding the formatters the
 * values a golden script creates. Aggregations follow 0.17's kernel-side rules: log2 computed in 32 bits,
 * {@code min()} stored as {@code 0xffffffff - v}, and a {@code max()} or {@code min()} slot written only when the
 * new value beats the slot (so {@code max(-5)} on an empty map stores nothing).
 */
final class ScriptModel {
  private final Output out;
  private final Map<String, MapState> maps = new TreeMap<>();

  ScriptModel(Output out) { this.out = out; }

  private static final class MapState {
    final MapDump.Kind kind;
    final boolean keyed;
    final LinkedHashMap<List<Value>, Object> entries = new LinkedHashMap<>();

    MapState(MapDump.Kind kind, boolean keyed) {
      this.kind = kind;
      this.keyed = keyed;
    }
  }

  private record MinMax(long raw) {}

  private record AvgState(long count, long total) {}

  private record LhistState(long min, long max, long step, long[] buckets) {}

  private record SumState(long total, boolean signed) {}

  static Value.Int i(long v) { return Value.int64(v); }

  static Value.Str s(String v) { return Value.str(v); }

  private MapState state(String name, MapDump.Kind kind, Value[] key) {
    MapState m = maps.computeIfAbsent(name, n -> new MapState(kind, key.length > 0));
    if (m.kind != kind) throw new IllegalArgumentException(name + " is a " + m.kind + " map");
    return m;
  }

  ScriptModel count(String name, Value... key) {
    state(name, MapDump.Kind.COUNT, key).entries.merge(List.of(key), 1L, (a, b) -> (Long) a + 1);
    return this;
  }

  ScriptModel sum(String name, long v, boolean signed, Value... key) {
    state(name, MapDump.Kind.SUM, key).entries.merge(List.of(key), new SumState(v, signed),
        (a, b) -> new SumState(((SumState) a).total + v, signed));
    return this;
  }

  ScriptModel sum(String name, long v, Value... key) { return sum(name, v, true, key); }

  ScriptModel min(String name, long v, Value... key) {
    MapState m = state(name, MapDump.Kind.MIN, key);
    long raw = 0xffff_ffffL - v;
    long current = m.entries.containsKey(List.of(key)) ? ((MinMax) m.entries.get(List.of(key))).raw : 0;
    if (raw >= current) m.entries.put(List.of(key), new MinMax(raw));
    return this;
  }

  ScriptModel max(String name, long v, Value... key) {
    MapState m = state(name, MapDump.Kind.MAX, key);
    long current = m.entries.containsKey(List.of(key)) ? ((MinMax) m.entries.get(List.of(key))).raw : 0;
    if (v >= current) m.entries.put(List.of(key), new MinMax(v));
    return this;
  }

  ScriptModel avg(String name, long v, Value... key) { return avgOrStats(name, MapDump.Kind.AVG, v, key); }

  ScriptModel stats(String name, long v, Value... key) { return avgOrStats(name, MapDump.Kind.STATS, v, key); }

  private ScriptModel avgOrStats(String name, MapDump.Kind kind, long v, Value... key) {
    state(name, kind, key).entries.merge(List.of(key), new AvgState(1, v),
        (a, b) -> new AvgState(((AvgState) a).count + 1, ((AvgState) a).total + v));
    return this;
  }

  /** bpftrace 0.17's log2 bucket: five halving steps of 16, 8, 4, 2 and 1 bits, so 2^31 and up share bucket 33. */
  static int log2Bucket017(long v) {
    if (v < 0) return 0;
    if (v == 0) return 1;
    return 2 + Math.min(31, 63 - Long.numberOfLeadingZeros(v));
  }

  /** The bucket of {@code hist(v, k)} in later bpftrace: 2^k buckets per power of two, 64-bit log2. */
  static int histBucket(long v, int k) {
    if (v < 0) return 0;
    if (v < (2L << k)) return (int) v + 1;
    int p = 63 - Long.numberOfLeadingZeros(v);
    long s = (v - (1L << p)) >>> (p - k);
    return ((p - k + 1) << k) + (int) s + 1;
  }

  ScriptModel hist(String name, long v, Value... key) {
    long[] b = (long[]) state(name, MapDump.Kind.HIST, key).entries.computeIfAbsent(List.of(key), k -> new long[65]);
    b[log2Bucket017(v)]++;
    return this;
  }

  ScriptModel lhist(String name, long v, long min, long max, long step, Value... key) {
    LhistState l = (LhistState) state(name, MapDump.Kind.LHIST, key).entries.computeIfAbsent(List.of(key),
        k -> new LhistState(min, max, step, new long[(int) ((max - min) / step + 2)]));
    int buckets = (int) ((max - min) / step);
    int index = v < min ? 0 : v > max ? buckets + 1 : (int) ((v - min) / step) + 1;
    l.buckets[index]++;
    return this;
  }

  ScriptModel set(String name, Value v, Value... key) {
    state(name, MapDump.Kind.VALUE, key).entries.put(List.of(key), v);
    return this;
  }

  /** clear(): the map loses every entry. */
  ScriptModel clear(String name) {
    maps.get(name).entries.clear();
    return this;
  }

  /** Declares a map that no probe writes to. */
  ScriptModel declare(String name, MapDump.Kind kind, boolean keyed) {
    maps.put(name, new MapState(kind, keyed));
    return this;
  }

  /** zero(): every key stays, with a zero value (an empty string for strings). */
  ScriptModel zero(String name) {
    MapState m = maps.get(name);
    m.entries.replaceAll((k, v) -> switch (v) {
      case Long _ -> 0L;
      case SumState s -> new SumState(0, s.signed);
      case MinMax _ -> new MinMax(0);
      case AvgState _ -> new AvgState(0, 0);
      case long[] b -> new long[b.length];
      case LhistState l -> new LhistState(l.min, l.max, l.step, new long[l.buckets.length]);
      case Value.Str _ -> Value.str("");
      case Value.Int i -> new Value.Int(0, i.size(), i.signed());
      default -> throw new IllegalArgumentException("zero() of " + v);
    });
    return this;
  }

  MapDump dump(String name) {
    MapState m = maps.get(name);
    List<MapDump.Entry> entries = new ArrayList<>();
    for (var e : m.entries.entrySet()) entries.add(new MapDump.Entry(e.getKey(), value(m.kind, e.getValue())));
    return new MapDump(name, m.kind, m.keyed, entries);
  }

  private static Value value(MapDump.Kind kind, Object o) {
    return switch (kind) {
      case COUNT -> Aggregations.count(new long[] {(Long) o});
      case SUM -> Aggregations.sum(new long[] {((SumState) o).total}, ((SumState) o).signed);
      case MIN -> Aggregations.min017(new long[] {((MinMax) o).raw});
      case MAX -> Aggregations.max017(new long[] {((MinMax) o).raw});
      case AVG -> Aggregations.avg(new long[] {((AvgState) o).count}, new long[] {((AvgState) o).total});
      case STATS -> Aggregations.stats(new long[] {((AvgState) o).count}, new long[] {((AvgState) o).total});
      case HIST -> new Value.Hist(0, (long[]) o);
      case LHIST -> {
        LhistState l = (LhistState) o;
        yield new Value.Lhist(l.min, l.max, l.step, Arrays.copyOf(l.buckets, l.buckets.length));
      }
      case VALUE -> (Value) o;
    };
  }

  // What the script prints.

  ScriptModel attached(int probes) {
    out.attachedProbes(probes);
    return this;
  }

  ScriptModel printf(String format, Value... args) {
    PrintfFormat f = PrintfFormat.parse(format);
    if (!f.errors().isEmpty()) throw new IllegalArgumentException(f.errors().toString());
    out.printf(f, List.of(args));
    return this;
  }

  ScriptModel print(String name) {
    out.map(dump(name));
    return this;
  }

  ScriptModel print(String name, long top, long div) {
    out.map(dump(name), top, div);
    return this;
  }

  ScriptModel print(Value v) {
    out.value(v);
    return this;
  }

  void exit() {
    List<MapDump> dumps = new ArrayList<>();
    for (String name : maps.keySet()) dumps.add(dump(name));
    out.exit(dumps);
  }

  Output out() { return out; }
}
