package jbpf.lang.types;

/**
 * An aggregation function and the per-CPU value it keeps in its map. Values are combined over CPUs in
 * userspace.
 */
public enum AggKind {
  /** {@code count()}: u64 */ COUNT("count", 8),
  /** {@code sum(x)}: s64 or u64 */ SUM("sum", 8),
  /** {@code min(x)}: value, then a u64 "is set" flag */ MIN("min", 16),
  /** {@code max(x)}: value, then a u64 "is set" flag */ MAX("max", 16),
  /** {@code avg(x)}: sum, count */ AVG("avg", 16),
  /** {@code stats(x)}: sum, count */ STATS("stats", 16),
  /** {@code hist(x)}: one u64 count per (key, bucket) */ HIST("hist", 8),
  /** {@code lhist(x, min, max, step)}: one u64 count per (key, bucket) */ LHIST("lhist", 8);

  private final String fn;
  private final int valueSize;

  AggKind(String fn, int valueSize) {
    this.fn = fn;
    this.valueSize = valueSize;
  }

  /** {@return the function name in the language} */
  public String fn() { return fn; }

  /** {@return the per-CPU value size in bytes} */
  public int valueSize() { return valueSize; }

  /** {@return whether the map key includes a bucket index after the user's key} */
  public boolean bucketed() { return this == HIST || this == LHIST; }
}
