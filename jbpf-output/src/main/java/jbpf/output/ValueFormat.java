package jbpf.output;

import java.util.List;
import jbpf.output.internal.ByteBuf;
import jbpf.output.internal.Json;

/** Renders single values as bpftrace's text and JSON show them. */
final class ValueFormat {
  private ValueFormat() {}

  /** Where a value is printed: map keys show stacks with less indentation and pointers in hex. */
  enum Place {
    VALUE(8), KEY(4);

    final int stackIndent;

    Place(int stackIndent) { this.stackIndent = stackIndent; }
  }

  /** Appends the text form of {@code v}. */
  static void text(ByteBuf out, Value v, Place place) {
    switch (v) {
      // As a map key, bpftrace 0.17 reads every 8-byte integer as signed: @x[(uint64)-1] prints @x[-1].
      case Value.Int i -> integer(out, i.value(), i.signed() || place == Place.KEY && i.size() == 8);
      case Value.Ptr p -> {
        if (place == Place.KEY) out.put((byte) '0').put((byte) 'x').radix(p.address(), 4, false);
        else out.decimal(p.address());
      }
      case Value.Str s -> out.put(s.raw());
      case Value.Buf b -> escapedBuffer(out, b.raw());
      case Value.Tuple t -> {
        out.put((byte) '(');
        join(out, t.elements(), ", ", place);
        out.put((byte) ')');
      }
      case Value.Array a -> {
        out.put((byte) '[');
        join(out, a.elements(), ",", place);
        out.put((byte) ']');
      }
      case Value.Record r -> {
        out.put("{ ");
        boolean first = true;
        for (Value.Field f : r.fields()) {
          if (!first) out.put(", ");
          first = false;
          out.put((byte) '.').put(f.name()).put(" = ");
          text(out, f.value(), place);
        }
        out.put(" }");
      }
      case Value.Stack s -> stack(out, s, place.stackIndent);
      case Value.Sym s -> out.put(s.text());
      case Value.Inet i -> out.put(i.text());
      case Value.Bool b -> out.put(b.value() ? "true" : "false");
      case Value.Count c -> out.unsignedDecimal(c.value());
      case Value.Sum s -> integer(out, s.value(), s.signed());
      case Value.Min m -> integer(out, m.value(), m.signed());
      case Value.Max m -> integer(out, m.value(), m.signed());
      case Value.Avg a -> out.decimal(a.average());
      case Value.Stats s -> stats(out, s.count(), s.average(), s.total());
      case Value.Hist h -> HistFormat.text(out, h, 1);
      case Value.Lhist l -> HistFormat.text(out, l);
    }
  }

  static void integer(ByteBuf out, long value, boolean signed) {
    if (signed) out.decimal(value);
    else out.unsignedDecimal(value);
  }

  static void stats(ByteBuf out, long count, long average, long total) {
    out.put("count ").decimal(count).put(", average ").decimal(average).put(", total ").decimal(total);
  }

  private static void join(ByteBuf out, List<Value> values, String separator, Place place) {
    boolean first = true;
    for (Value e : values) {
      if (!first) out.put(separator);
      first = false;
      text(out, e, place);
    }
  }

  /** Appends a stack: a line break, then one line per frame. */
  static void stack(ByteBuf out, Value.Stack s, int indent) {
    out.put((byte) '\n');
    for (Value.Frame f : s.frames()) {
      switch (s.mode()) {
        case BPFTRACE -> out.repeat((byte) ' ', indent).put(f.symbol());
        case PERF -> out.put((byte) '\t').radix(f.address(), 4, false).put((byte) ' ').put(f.symbol());
        case RAW -> out.radix(f.address(), 4, false);
      }
      out.put((byte) '\n');
    }
  }

  /** Appends a buffer as {@code buf()} prints it: printable ASCII as is, other bytes as {@code \xNN}. */
  static void escapedBuffer(ByteBuf out, byte[] b) {
    for (byte x : b) {
      if (x >= 32 && x <= 126) out.put(x);
      else out.put((byte) '\\').put((byte) 'x').hex2(x);
    }
  }

  /** Appends a buffer as {@code %rx} prints it: every byte as {@code \xNN}. */
  static void hexEscapedBuffer(ByteBuf out, byte[] b) {
    for (byte x : b) out.put((byte) '\\').put((byte) 'x').hex2(x);
  }

  /** Appends a buffer as {@code %rh} prints it: hex byte pairs separated by spaces. */
  static void hexBuffer(ByteBuf out, byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (i > 0) out.put((byte) ' ');
      out.hex2(b[i]);
    }
  }

  /** {@return whether JSON shows this value as a string} */
  static boolean quotedInJson(Value v) {
    return v instanceof Value.Str || v instanceof Value.Buf || v instanceof Value.Stack || v instanceof Value.Sym
        || v instanceof Value.Inet;
  }

  /** Appends the JSON form of {@code v}; {@code scratch} is working space. */
  static void json(ByteBuf out, Value v, ByteBuf scratch) {
    switch (v) {
      case Value.Int i -> integer(out, i.value(), i.signed());
      case Value.Ptr p -> out.decimal(p.address());
      case Value.Str s -> quoted(out, v, scratch);
      case Value.Buf b -> quoted(out, v, scratch);
      case Value.Stack s -> quoted(out, v, scratch);
      case Value.Sym s -> quoted(out, v, scratch);
      case Value.Inet i -> quoted(out, v, scratch);
      case Value.Tuple t -> jsonArray(out, t.elements(), scratch);
      case Value.Array a -> jsonArray(out, a.elements(), scratch);
      case Value.Record r -> {
        out.put("{ ");
        boolean first = true;
        for (Value.Field f : r.fields()) {
          if (!first) out.put(", ");
          first = false;
          out.put((byte) '"').put(f.name()).put("\": ");
          json(out, f.value(), scratch);
        }
        out.put(" }");
      }
      case Value.Bool b -> out.put(b.value() ? "true" : "false");
      case Value.Count c -> out.unsignedDecimal(c.value());
      case Value.Sum s -> integer(out, s.value(), s.signed());
      case Value.Min m -> integer(out, m.value(), m.signed());
      case Value.Max m -> integer(out, m.value(), m.signed());
      case Value.Avg a -> out.decimal(a.average());
      case Value.Stats s -> jsonStats(out, s.count(), s.average(), s.total());
      case Value.Hist h -> HistFormat.json(out, h, 1);
      case Value.Lhist l -> HistFormat.json(out, l);
    }
  }

  static void jsonStats(ByteBuf out, long count, long average, long total) {
    out.put("{\"count\": ").decimal(count).put(", \"average\": ").decimal(average).put(", \"total\": ").decimal(total)
        .put((byte) '}');
  }

  private static void jsonArray(ByteBuf out, List<Value> values, ByteBuf scratch) {
    out.put((byte) '[');
    boolean first = true;
    for (Value e : values) {
      if (!first) out.put((byte) ',');
      first = false;
      json(out, e, scratch);
    }
    out.put((byte) ']');
  }

  private static void quoted(ByteBuf out, Value v, ByteBuf scratch) {
    int mark = scratch.length();
    text(scratch, v, Place.VALUE);
    out.put((byte) '"');
    Json.escape(out, scratch, mark, scratch.length());
    out.put((byte) '"');
    scratch.setLength(mark);
  }

  /** Appends {@code bytes[from, to)} of {@code src} as a quoted JSON string. */
  static void jsonString(ByteBuf out, ByteBuf src, int from, int to) {
    out.put((byte) '"');
    Json.escape(out, src, from, to);
    out.put((byte) '"');
  }
}
