package jbpf.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AggregationsTest {
  @Test
  void sumsCounts() {
    assertEquals(new Value.Count(6), Aggregations.count(new long[] {1, 2, 3, 0}));
    assertEquals(new Value.Sum(-1, true), Aggregations.sum(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}, true));
  }

  /** bpftrace 0.17 stores 0xffffffff - v per CPU, 0 meaning "nothing seen"; the largest slot is the minimum. */
  @Test
  void decodesMin017() {
    long seven = 0xffff_ffffL - 7;
    long minusThree = 0xffff_ffffL + 3;
    assertEquals(new Value.Min(-3, true), Aggregations.min017(new long[] {seven, 0, minusThree}));
    assertEquals(new Value.Min(7, true), Aggregations.min017(new long[] {0, seven}));
    assertEquals(new Value.Min(0, true), Aggregations.min017(new long[] {0, 0}));
  }

  @Test
  void decodesMax017() {
    assertEquals(new Value.Max(4000000000L, false), Aggregations.max017(new long[] {5, 4000000000L, 0}));
    assertEquals(new Value.Max(-1, false), Aggregations.max017(new long[] {5, -1}));
  }

  @Test
  void minAndMaxSkipCpusThatSawNothing() {
    long[] values = {-5, 100, 7, 0};
    long[] set = {1, 0, 1, 0};
    assertEquals(new Value.Min(-5, true), Aggregations.min(values, set, true));
    assertEquals(new Value.Max(7, true), Aggregations.max(values, set, true));
    assertEquals(new Value.Max(-5, false), Aggregations.max(values, set, false));
    assertEquals(new Value.Min(0, true), Aggregations.min(values, new long[4], true));
  }

  @Test
  void averagesRoundTowardsZero() {
    Value.Avg avg = Aggregations.avg(new long[] {1, 1}, new long[] {-7, 2});
    assertEquals(-2, avg.average());
    assertEquals(0, new Value.Avg(0, 0).average());
    Value.Stats stats = Aggregations.stats(new long[] {2, 1}, new long[] {10, 1});
    assertEquals(new Value.Stats(3, 11), stats);
    assertEquals(3, stats.average());
  }

  @Test
  void addsBuckets() {
    assertArrayEquals(new long[] {1, 2, 3}, Aggregations.buckets(new long[][] {{1, 0, 3}, {0, 2}}));
  }
}
