package jbpf.output;

/**
 * Combines the per-CPU slots of an aggregation map entry into one {@link Value}, as bpftrace does before
 * printing. Each method takes one array element per possible CPU, in CPU order.
 *
 * <p>Two layouts exist for {@code min()} and {@code max()}: bpftrace 0.17's (one 64-bit slot per CPU, see
 * {@link #min017}) and later bpftrace's (a value and an "is set" flag per CPU, see {@link #min}).
 */
public final class Aggregations {
  private Aggregations() {}

  /** {@return the sum of the per-CPU counts of {@code count()}} */
  public static Value.Count count(long[] perCpu) {
    long total = 0;
    for (long v : perCpu) total += v;
    return new Value.Count(total);
  }

  /** {@return the sum of the per-CPU partial sums of {@code sum()}, wrapping on overflow as bpftrace's does} */
  public static Value.Sum sum(long[] perCpu, boolean signed) {
    long total = 0;
    for (long v : perCpu) total += v;
    return new Value.Sum(total, signed);
  }

  /**
   * {@return the {@code min()} of bpftrace 0.17's layout} Each CPU slot holds {@code 0xffffffff - min} (0 when the
   * CPU saw no value), so the largest slot wins and is decoded back; only values of 32 bits fit this scheme.
   */
  public static Value.Min min017(long[] perCpu) {
    long largest = 0;
    for (long v : perCpu) if (v > largest) largest = v;
    return new Value.Min(largest == 0 ? 0 : 0xffff_ffffL - largest, true);
  }

  /** {@return the {@code max()} of bpftrace 0.17's layout: the largest slot, compared unsigned, 0 if none} */
  public static Value.Max max017(long[] perCpu) {
    long largest = 0;
    for (long v : perCpu) if (Long.compareUnsigned(v, largest) > 0) largest = v;
    return new Value.Max(largest, false);
  }

  /** {@return the smallest of the per-CPU values whose {@code isSet} slot is non-zero, or 0 if there is none} */
  public static Value.Min min(long[] values, long[] isSet, boolean signed) {
    return new Value.Min(pick(values, isSet, signed, false), signed);
  }

  /** {@return the largest of the per-CPU values whose {@code isSet} slot is non-zero, or 0 if there is none} */
  public static Value.Max max(long[] values, long[] isSet, boolean signed) {
    return new Value.Max(pick(values, isSet, signed, true), signed);
  }

  private static long pick(long[] values, long[] isSet, boolean signed, boolean largest) {
    if (values.length != isSet.length) throw new IllegalArgumentException("per-CPU values and flags differ in length");
    long best = 0;
    boolean found = false;
    for (int i = 0; i < values.length; i++) {
      if (isSet[i] == 0) continue;
      long v = values[i];
      int cmp = signed ? Long.compare(v, best) : Long.compareUnsigned(v, best);
      if (!found || (largest ? cmp > 0 : cmp < 0)) best = v;
      found = true;
    }
    return best;
  }

  /** {@return the {@code avg()} of per-CPU counts and totals} */
  public static Value.Avg avg(long[] counts, long[] totals) {
    return new Value.Avg(count(counts).value(), sum(totals, true).value());
  }

  /** {@return the {@code stats()} of per-CPU counts and totals} */
  public static Value.Stats stats(long[] counts, long[] totals) {
    return new Value.Stats(count(counts).value(), sum(totals, true).value());
  }

  /** {@return the bucket-wise sum of per-CPU bucket counts, {@code perCpu[cpu][bucket]}} */
  public static long[] buckets(long[][] perCpu) {
    int n = 0;
    for (long[] cpu : perCpu) n = Math.max(n, cpu.length);
    long[] total = new long[n];
    for (long[] cpu : perCpu) for (int i = 0; i < cpu.length; i++) total[i] += cpu[i];
    return total;
  }
}
