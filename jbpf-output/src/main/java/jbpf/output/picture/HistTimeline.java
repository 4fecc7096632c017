package jbpf.output.picture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.output.MapDump;
import jbpf.output.Value;

/**
 * The history of one {@code hist()} or {@code lhist()} map, built from what was seen of it while a script ran, as
 * the columns of a {@link HeatMap}. Each {@link #observe observation} of the map (a {@code print()}, or a sample the
 * runtime took) becomes a column holding what was added since the previous one; {@link #cleared} records that
 * the map was emptied, so that a script that prints and clears every second and one that never clears give the same
 * columns. A bucket that went down without a clear (a {@code delete()} of the key) starts again from zero.
 * Not thread-safe.
 */
public final class HistTimeline {
  private final String name;
  private HeatMap.Buckets buckets;
  private final List<Double> times = new ArrayList<>();
  /** Per key: the counts at the last observation, and the added counts of every column (null for none). */
  private final Map<List<Value>, KeyHistory> keys = new LinkedHashMap<>();

  private static final class KeyHistory {
    long[] baseline;
    final List<long[]> columns = new ArrayList<>();
  }

  /** @param name the map's name, such as {@code @usecs} */
  public HistTimeline(String name) { this.name = name; }

  /** {@return the map's name} */
  public String name() { return name; }

  /** {@return the number of columns so far} */
  public int columns() { return times.size(); }

  /**
   * Adds a column ending at {@code seconds}: for every key, the counts of {@code map} minus those of the previous
   * observation.
   *
   * @throws IllegalArgumentException if the map does not hold hist or lhist values
   */
  public void observe(double seconds, MapDump map) {
    Map<List<Value>, long[]> added = deltas(map);
    record(seconds, added);
  }

  /**
   * Adds the map's contents at the end of tracing as a last column, if anything arrived since the last observation
   * or there was none.
   */
  public void finish(double seconds, MapDump map) {
    Map<List<Value>, long[]> added = deltas(map);
    boolean any = times.isEmpty() && !added.isEmpty();
    for (long[] d : added.values()) for (long x : d) any |= x != 0;
    if (any) record(seconds, added);
  }

  /** Records that the map was emptied (by {@code clear()} or {@code zero()}): later counts start from zero. */
  public void cleared() {
    for (KeyHistory k : keys.values()) k.baseline = null;
  }

  /**
   * Records that the map, holding {@code map}, was emptied at {@code seconds}. What arrived since the last
   * observation is kept: in the last column if that observation was at most {@value #SAME_MOMENT} seconds earlier
   * (a {@code print(); clear();} pair), else in a column of its own. Later counts start from zero.
   */
  public void cleared(double seconds, MapDump map) {
    Map<List<Value>, long[]> added = deltas(map);
    boolean any = false;
    for (long[] d : added.values()) for (long x : d) any |= x != 0;
    if (any) {
      int last = times.size() - 1;
      if (last >= 0 && seconds - times.get(last) <= SAME_MOMENT) {
        for (Map.Entry<List<Value>, long[]> e : added.entrySet()) {
          List<long[]> cols = keys.get(e.getKey()).columns;
          while (cols.size() <= last) cols.add(null);
          long[] c = cols.get(last);
          if (c == null) cols.set(last, c = new long[e.getValue().length]);
          for (int i = 0; i < c.length; i++) c[i] += e.getValue()[i];
        }
      } else {
        record(seconds, added);
      }
    }
    cleared();
  }

  /** Seconds within which a clear belongs to the observation before it. */
  static final double SAME_MOMENT = 0.1;

  private Map<List<Value>, long[]> deltas(MapDump map) {
    if (map.kind() != MapDump.Kind.HIST && map.kind() != MapDump.Kind.LHIST) {
      throw new IllegalArgumentException("map " + map.name() + " holds " + map.kind() + " values; a heat map needs hist() or lhist()");
    }
    Map<List<Value>, long[]> out = new LinkedHashMap<>();
    for (MapDump.Entry e : map.entries()) {
      long[] now = switch (e.value()) {
        case Value.Hist h -> {
          if (buckets == null) buckets = new HeatMap.Buckets.Log2(h.bits(), h.buckets().length);
          yield h.buckets();
        }
        case Value.Lhist l -> {
          if (buckets == null) buckets = new HeatMap.Buckets.Linear(l.min(), l.max(), l.step());
          yield l.buckets();
        }
        default -> throw new IllegalArgumentException("map " + map.name() + " holds " + e.value());
      };
      if (now.length != buckets.size()) throw new IllegalArgumentException("map " + map.name() + " changed its buckets");
      KeyHistory k = keys.computeIfAbsent(e.key(), x -> new KeyHistory());
      long[] base = k.baseline;
      long[] d = now.clone();
      if (base != null) {
        boolean dropped = false;
        for (int i = 0; i < d.length && !dropped; i++) dropped = now[i] < base[i];
        if (!dropped) for (int i = 0; i < d.length; i++) d[i] -= base[i];
      }
      k.baseline = now;
      out.put(e.key(), d);
    }
    for (Map.Entry<List<Value>, KeyHistory> k : keys.entrySet()) if (!out.containsKey(k.getKey())) k.getValue().baseline = null;
    return out;
  }

  private void record(double seconds, Map<List<Value>, long[]> added) {
    int column = times.size();
    times.add(seconds);
    for (Map.Entry<List<Value>, KeyHistory> k : keys.entrySet()) {
      List<long[]> cols = k.getValue().columns;
      while (cols.size() < column) cols.add(null);
      long[] d = added.get(k.getKey());
      cols.add(d == null || Arrays.stream(d).allMatch(x -> x == 0) ? null : d);
    }
  }

  /** {@return one series per key that ever counted something, in the order keys appeared} */
  public List<HeatMap.Series> series() {
    List<HeatMap.Series> out = new ArrayList<>();
    if (buckets == null) return out;
    for (Map.Entry<List<Value>, KeyHistory> k : keys.entrySet()) {
      List<HeatMap.Column> cols = new ArrayList<>(times.size());
      boolean any = false;
      for (int i = 0; i < times.size(); i++) {
        long[] d = i < k.getValue().columns.size() ? k.getValue().columns.get(i) : null;
        any |= d != null;
        cols.add(new HeatMap.Column(times.get(i), d != null ? d : new long[buckets.size()]));
      }
      if (any) out.add(new HeatMap.Series(seriesName(k.getKey()), buckets, cols));
    }
    return out;
  }

  private String seriesName(List<Value> key) {
    if (key.isEmpty()) return name;
    List<String> parts = new ArrayList<>();
    for (Value v : key) parts.add(FoldedStacks.keyText(v));
    return name + "[" + String.join(", ", parts) + "]";
  }
}
