package jbpf.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;
import jbpf.map.BpfMap;
import jbpf.output.Aggregations;
import jbpf.output.MapDump;
import jbpf.output.Value;
import jbpf.spec.MapType;

/**
 * Reads a script's maps from the kernel into {@link MapDump}s, and carries out {@code clear()}, {@code zero()} and
 * the {@code delete()} of hist keys. Keys are decoded, per-CPU aggregation values combined, and hist/lhist buckets
 * regrouped into one value per key: a hash map keeps one entry per (key, bucket), a map without keys is an array
 * indexed by bucket (see {@code jbpf.lang.codegen.MapStorage}).
 */
final class MapReader {
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

  private final ValueDecoder decoder;
  /** Bucket arrays {@code zero()}ed since their last {@code clear()}: all-zero, they print as zeroed, not as empty. */
  private final Set<String> zeroed = new HashSet<>();

  MapReader(ValueDecoder decoder) { this.decoder = decoder; }

  MapDump read(MapInfo info, BpfMap map) {
    if (info.agg() != null && info.agg().bucketed()) {
      return map.type() == MapType.PERCPU_ARRAY ? readBucketArray(info, map) : readBuckets(info, map);
    }
    List<MapDump.Entry> entries = new ArrayList<>();
    int cpus = map.cpus();
    long stride = map.valueStride();
    map.forEach((k, v) -> {
      List<Value> key = decoder.keyValues(info.key(), k, 0, info.multiKey());
      Value value = info.agg() == null ? decoder.decode(info.value(), v, 0) : aggregate(info, v, cpus, stride);
      entries.add(new MapDump.Entry(key, value));
    });
    MapDump.Kind kind = kind(info.agg());
    if (!info.keyed()) return entries.isEmpty() ? MapDump.empty(info.name(), kind, false) : new MapDump(info.name(), kind, false, entries);
    return new MapDump(info.name(), kind, true, entries);
  }

  private static MapDump.Kind kind(AggKind agg) {
    if (agg == null) return MapDump.Kind.VALUE;
    return switch (agg) {
      case COUNT -> MapDump.Kind.COUNT;
      case SUM -> MapDump.Kind.SUM;
      case MIN -> MapDump.Kind.MIN;
      case MAX -> MapDump.Kind.MAX;
      case AVG -> MapDump.Kind.AVG;
      case STATS -> MapDump.Kind.STATS;
      case HIST -> MapDump.Kind.HIST;
      case LHIST -> MapDump.Kind.LHIST;
    };
  }

  /** Combines the per-CPU values of an aggregation: each CPU's value is {@code stride} bytes apart. */
  private static Value aggregate(MapInfo info, MemorySegment v, int cpus, long stride) {
    Type.Agg agg = (Type.Agg) info.value();
    long[] a = new long[cpus];
    long[] b = new long[cpus];
    for (int c = 0; c < cpus; c++) {
      a[c] = v.get(U64, c * stride);
      if (agg.kind().valueSize() > 8) b[c] = v.get(U64, c * stride + 8);
    }
    return switch (agg.kind()) {
      case COUNT -> Aggregations.count(a);
      case SUM -> Aggregations.sum(a, agg.signed());
      case MIN -> Aggregations.min(a, b, agg.signed());
      case MAX -> Aggregations.max(a, b, agg.signed());
      case AVG -> Aggregations.avg(b, a);
      case STATS -> Aggregations.stats(b, a);
      case HIST, LHIST -> throw new IllegalStateException("bucketed");
    };
  }

  /** {@return the number of buckets of a hist or lhist value: for hist, enough for every 64-bit value} */
  static int buckets(Type.Agg agg) {
    if (agg.kind() == AggKind.LHIST) return (int) ((agg.max() - agg.min()) / agg.step() + 2);
    return 2 + 64 * (1 << (int) agg.step());
  }

  private static Value histValue(Type.Agg agg, long[] buckets) {
    return agg.kind() == AggKind.LHIST ? new Value.Lhist(agg.min(), agg.max(), agg.step(), buckets)
        : new Value.Hist((int) agg.step(), buckets);
  }

  /** A hist/lhist map without keys: a per-CPU array with one count per bucket, indexed by bucket. */
  private MapDump readBucketArray(MapInfo info, BpfMap map) {
    Type.Agg agg = (Type.Agg) info.value();
    long[] buckets = new long[buckets(agg)];
    int cpus = map.cpus();
    long stride = map.valueStride();
    boolean[] any = {false};
    map.forEach((k, v) -> {
      int bucket = k.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
      long count = 0;
      for (int c = 0; c < cpus; c++) count += v.get(U64, c * stride);
      if (count == 0 || bucket < 0 || bucket >= buckets.length) return;
      buckets[bucket] += count;
      any[0] = true;
    });
    MapDump.Kind kind = kind(agg.kind());
    if (!any[0] && !zeroed.contains(info.specName())) return MapDump.empty(info.name(), kind, false);
    return new MapDump(info.name(), kind, false, List.of(new MapDump.Entry(List.of(), histValue(agg, buckets))));
  }

  private MapDump readBuckets(MapInfo info, BpfMap map) {
    Type.Agg agg = (Type.Agg) info.value();
    int nbuckets = buckets(agg);
    int keyBytes = info.keySize() - 8;
    Map<String, long[]> byKey = new LinkedHashMap<>();
    Map<String, List<Value>> keys = new LinkedHashMap<>();
    HexFormat hex = HexFormat.of();
    int cpus = map.cpus();
    long stride = map.valueStride();
    map.forEach((k, v) -> {
      byte[] kb = k.asSlice(0, keyBytes).toArray(ValueLayout.JAVA_BYTE);
      String id = hex.formatHex(kb);
      long bucket = k.get(U64, keyBytes);
      long count = 0;
      for (int c = 0; c < cpus; c++) count += v.get(U64, c * stride);
      if (bucket < 0 || bucket >= nbuckets) return;
      long[] buckets = byKey.computeIfAbsent(id, x -> new long[nbuckets]);
      buckets[(int) bucket] += count;
      keys.computeIfAbsent(id, x -> decoder.keyValues(info.key(), k, 0, info.multiKey()));
    });
    List<MapDump.Entry> entries = new ArrayList<>();
    byKey.forEach((id, buckets) -> entries.add(new MapDump.Entry(keys.get(id), histValue(agg, buckets))));
    MapDump.Kind kind = kind(agg.kind());
    if (!info.keyed()) return entries.isEmpty() ? MapDump.empty(info.name(), kind, false) : new MapDump(info.name(), kind, false, entries);
    return new MapDump(info.name(), kind, true, entries);
  }

  /**
   * {@code clear(@m)} removes every entry; {@code zero(@m)} keeps the keys with their values set to zero. Arrays
   * cannot remove entries: both zero them, and a zeroed bucket array remembers which it was.
   */
  void clear(MapInfo info, BpfMap map, boolean zero) {
    if (zero) zeroed.add(info.specName());
    else zeroed.remove(info.specName());
    if (!zero) {
      map.clear();
      return;
    }
    byte[] zeros = new byte[map.valueBufferSize()];
    for (var e : map.entries()) map.update(e.key(), zeros);
  }

  /** {@code delete(@m[key])} of a hist or lhist map: removes the entries of every bucket of {@code key}. */
  void deleteKey(MapInfo info, BpfMap map, List<Value> key) {
    List<byte[]> doomed = new ArrayList<>();
    map.forEach((k, v) -> {
      if (decoder.keyValues(info.key(), k, 0, info.multiKey()).equals(key)) doomed.add(k.toArray(ValueLayout.JAVA_BYTE));
    });
    for (byte[] k : doomed) map.delete(k);
  }
}
