package jbpf.output;

import java.io.OutputStream;
import java.util.List;
import jbpf.output.MapDump.Entry;
import jbpf.output.ValueFormat.Place;

/** bpftrace's text output. */
public final class TextOutput extends Output {
  TextOutput(OutputStream out) { super(out); }

  @Override public void attachedProbes(long count) {
    buf.put("Attaching ").decimal(count).put(count == 1 ? " probe...\n" : " probes...\n");
    emit();
  }

  @Override public void printf(PrintfFormat format, List<Value> args) {
    format.format(buf, args);
    emit();
  }

  @Override public void time(String formatted) {
    buf.put(formatted);
    emit();
  }

  @Override public void join(List<Value> elements, String delimiter) {
    boolean first = true;
    for (Value v : joined(elements)) {
      if (!first) buf.put(delimiter);
      first = false;
      ValueFormat.text(buf, v, Place.VALUE);
    }
    buf.put((byte) '\n');
    emit();
  }

  @Override public void system(byte[] output) {
    buf.put(output);
    emit();
  }

  @Override public void cat(byte[] contents) {
    buf.put(contents);
    emit();
  }

  @Override public void value(Value value) {
    ValueFormat.text(buf, value, Place.VALUE);
    buf.put((byte) '\n');
    emit();
  }

  @Override void printMap(MapDump map, long top, long div) {
    List<Entry> entries = MapFormat.select(map, top);
    switch (map.kind()) {
      case HIST, LHIST -> {
        // "@h[k]: \n" and the art, entries separated by a line break, and one more after the map.
        boolean first = true;
        for (Entry e : entries) {
          if (!first) buf.put((byte) '\n');
          first = false;
          key(map, e);
          buf.put(": \n");
          if (e.value() instanceof Value.Hist h) HistFormat.text(buf, h, div);
          else HistFormat.text(buf, (Value.Lhist) e.value());
        }
        buf.put((byte) '\n');
      }
      case AVG, STATS -> {
        boolean first = true;
        for (Entry e : entries) {
          if (!first) buf.put((byte) '\n');
          first = false;
          key(map, e);
          buf.put(": ");
          switch (e.value()) {
            case Value.Stats s -> ValueFormat.stats(buf, s.count(), s.average(), s.total());
            case Value.Avg a -> buf.decimal(a.average() / div);
            default -> throw new IllegalStateException("not avg or stats: " + e.value());
          }
        }
        buf.put("\n\n");
      }
      case COUNT, SUM, MIN, MAX, VALUE -> {
        boolean first = true;
        for (Entry e : entries) {
          // bpftrace 0.17 separates entries with nothing when they hold stacks (which end in a line break),
          // symbols or addresses.
          if (!first && !MapFormat.unseparated(e.value())) buf.put((byte) '\n');
          first = false;
          key(map, e);
          buf.put(": ");
          ValueFormat.text(buf, MapFormat.divide(e.value(), div), Place.VALUE);
        }
        buf.put((byte) '\n');
      }
    }
    emit();
  }

  /** Appends {@code @name} or {@code @name[k1, k2]}. */
  private void key(MapDump map, Entry e) {
    buf.put(map.name());
    if (!map.keyed()) return;
    buf.put((byte) '[');
    boolean first = true;
    for (Value k : e.key()) {
      if (!first) buf.put(", ");
      first = false;
      ValueFormat.text(buf, k, Place.KEY);
    }
    buf.put((byte) ']');
  }

  @Override public void helperError(String helper, int retcode, SourceLocation where) {
    buf.put(where.text()).put(": WARNING: ").put(helperErrorMessage(helper, retcode)).put((byte) '\n').put(where.excerpt());
    emit();
  }

  @Override public void mapUpdateFailed(int retcode, SourceLocation where) {
    buf.put(where.text()).put(": WARNING: ").put(mapUpdateMessage(retcode)).put("\nAdditional Info - helper: map_update_elem, retcode: ")
        .decimal(retcode).put((byte) '\n').put(where.excerpt());
    emit();
  }

  @Override public void lostEvents(long count) {
    buf.put("Lost ").unsignedDecimal(count).put(" events\n");
    emit();
  }
}
