package jbpf.output;

import java.util.List;
import java.util.Objects;

/**
 * The contents of one bpftrace map, read by the runtime for {@code print(@m)} or at exit: its name, what kind of
 * values it holds, whether it has keys, and its entries in the order the kernel returned them (the formatter
 * sorts them as bpftrace does).
 *
 * @param name the map's name with its {@code @}, e.g. {@code @} or {@code @bytes}
 * @param kind the kind of its values; an empty map still prints according to it
 * @param keyed whether the map is indexed ({@code @x[k] = ...}) rather than a single value ({@code @x = ...})
 * @param entries one entry per key; at most one, with an empty key, when not keyed
 */
public record MapDump(String name, Kind kind, boolean keyed, List<Entry> entries) {

  /** The kinds of map values, which decide how bpftrace sorts and lays out a map. */
  public enum Kind {
    COUNT, SUM, MIN, MAX, AVG, STATS, HIST, LHIST,
    /** Anything assigned directly: integers, strings, tuples, stacks, symbols... */
    VALUE;

    /** {@return the kind of map that holds {@code v}} */
    public static Kind of(Value v) {
      return switch (v) {
        case Value.Count _ -> COUNT;
        case Value.Sum _ -> SUM;
        case Value.Min _ -> MIN;
        case Value.Max _ -> MAX;
        case Value.Avg _ -> AVG;
        case Value.Stats _ -> STATS;
        case Value.Hist _ -> HIST;
        case Value.Lhist _ -> LHIST;
        case Value.Int _, Value.Ptr _, Value.Str _, Value.Buf _, Value.Tuple _, Value.Array _, Value.Record _,
             Value.Stack _, Value.Sym _, Value.Inet _, Value.Bool _ -> VALUE;
      };
    }
  }

  /** One key and its value; the key has one element per index expression ({@code @x[a, b]} has two). */
  public record Entry(List<Value> key, Value value) {
    public Entry {
      key = List.copyOf(key);
      Objects.requireNonNull(value);
    }
  }

  public MapDump {
    Objects.requireNonNull(name);
    Objects.requireNonNull(kind);
    if (!name.startsWith("@")) throw new IllegalArgumentException("map name must start with @: " + name);
    entries = List.copyOf(entries);
    if (!keyed && entries.size() > 1) {
      throw new IllegalArgumentException("map " + name + " has no keys but " + entries.size() + " entries");
    }
    for (Entry e : entries) {
      if (keyed == e.key().isEmpty()) {
        throw new IllegalArgumentException("map " + name + (keyed ? " is keyed but an entry has no key" : " has no keys but an entry has one"));
      }
      if (Kind.of(e.value()) != kind) {
        throw new IllegalArgumentException("map " + name + " holds " + kind + " values but an entry holds " + e.value());
      }
    }
  }

  /** {@return a map without keys holding {@code value}} */
  public static MapDump single(String name, Value value) {
    return new MapDump(name, Kind.of(value), false, List.of(new Entry(List.of(), value)));
  }

  /** {@return an empty map of the given kind} */
  public static MapDump empty(String name, Kind kind, boolean keyed) {
    return new MapDump(name, kind, keyed, List.of());
  }

  /** {@return a keyed map; its kind is that of the first entry, so {@code entries} must not be empty} */
  public static MapDump keyed(String name, List<Entry> entries) {
    if (entries.isEmpty()) throw new IllegalArgumentException("map " + name + ": use MapDump.empty for an empty map");
    return new MapDump(name, Kind.of(entries.getFirst().value()), true, entries);
  }

  /** {@return an entry} */
  public static Entry entry(List<Value> key, Value value) { return new Entry(key, value); }

  /** {@return an entry with a single-element key} */
  public static Entry entry(Value key, Value value) { return new Entry(List.of(key), value); }
}
