package jbpf.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  EventDispatcher(CompiledScript script, Output out, ValueDecoder decoder, MapReader reader, Map<String, BpfMap> maps) {
    this.events = script.typed().events();
    this.out = out;
    this.decoder = decoder;
    this.reader = reader;
    this.maps = maps;
    this.printfs = new PrintfFormat[events.size()];
    for (AsyncEvent e : events) if (e instanceof AsyncEvent.Printf p) printfs[p.id()] = PrintfFormat.parse(p.format());
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
        out.map(reader.read(pm.map(), maps.get(pm.map().specName())), top, div);
      }
      case AsyncEvent.ClearMap c -> reader.clear(c.map(), maps.get(c.map().specName()), c.zero());
      case AsyncEvent.DeleteKey d -> reader.deleteKey(d.map(), maps.get(d.map().specName()),
          decoder.keyValues(d.map().key(), rec, 8, d.map().multiKey()));
      case AsyncEvent.PrintValue pv -> out.value(decoder.decode(payload.elements().getFirst(), rec, 8));
      case AsyncEvent.Exit e -> { return new Outcome.Exit((int) rec.get(U64, 8)); }
      case AsyncEvent.Time t -> out.time(Strftime.time(t.format(), Instant.now(), ZoneId.systemDefault()).orElse(Strftime.UNAVAILABLE));
    }
    return CONTINUE;
  }

  private List<Value> args(Type.Tuple payload, MemorySegment rec) {
    List<Value> values = new ArrayList<>(payload.elements().size());
    List<Integer> offs = payload.offsets();
    for (int i = 0; i < payload.elements().size(); i++) values.add(decoder.decode(payload.elements().get(i), rec, 8 + offs.get(i)));
    return values;
  }
}
