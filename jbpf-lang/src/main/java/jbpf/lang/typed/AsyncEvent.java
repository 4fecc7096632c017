package jbpf.lang.typed;

import java.util.List;
import jbpf.lang.types.Type;

/**
 * An action a program asks userspace to carry out, identified in each ring-buffer record by its
 * {@link #id()}: the record is a u64 id followed by {@link #payload()}.
 */
public sealed interface AsyncEvent {
  /** {@return the number written at the start of each record} */
  int id();

  /** {@return the layout of the values after the id} */
  Type.Tuple payload();

  /** {@code printf(format, args...)}; {@code payload} holds the argument values in order. */
  record Printf(int id, String format, Type.Tuple payload) implements AsyncEvent {}

  /** {@code print(@map)}, {@code print(@map, top, div)}: payload {@code (top, div)}. */
  record PrintMap(int id, MapInfo map, Type.Tuple payload) implements AsyncEvent {}

  /** {@code clear(@map)} or, when {@code zero}, {@code zero(@map)}: done by userspace, in order with output. */
  record ClearMap(int id, MapInfo map, boolean zero, Type.Tuple payload) implements AsyncEvent {}

  /**
   * {@code delete(@map[key])} of a hist or lhist map, whose key is spread over one entry per bucket: userspace
   * removes every bucket of the key. Payload {@code (key)}.
   */
  record DeleteKey(int id, MapInfo map, Type.Tuple payload) implements AsyncEvent {}

  /** {@code print(value)} of a non-map value. */
  record PrintValue(int id, Type.Tuple payload) implements AsyncEvent {}

  /** {@code exit()}: payload {@code (code)}. */
  record Exit(int id, Type.Tuple payload) implements AsyncEvent {}

  /** {@code time(format)}. */
  record Time(int id, String format, Type.Tuple payload) implements AsyncEvent {}

  /** {@code system(format, args...)}: runs the formatted command and prints its output. */
  record SystemCommand(int id, String format, Type.Tuple payload) implements AsyncEvent {}

  /** {@code cat(format, args...)}: prints the file whose name is formatted. */
  record Cat(int id, String format, Type.Tuple payload) implements AsyncEvent {}

  /** {@code join(array[, delimiter])}: payload {@code ((string, string...))}, the array's strings up to the first empty one. */
  record Join(int id, String delimiter, Type.Tuple payload) implements AsyncEvent {}

  /**
   * {@code errorf()} or {@code warnf()}: a formatted message on standard error, prefixed like a diagnostic of
   * the script at {@code location} ({@code stdin:1:9-62}).
   */
  record Message(int id, boolean error, String location, String format, Type.Tuple payload) implements AsyncEvent {}

  /** {@code unwatch(addr)}: payload {@code (addr)}; detaches the watchpoints on that address. */
  record Unwatch(int id, Type.Tuple payload) implements AsyncEvent {}

  /** The events of a script, indexed by id. */
  record Table(List<AsyncEvent> events) {
    public Table { events = List.copyOf(events); }
  }
}
