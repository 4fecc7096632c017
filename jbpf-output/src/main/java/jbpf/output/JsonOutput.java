package jbpf.output;

import java.io.OutputStream;
import java.util.List;
import jbpf.output.MapDump.Entry;
import jbpf.output.ValueFormat.Place;

/**
 * bpftrace's {@code -f json} output: one object per line, {@code {"type": "...", "data": ...}}, with bpftrace's
 * spacing. Unlike bpftrace 0.17 it always writes valid JSON: text that is not UTF-8 is escaped byte by byte, and
 * {@code strftime()} values are quoted.
 */
public final class JsonOutput extends Output {
  JsonOutput(OutputStream out) { super(out); }

  private void start(String type) { buf.put("{\"type\": \"").put(type).put("\", \"data\": "); }

  private void end() {
    buf.put("}\n");
    emit();
  }

  /** Writes {"type": type, "data": "<bytes [from, to) of scratch>"} and clears scratch. */
  private void message(String type) {
    start(type);
    ValueFormat.jsonString(buf, scratch, 0, scratch.length());
    scratch.clear();
    end();
  }

  @Override public void attachedProbes(long count) {
    start("attached_probes");
    buf.put("{\"probes\": ").decimal(count).put((byte) '}');
    end();
  }

  @Override public void printf(PrintfFormat format, List<Value> args) {
    scratch.clear();
    format.format(scratch, args);
    message("printf");
  }

  @Override public void time(String formatted) {
    scratch.clear().put(formatted);
    message("time");
  }

  @Override public void join(List<Value> elements, String delimiter) {
    scratch.clear();
    boolean first = true;
    for (Value v : joined(elements)) {
      if (!first) scratch.put(delimiter);
      first = false;
      ValueFormat.text(scratch, v, Place.VALUE);
    }
    message("join");
  }

  @Override public void system(byte[] output) {
    scratch.clear().put(output);
    message("syscall");
  }

  @Override public void cat(byte[] contents) {
    scratch.clear().put(contents);
    message("cat");
  }

  @Override public void value(Value value) {
    start("value");
    scratch.clear();
    ValueFormat.json(buf, value, scratch);
    end();
  }

  @Override void printMap(MapDump map, long top, long div) {
    List<Entry> entries = MapFormat.select(map, top);
    if (entries.isEmpty()) return;
    start(switch (map.kind()) {
      case HIST, LHIST -> "hist";
      case AVG, STATS -> "stats";
      case COUNT, SUM, MIN, MAX, VALUE -> "map";
    });
    buf.put((byte) '{');
    scratch.clear().put(map.name());
    ValueFormat.jsonString(buf, scratch, 0, scratch.length());
    buf.put(": ");
    if (map.keyed()) buf.put((byte) '{');
    boolean first = true;
    for (Entry e : entries) {
      if (!first) buf.put(", ");
      first = false;
      if (map.keyed()) {
        scratch.clear();
        boolean firstKey = true;
        for (Value k : e.key()) {
          if (!firstKey) scratch.put((byte) ',');
          firstKey = false;
          ValueFormat.text(scratch, k, Place.KEY);
        }
        ValueFormat.jsonString(buf, scratch, 0, scratch.length());
        buf.put(": ");
      }
      scratch.clear();
      switch (e.value()) {
        case Value.Hist h -> HistFormat.json(buf, h, div);
        case Value.Avg a -> buf.decimal(a.average() / div);
        default -> ValueFormat.json(buf, MapFormat.divide(e.value(), div), scratch);
      }
    }
    if (map.keyed()) buf.put((byte) '}');
    buf.put((byte) '}');
    end();
  }

  @Override public void helperError(String helper, int retcode, SourceLocation where) {
    buf.put("{\"type\": \"helper_error\", \"helper\": ");
    scratch.clear().put(helper);
    ValueFormat.jsonString(buf, scratch, 0, scratch.length());
    buf.put(", \"retcode\": ").decimal(retcode).put(", \"line\": ").decimal(where.line()).put(", \"col\": ")
        .decimal(where.column()).put("}\n");
    emit();
  }

  @Override public void mapUpdateFailed(int retcode, SourceLocation where) {
    buf.put("{\"type\": \"helper_error\", \"msg\": ");
    scratch.clear().put(mapUpdateMessage(retcode));
    ValueFormat.jsonString(buf, scratch, 0, scratch.length());
    buf.put(", \"helper\": \"map_update_elem\", \"retcode\": ").decimal(retcode).put(", \"line\": ").decimal(where.line())
        .put(", \"col\": ").decimal(where.column()).put("}\n");
    emit();
  }

  @Override public void lostEvents(long count) {
    start("lost_events");
    buf.put("{\"events\": ").unsignedDecimal(count).put((byte) '}');
    end();
  }
}
