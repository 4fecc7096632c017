package jbpf.runtime;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;
import jbpf.output.MapDump;
import jbpf.output.picture.FlameFrame;
import jbpf.output.picture.FlameGraph;
import jbpf.output.picture.FoldedStacks;
import jbpf.output.picture.HeatMap;
import jbpf.output.picture.HistTimeline;

/**
 * The pictures a run draws from its maps ({@code --flamegraph}, {@code --folded}, {@code --heatmap}), written when
 * it ends.
 *
 * <p>A flame graph adds up every map keyed by a stack ({@code kstack}, {@code ustack}, possibly with other keys)
 * whose values are {@code count()}s, {@code sum()}s or integers: its contents at the end, plus whatever
 * {@code clear()} dropped on the way, so a script that prints and clears every second loses nothing. Several such
 * maps are drawn side by side under their names.
 *
 * <p>A heat map has a panel per {@code hist()}/{@code lhist()} map (and per key): one column per {@code print()} of
 * the map while tracing, or, for a map that is printed only at the end, one column per second, read by the tracer.
 */
public final class Pictures implements MapListener {
  /**
   * Where to write what; a null path asks for nothing.
   *
   * @param flameGraph the flame graph SVG
   * @param folded the stacks as folded text
   * @param heatMap the heat map SVG
   * @param subtitle a line under each picture's title, naming what was traced
   */
  public record Request(Path flameGraph, Path folded, Path heatMap, String subtitle) {
    /** {@return whether any picture is asked for} */
    public boolean any() { return flameGraph != null || folded != null || heatMap != null; }
  }

  /** One second between samples of the heat maps' histograms. */
  static final long SAMPLE_INTERVAL = 1_000_000_000L;

  private final Request request;
  private final Map<String, FoldedStacks> stacks = new LinkedHashMap<>();
  private final Map<String, AggKind> stackKinds = new LinkedHashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, HistTimeline> printed = new LinkedHashMap<>();
  private final Map<String, HistTimeline> sampled = new LinkedHashMap<>();
  private final Map<String, Boolean> printedWhileTracing = new LinkedHashMap<>();
  private boolean stopping;

  private Pictures(Request request) { this.request = request; }

  /**
   * {@return the pictures of {@code script} that {@code request} asks for}
   *
   * @throws IllegalArgumentException if the script has no map to draw a requested picture from, or a file cannot be
   *     written; the message says which and how to fix it
   */
  public static Pictures of(CompiledScript script, Request request) {
    Pictures p = new Pictures(request);
    for (MapInfo m : script.typed().maps()) {
      if (flameable(m)) {
        p.stacks.put(m.specName(), new FoldedStacks());
        p.stackKinds.put(m.specName(), m.agg());
        p.names.put(m.specName(), m.name());
      }
      if (m.agg() != null && m.agg().bucketed()) {
        p.printed.put(m.specName(), new HistTimeline(m.name()));
        p.sampled.put(m.specName(), new HistTimeline(m.name()));
        p.printedWhileTracing.put(m.specName(), false);
      }
    }
    if ((request.flameGraph() != null || request.folded() != null) && p.stacks.isEmpty()) {
      throw new IllegalArgumentException((request.flameGraph() != null ? "--flamegraph" : "--folded")
          + " needs a map keyed by kstack or ustack with count() or sum() values, e.g. @[kstack, comm] = count(); this script has none");
    }
    if (request.heatMap() != null && p.printed.isEmpty()) {
      throw new IllegalArgumentException("--heatmap needs a hist() or lhist() map, e.g. @usecs = hist($latency); this script has none");
    }
    for (Path f : new Path[] {request.flameGraph(), request.folded(), request.heatMap()}) if (f != null) checkWritable(f);
    return p;
  }

  /** {@return whether a flame graph can be drawn from {@code m}: a stack in its key, and counts for values} */
  static boolean flameable(MapInfo m) {
    boolean stackKey = m.key() instanceof Type.Stack
        || m.key() instanceof Type.Tuple t && t.elements().stream().anyMatch(e -> e instanceof Type.Stack);
    boolean counts = m.agg() == null ? m.value() instanceof Type.Int : m.agg() == AggKind.COUNT || m.agg() == AggKind.SUM;
    return stackKey && counts;
  }

  private static void checkWritable(Path f) {
    Path dir = f.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) throw new IllegalArgumentException("cannot write '" + f + "': no directory " + dir);
    if (Files.isDirectory(f)) throw new IllegalArgumentException("cannot write '" + f + "': it is a directory");
    if (Files.exists(f) ? !Files.isWritable(f) : dir != null && !Files.isWritable(dir))
      throw new IllegalArgumentException("cannot write '" + f + "': permission denied");
  }

  @Override public boolean wants(MapInfo map) {
    return stacks.containsKey(map.specName()) || printed.containsKey(map.specName());
  }

  @Override public boolean samples(MapInfo map) { return request.heatMap() != null && sampled.containsKey(map.specName()); }

  @Override public long sampleInterval() { return request.heatMap() != null ? SAMPLE_INTERVAL : 0; }

  @Override public void printed(MapInfo info, MapDump map, long nanos) {
    HistTimeline t = printed.get(info.specName());
    if (t == null) return;
    t.observe(nanos / 1e9, map);
    if (!stopping) printedWhileTracing.put(info.specName(), true);
  }

  @Override public void clearing(MapInfo info, MapDump map, long nanos) {
    FoldedStacks s = stacks.get(info.specName());
    if (s != null) s.add(map, null);
    HistTimeline t = printed.get(info.specName());
    if (t != null) {
      t.cleared(nanos / 1e9, map);
      sampled.get(info.specName()).cleared(nanos / 1e9, map);
    }
  }

  @Override public void sampled(MapInfo info, MapDump map, long nanos) {
    HistTimeline t = sampled.get(info.specName());
    if (t != null) t.observe(nanos / 1e9, map);
  }

  @Override public void stopping(long nanos) { stopping = true; }

  @Override public void ended(MapInfo info, MapDump map, long nanos) {
    FoldedStacks s = stacks.get(info.specName());
    if (s != null) s.add(map, null);
    HistTimeline t = printed.get(info.specName());
    if (t != null) {
      t.finish(nanos / 1e9, map);
      sampled.get(info.specName()).finish(nanos / 1e9, map);
    }
  }

  /** {@return every stack seen, under a frame naming its map when there are several maps} */
  public FoldedStacks stacks() {
    if (stacks.size() == 1) return stacks.values().iterator().next();
    FoldedStacks all = new FoldedStacks();
    stacks.forEach((spec, s) -> {
      for (var e : s.sorted()) {
        List<FlameFrame> path = new ArrayList<>();
        path.add(FlameFrame.of(names.get(spec), FlameFrame.Kind.KEY));
        path.addAll(e.getKey());
        all.add(path, e.getValue());
      }
    });
    return all;
  }

  /** {@return the heat map's series: each map's prints if it was printed while tracing, else its samples} */
  public List<HeatMap.Series> series() {
    List<HeatMap.Series> out = new ArrayList<>();
    printed.forEach((spec, t) -> out.addAll((printedWhileTracing.get(spec) ? t : sampled.get(spec)).series()));
    return out;
  }

  /** Writes the requested files. @throws IOException if one cannot be written */
  public void write() throws IOException {
    if (request.folded() != null) {
      try (Writer w = Files.newBufferedWriter(request.folded(), StandardCharsets.UTF_8)) {
        stacks().write(w);
      }
    }
    if (request.flameGraph() != null) {
      FlameGraph.Options o = FlameGraph.Options.DEFAULT.withSubtitle(request.subtitle()).withUnit(unit());
      try (Writer w = Files.newBufferedWriter(request.flameGraph(), StandardCharsets.UTF_8)) {
        FlameGraph.write(stacks(), o, w);
      }
    }
    if (request.heatMap() != null) {
      try (Writer w = Files.newBufferedWriter(request.heatMap(), StandardCharsets.UTF_8)) {
        HeatMap.write(series(), new HeatMap.Options("Heat Map", request.subtitle()), w);
      }
    }
  }

  /** {@return what a flame graph's counts are: samples for count(), the map's name for a sum()} */
  private String unit() {
    if (stackKinds.size() != 1 || stackKinds.values().iterator().next() != AggKind.SUM) return "samples";
    String name = names.values().iterator().next().substring(1);
    return name.isEmpty() ? "total" : name;
  }
}
