package jbpf.output.picture;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import jbpf.output.MapDump;
import jbpf.output.Value;
import org.junit.jupiter.api.Test;

/** Columns from observations of a hist map, whether the script clears it or not. */
class HistTimelineTest {
  private static MapDump hist(long... buckets) {
    long[] v = Arrays.copyOf(buckets, 66);
    return MapDump.single("@h", new Value.Hist(0, v));
  }

  private static MapDump keyed(String key, long... buckets) {
    return MapDump.keyed("@h", List.of(MapDump.entry(Value.str(key), new Value.Hist(0, Arrays.copyOf(buckets, 66)))));
  }

  private static List<List<Long>> columns(HistTimeline t, int series) {
    return t.series().get(series).columns().stream().map(c -> Arrays.stream(c.counts()).limit(4).boxed().toList()).toList();
  }

  @Test
  void printAndClearGivesTheSameColumnsAsPrintingARunningTotal() {
    HistTimeline cleared = new HistTimeline("@h");
    cleared.observe(1, hist(0, 2, 1));
    cleared.cleared();
    cleared.observe(2, hist(0, 0, 4));
    cleared.cleared();
    cleared.observe(3, hist(0, 1, 0, 5));
    cleared.cleared();
    cleared.finish(3.5, MapDump.empty("@h", MapDump.Kind.HIST, false));

    HistTimeline running = new HistTimeline("@h");
    running.observe(1, hist(0, 2, 1));
    running.observe(2, hist(0, 2, 5));
    running.observe(3, hist(0, 3, 5, 5));
    running.finish(3.5, hist(0, 3, 5, 5));

    List<List<Long>> expected = List.of(List.of(0L, 2L, 1L, 0L), List.of(0L, 0L, 4L, 0L), List.of(0L, 1L, 0L, 5L));
    assertEquals(expected, columns(cleared, 0));
    assertEquals(expected, columns(running, 0));
    assertEquals(List.of(1.0, 2.0, 3.0), running.series().getFirst().columns().stream().map(HeatMap.Column::seconds).toList());
  }

  @Test
  void whatArrivesBetweenAPrintAndItsClearJoinsThePrintsColumn() {
    HistTimeline t = new HistTimeline("@h");
    t.observe(1, hist(0, 2));
    t.cleared(1.001, hist(0, 3, 1));
    t.observe(2, hist(0, 4));
    t.cleared(2.5, hist(0, 4, 0, 2));
    t.finish(3, MapDump.empty("@h", MapDump.Kind.HIST, false));
    assertEquals(List.of(List.of(0L, 3L, 1L, 0L), List.of(0L, 4L, 0L, 0L), List.of(0L, 0L, 0L, 2L)), columns(t, 0));
    assertEquals(List.of(1.0, 2.0, 2.5), t.series().getFirst().columns().stream().map(HeatMap.Column::seconds).toList());
  }

  @Test
  void theEndAddsAColumnOnlyForNewCounts() {
    HistTimeline t = new HistTimeline("@h");
    t.observe(1, hist(0, 2));
    t.finish(1.4, hist(0, 3));
    assertEquals(List.of(List.of(0L, 2L, 0L, 0L), List.of(0L, 1L, 0L, 0L)), columns(t, 0));
  }

  @Test
  void aMapSeenOnlyAtTheEndIsOneColumn() {
    HistTimeline t = new HistTimeline("@h");
    t.finish(10, hist(0, 0, 7));
    assertEquals(List.of(List.of(0L, 0L, 7L, 0L)), columns(t, 0));
    assertEquals(10.0, t.series().getFirst().columns().getFirst().seconds());
  }

  @Test
  void aCountThatWentDownStartsAgainFromZero() {
    HistTimeline t = new HistTimeline("@h");
    t.observe(1, hist(5, 5));
    t.observe(2, hist(1, 6));
    assertEquals(List.of(List.of(5L, 5L, 0L, 0L), List.of(1L, 6L, 0L, 0L)), columns(t, 0));
  }

  @Test
  void eachKeyIsASeriesWithEveryColumn() {
    HistTimeline t = new HistTimeline("@h");
    t.observe(1, keyed("sda", 0, 1));
    t.observe(2, MapDump.keyed("@h", List.of(MapDump.entry(Value.str("sda"), new Value.Hist(0, Arrays.copyOf(new long[] {0, 1}, 66))),
        MapDump.entry(Value.str("vdb"), new Value.Hist(0, Arrays.copyOf(new long[] {0, 0, 0, 9}, 66))))));
    assertEquals(2, t.series().size());
    assertEquals("@h[sda]", t.series().get(0).name());
    assertEquals("@h[vdb]", t.series().get(1).name());
    assertEquals(List.of(List.of(0L, 1L, 0L, 0L), List.of(0L, 0L, 0L, 0L)), columns(t, 0));
    assertEquals(List.of(List.of(0L, 0L, 0L, 0L), List.of(0L, 0L, 0L, 9L)), columns(t, 1));
  }

  @Test
  void onlyHistogramsMakeHeatMaps() {
    HistTimeline t = new HistTimeline("@c");
    var e = assertThrows(IllegalArgumentException.class, () -> t.observe(1, MapDump.single("@c", new Value.Count(3))));
    assertEquals("map @c holds COUNT values; a heat map needs hist() or lhist()", e.getMessage());
  }
}
