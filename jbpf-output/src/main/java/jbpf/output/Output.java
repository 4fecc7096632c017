package jbpf.output;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import jbpf.output.internal.ByteBuf;

/**
 * Everything a bpftrace script prints on standard output, as bpftrace 0.17 prints it: text by default
 * ({@link #text}), or one JSON object per line for {@code -f json} ({@link #json}).
 *
 * <p>Each call writes one complete message to the stream with a single {@code write}; the caller decides when to
 * {@link #flush()}. An instance is not thread-safe. I/O errors surface as {@link UncheckedIOException}.
 */
public abstract sealed class Output implements Flushable permits TextOutput, JsonOutput {
  private final OutputStream out;
  final ByteBuf buf = new ByteBuf(1024);
  final ByteBuf scratch = new ByteBuf(256);

  private OutputStream exitSeparator;

  Output(OutputStream out) { this.out = Objects.requireNonNull(out); }

  /** The delimiter of {@code join(array)} without a second argument. */
  public static final String JOIN_DELIMITER = " ";
  /**
   * Sends the two line breaks that {@link #exit} writes before the maps to {@code console} instead of this output:
   * bpftrace 0.17 writes them to standard output even when {@code -o FILE} sends everything else to the file.
   */
  public final void exitSeparatorTo(OutputStream console) { this.exitSeparator = Objects.requireNonNull(console); }

  /** {@return output in bpftrace's text format, written to {@code out}} */
  public static Output text(OutputStream out) { return new TextOutput(out); }

  /** {@return output in bpftrace's JSON format ({@code -f json}), written to {@code out}} */
  public static Output json(OutputStream out) { return new JsonOutput(out); }

  /** Reports how many probes are being attached: {@code Attaching 3 probes...}. */
  public abstract void attachedProbes(long count);

  /** Prints what {@code printf(format, args...)} formats. */
  public abstract void printf(PrintfFormat format, List<Value> args);

  /** Prints the output of {@code time()}, already formatted (see {@link Strftime#time}). */
  public abstract void time(String formatted);

  /**
   * Prints {@code join(array, delimiter)}: the strings up to the first empty one (which marks the end of the
   * array), separated by {@code delimiter} (bpftrace's default is a space).
   */
  public abstract void join(List<Value> elements, String delimiter);

  /** Prints what a command run by {@code system()} wrote. */
  public abstract void system(byte[] output);

  /** Prints the file contents that {@code cat()} read. */
  public abstract void cat(byte[] contents);

  /** Prints a non-map value for {@code print(expr)}. */
  public abstract void value(Value value);

  /** Prints a map for {@code print(@m)}. */
  public final void map(MapDump map) { map(map, 0, 0); }

  /**
   * Prints a map for {@code print(@m, top, div)}: only its {@code top} largest entries (all if 0), values divided by
   * {@code div} (0 means 1). Both are C {@code uint32_t} in bpftrace.
   */
  public final void map(MapDump map, long top, long div) {
    if (top < 0 || top > 0xffff_ffffL) throw new IllegalArgumentException("print() top out of range: " + top);
    if (div < 0 || div > 0xffff_ffffL) throw new IllegalArgumentException("print() div out of range: " + div);
    printMap(map, top, div == 0 ? 1 : div);
  }

  abstract void printMap(MapDump map, long top, long div);

  /**
   * Prints what bpftrace prints when the script ends: two line breaks (in JSON too), then every map, in order of
   * name, as {@code print()} shows it.
   */
  public final void exit(List<MapDump> maps) {
    buf.clear().put("\n\n");
    if (exitSeparator != null) {
      buf.writeTo(exitSeparator);
      buf.clear();
      try {
        exitSeparator.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("flush output: " + e.getMessage(), e);
      }
    } else {
      emit();
    }
    List<MapDump> sorted = new ArrayList<>(maps);
    sorted.sort((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
        b.name().getBytes(StandardCharsets.UTF_8)));
    for (MapDump m : sorted) map(m, 0, 0);
  }

  /** Reports events the kernel dropped because the buffer was full. */
  public abstract void lostEvents(long count);

  /**
   * Reports that a BPF helper failed (bpftrace's {@code -k}): the helper's name without {@code bpf_}, e.g.
   * {@code map_update_elem}, what it returned, and where the script called it.
   */
  public abstract void helperError(String helper, int retcode, SourceLocation where);

  /** {@return bpftrace's message for a failed helper: {@code Failed to map_update_elem: Argument list too long (-7)}} */
  static String helperErrorMessage(String helper, int retcode) {
    return "Failed to " + helper + ": " + (retcode < 0 ? Strerror.of(-retcode) + " (" + retcode + ")" : retcode);
  }

  /**
   * Reports that a program could not update a map, as later bpftrace reports it (without {@code -k}): for a full
   * map ({@code retcode} -E2BIG) {@code Map full; can't update element. Try increasing max_map_keys config}.
   *
   * @param retcode what {@code bpf_map_update_elem} returned, a negative errno
   * @param where the update in the script
   */
  public abstract void mapUpdateFailed(int retcode, SourceLocation where);

  /** {@return the message for a failed map update} */
  static String mapUpdateMessage(int retcode) {
    if (retcode == -7) return "Map full; can't update element. Try increasing max_map_keys config";
    return Strerror.of(-retcode);
  }

  /** Writes the assembled message. */
  final void emit() {
    buf.writeTo(out);
    buf.clear();
  }

  @Override public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("flush output: " + e.getMessage(), e);
    }
  }

  /** {@return the strings of a {@code join()} array up to the first empty one} */
  static List<Value> joined(List<Value> elements) {
    List<Value> used = new ArrayList<>();
    for (Value v : elements) {
      if (v instanceof Value.Str s && s.raw().length == 0) break;
      used.add(v);
    }
    return used;
  }
}
