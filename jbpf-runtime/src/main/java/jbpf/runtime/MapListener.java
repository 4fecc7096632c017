package jbpf.runtime;

import jbpf.lang.typed.MapInfo;
import jbpf.output.MapDump;

/**
 * Sees the contents of some of a script's maps while a {@link Tracer} runs it, besides what the script prints: for
 * pictures drawn from maps ({@link Pictures}). Times are nanoseconds since {@link Tracer#run()} started. Every
 * call comes from the thread running the tracer.
 */
public interface MapListener {
  /** {@return whether to show {@code map} to this listener: its prints, the contents {@code clear()} drops, and the end} */
  boolean wants(MapInfo map);

  /** {@return whether the tracer should also read {@code map} every {@link #sampleInterval()} nanoseconds} */
  boolean samples(MapInfo map);

  /** {@return nanoseconds between samples of the maps {@link #samples} chose} */
  long sampleInterval();

  /** {@code print(@m)} printed {@code map}. */
  void printed(MapInfo info, MapDump map, long nanos);

  /** {@code clear(@m)} or {@code zero(@m)} is about to empty the map, which holds {@code map}. */
  void clearing(MapInfo info, MapDump map, long nanos);

  /** The tracer read the map for a sample. */
  void sampled(MapInfo info, MapDump map, long nanos);

  /** The probes were detached: what is printed from now on comes from {@code END}. */
  void stopping(long nanos);

  /** The map's contents when the script ended, after {@code END}. */
  void ended(MapInfo info, MapDump map, long nanos);
}
