package jbpf.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.types.Type;
import jbpf.map.BpfMap;
import jbpf.output.Output;
import jbpf.output.PrintfFormat;
import jbpf.output.Strftime;
import jbpf.output.Value;

/** Carries out the asynchronous events programs send through the ring buffer, in the order they arrive. */
final class EventDispatcher {
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

  /** What the loop should do after an event. */
  sealed interface Outcome {
    record Continue() implements Outcome {}

    record Exit(int code) implements Outcome {}
  }

  private static final Outcome CONTINUE = new Outcome.Continue();

  private final List<AsyncEvent> events;
  private final Output out;
  private final ValueDecoder decoder;
  private final MapReader reader;
  private final Map<String, BpfMap> maps;
  private final PrintfFormat[] printfs;
  private final PrintStream err;
  private final LongConsumer unwatch;

  /** The most bytes {@code cat()} prints of a file (bpftrace's {@code max_cat_bytes}). */
  static final int MAX_CAT_BYTES = 10240;

  EventDispatcher(CompiledScript script, Output out, ValueDecoder decoder, MapReader reader, Map<String, BpfMap> maps) {
    this(script, out, decoder, reader, maps, System.err, address -> {});
  }

  /**
   * @param err where {@code errorf()}, {@code warnf()} and failures of {@code cat()} print
   * @param unwatch detaches the watchpoints on an address, for {@code unwatch()}
   */
  EventDispatcher(CompiledScript script, Output out, ValueDecoder decoder, MapReader reader, Map<String, BpfMap> maps,
                  PrintStream err, LongConsumer unwatch) {
    this.events = script.typed().events();
    this.out = out;
    this.decoder = decoder;
    this.reader = reader;
    this.maps = maps;
    this.err = err;
    this.unwatch = unwatch;
    this.printfs = new PrintfFormat[events.size()];
    for (AsyncEvent e : events) {
      String format = switch (e) {
        case AsyncEvent.Printf p -> p.format();
        case AsyncEvent.SystemCommand c -> c.format();
        case AsyncEvent.Cat c -> c.format();
        case AsyncEvent.Message m -> m.format();
        default -> null;
      };
      if (format != null) printfs[e.id()] = PrintfFormat.parse(format);
    }
  }

  private MapListener listener;
  private java.util.function.LongSupplier clock;

  /** Shows {@code listener} the maps it wants as they are printed or cleared, at times given by {@code clock}. */
  void listen(MapListener listener, java.util.function.LongSupplier clock) {
    this.listener = listener;
    this.clock = clock;
  }

  /** Carries out the event in {@code rec}: a u64 event id, then its payload. */
  Outcome dispatch(MemorySegment rec) {
    int id = (int) rec.get(U64, 0);
    if (id < 0 || id >= events.size()) throw new IllegalStateException("event with unknown id " + id);
    AsyncEvent ev = events.get(id);
    Type.Tuple payload = ev.payload();
    switch (ev) {
      case AsyncEvent.Printf p -> out.printf(printfs[id], args(payload, rec));
      case AsyncEvent.PrintMap pm -> {
        long top = rec.get(U64, 8), div = rec.get(U64, 16);
        jbpf.output.MapDump dump = reader.read(pm.map(), maps.get(pm.map().specName()));
        out.map(dump, top, div);
        if (listener != null && listener.wants(pm.map())) listener.printed(pm.map(), dump, clock.getAsLong());
      }
      case AsyncEvent.ClearMap c -> {
        if (listener != null && listener.wants(c.map()))
          listener.clearing(c.map(), reader.read(c.map(), maps.get(c.map().specName())), clock.getAsLong());
        reader.clear(c.map(), maps.get(c.map().specName()), c.zero());
      }
      case AsyncEvent.DeleteKey d -> reader.deleteKey(d.map(), maps.get(d.map().specName()),
          decoder.keyValues(d.map().key(), rec, 8, d.map().multiKey()));
      case AsyncEvent.PrintValue pv -> out.value(decoder.decode(payload.elements().getFirst(), rec, 8));
      case AsyncEvent.Exit e -> { return new Outcome.Exit((int) rec.get(U64, 8)); }
      case AsyncEvent.Time t -> out.time(Strftime.time(t.format(), Instant.now(), ZoneId.systemDefault()).orElse(Strftime.UNAVAILABLE));
      case AsyncEvent.SystemCommand c -> {
        out.flush();
        out.system(run(printfs[id].format(args(payload, rec))));
      }
      case AsyncEvent.Cat c -> cat(printfs[id].format(args(payload, rec)));
      case AsyncEvent.Join j -> {
        Value.Tuple strings = (Value.Tuple) decoder.decode(payload.elements().getFirst(), rec, 8);
        out.join(strings.elements(), j.delimiter());
      }
      case AsyncEvent.Message m -> {
        out.flush();
        err.println(m.location() + ": " + (m.error() ? "ERROR: " : "WARNING: ") + printfs[id].format(args(payload, rec)));
      }
      case AsyncEvent.Unwatch u -> unwatch.accept(rec.get(U64, 8));
    }
    return CONTINUE;
  }

  /** {@return what {@code /bin/sh -c command} writes to standard output; its errors go to ours, as with popen(3)} */
  private byte[] run(String command) {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] output;
      try (InputStream in = p.getInputStream()) {
        output = in.readAllBytes();
      }
      p.waitFor();
      return output;
    } catch (IOException e) {
      err.println("ERROR: failed to run '" + command + "': " + e.getMessage());
      return new byte[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new byte[0];
    }
  }

  /** Prints the start of file {@code name}, or bpftrace's error when it cannot be read. */
  private void cat(String name) {
    byte[] contents;
    try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(name))) {
      contents = in.readNBytes(MAX_CAT_BYTES);
    } catch (IOException | java.nio.file.InvalidPathException e) {
      out.flush();
      err.println("ERROR: failed to open file '" + name + "': " + strerror(e));
      return;
    }
    out.cat(contents);
  }

  /** {@return the C library's words for the error behind {@code e}} */
  static String strerror(Exception e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException x -> "No such file or directory";
      case java.nio.file.AccessDeniedException x -> "Permission denied";
      case java.nio.file.NotDirectoryException x -> "Not a directory";
      case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason();
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }

  private List<Value> args(Type.Tuple payload, MemorySegment rec) {
    List<Value> values = new ArrayList<>(payload.elements().size());
    List<Integer> offs = payload.offsets();
    for (int i = 0; i < payload.elements().size(); i++) values.add(decoder.decode(payload.elements().get(i), rec, 8 + offs.get(i)));
    return values;
  }
}
