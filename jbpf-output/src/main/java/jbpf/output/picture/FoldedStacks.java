package jbpf.output.picture;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jbpf.output.MapDump;
import jbpf.output.StackMode;
import jbpf.output.Value;

/**
 * A multiset of stacks, root first, with a count each: what a flame graph draws. Stacks come from maps keyed by
 * {@code kstack}/{@code ustack} ({@link #add(MapDump, FlameFrame)}) or from folded text ({@link #read}), the one-line
 * format of flamegraph.pl's {@code stackcollapse} scripts, which {@link #write} also produces:
 * <pre>
 * bash;main;read_line;__GI___libc_read;entry_SYSCALL_64_[k];do_syscall_64_[k];ksys_read_[k] 27
 * </pre>
 * Frames are separated by {@code ;}, the count follows the last space, kernel frames end in {@code _[k]} and JIT
 * frames in {@code _[j]}. Not thread-safe.
 */
public final class FoldedStacks {
  /** Folded text that cannot be read; the message names the line and says why. */
  public static final class FormatException extends Exception {
    FormatException(String message) { super(message); }
  }

  private static final Pattern OFFSET = Pattern.compile("\\+(?:0x[0-9a-fA-F]+|[0-9]+)$");
  private static final Pattern ADDRESS = Pattern.compile("^0x[0-9a-fA-F]+$");

  private final Map<List<FlameFrame>, long[]> counts = new HashMap<>();
  private long total;

  /** {@return the sum of all counts, those of empty stacks included} */
  public long total() { return total; }

  /** {@return the number of distinct stacks} */
  public int size() { return counts.size(); }

  /** {@return whether no sample was added} */
  public boolean isEmpty() { return total == 0; }

  /**
   * Adds {@code count} samples of the stack {@code rootFirst}; an empty stack counts towards the total only.
   * Counts saturate at {@link Long#MAX_VALUE}.
   */
  public void add(List<FlameFrame> rootFirst, long count) {
    if (count < 0) throw new IllegalArgumentException("negative stack count " + count);
    if (count == 0) return;
    long[] c = counts.computeIfAbsent(List.copyOf(rootFirst), k -> new long[1]);
    c[0] = saturatedAdd(c[0], count);
    total = saturatedAdd(total, count);
  }

  /** Adds every stack of {@code other}. */
  public void addAll(FoldedStacks other) {
    other.counts.forEach((k, v) -> add(k, v[0]));
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  /** {@return whether a flame graph can be drawn from a map whose values are of {@code kind}: counts or sums} */
  public static boolean countable(MapDump.Kind kind) {
    return kind == MapDump.Kind.COUNT || kind == MapDump.Kind.SUM || kind == MapDump.Kind.VALUE;
  }

  /**
   * Adds the entries of {@code map}, whose values are {@code count()}s, {@code sum()}s or integers, each counted
   * as that many samples (negative sums count nothing). An entry's path is {@code prefix} (if not null), then the
   * key's elements that are not stacks ({@code comm}, {@code pid}...) in key order, then its user stacks and its
   * kernel stacks, each from outermost to innermost frame. Offsets are dropped ({@code vfs_read+5} is
   * {@code vfs_read}) so that samples of one function merge; unresolved addresses become {@code [unknown]}.
   *
   * @throws IllegalArgumentException if the map holds other values, such as {@code hist()}s
   */
  public void add(MapDump map, FlameFrame prefix) {
    if (!countable(map.kind())) {
      throw new IllegalArgumentException("map " + map.name() + " holds " + map.kind().name().toLowerCase(java.util.Locale.ROOT)
          + " values; a flame graph needs count(), sum() or integer values");
    }
    for (MapDump.Entry e : map.entries()) {
      long n = switch (e.value()) {
        case Value.Count c -> c.value() < 0 ? Long.MAX_VALUE : c.value();
        case Value.Sum s -> s.signed() ? Math.max(0, s.value()) : s.value() < 0 ? Long.MAX_VALUE : s.value();
        case Value.Int i -> i.signed() ? Math.max(0, i.value()) : i.value() < 0 ? Long.MAX_VALUE : i.value();
        default -> throw new IllegalArgumentException("map " + map.name() + " holds " + e.value() + "; a flame graph needs counts");
      };
      if (n == 0) continue;
      List<FlameFrame> path = new ArrayList<>();
      if (prefix != null) path.add(prefix);
      List<Value.Stack> user = new ArrayList<>(), kernel = new ArrayList<>();
      for (Value k : e.key()) {
        if (k instanceof Value.Stack s) {
          if (s.frames().isEmpty()) continue;
          (s.frames().getFirst().kind() == Value.FrameKind.KERNEL ? kernel : user).add(s);
        } else {
          path.add(FlameFrame.of(keyText(k), FlameFrame.Kind.KEY));
        }
      }
      for (Value.Stack s : user) appendRootFirst(path, s);
      for (Value.Stack s : kernel) appendRootFirst(path, s);
      add(path, n);
    }
  }

  private static void appendRootFirst(List<FlameFrame> path, Value.Stack s) {
    List<Value.Frame> frames = s.frames();
    for (int i = frames.size() - 1; i >= 0; i--) {
      Value.Frame f = frames.get(i);
      FlameFrame.Kind kind = switch (f.kind()) {
        case KERNEL -> FlameFrame.Kind.KERNEL;
        case USER -> FlameFrame.Kind.USER;
        case JIT -> FlameFrame.Kind.JIT;
      };
      path.add(FlameFrame.of(functionName(s.mode(), f), kind));
    }
  }

  /** {@return the function of a frame, without offset or module: {@code main+12 (/usr/bin/prog)} is {@code main}} */
  static String functionName(StackMode mode, Value.Frame f) {
    String s = f.symbol();
    if (mode == StackMode.RAW || s.isEmpty()) return "0x" + Long.toHexString(f.address());
    if (mode == StackMode.PERF && s.endsWith(")")) {
      int open = s.lastIndexOf(" (");
      if (open > 0) s = s.substring(0, open);
    }
    s = OFFSET.matcher(s).replaceFirst("");
    return ADDRESS.matcher(s).matches() ? "[unknown]" : s;
  }

  /** {@return a key element as a frame's text} */
  static String keyText(Value v) {
    return switch (v) {
      case Value.Str s -> s.text();
      case Value.Int i -> i.signed() ? Long.toString(i.value()) : Long.toUnsignedString(i.value());
      case Value.Sym s -> s.text();
      case Value.Inet i -> i.text();
      case Value.Ptr p -> "0x" + Long.toHexString(p.address());
      case Value.Bool b -> Boolean.toString(b.value());
      case Value.Buf b -> java.util.HexFormat.of().formatHex(b.bytes());
      case Value.Tuple t -> String.join(", ", t.elements().stream().map(FoldedStacks::keyText).toList());
      case Value.Array a -> "[" + String.join(",", a.elements().stream().map(FoldedStacks::keyText).toList()) + "]";
      case Value.Record r -> "{ " + String.join(", ", r.fields().stream().map(f -> "." + f.name() + " = " + keyText(f.value())).toList()) + " }";
      case Value.Stack s -> "[stack]";
      case Value.Count c -> Long.toUnsignedString(c.value());
      case Value.Sum s -> Long.toString(s.value());
      case Value.Min m -> Long.toString(m.value());
      case Value.Max m -> Long.toString(m.value());
      case Value.Avg a -> Long.toString(a.average());
      case Value.Stats s -> Long.toString(s.average());
      case Value.Hist h -> "[hist]";
      case Value.Lhist l -> "[lhist]";
    };
  }

  /** {@return the stacks and their counts, sorted frame by frame: the left-to-right order of a flame graph} */
  public List<Map.Entry<List<FlameFrame>, Long>> sorted() {
    List<Map.Entry<List<FlameFrame>, Long>> out = new ArrayList<>(counts.size());
    counts.forEach((k, v) -> out.add(Map.entry(k, v[0])));
    out.sort((a, b) -> comparePaths(a.getKey(), b.getKey()));
    return out;
  }

  static int comparePaths(List<FlameFrame> a, List<FlameFrame> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Writes one line per non-empty stack, in flame-graph order: {@code frame;frame;frame count}. */
  public void write(Appendable out) throws IOException {
    StringBuilder line = new StringBuilder(256);
    for (Map.Entry<List<FlameFrame>, Long> e : sorted()) {
      if (e.getKey().isEmpty()) continue;
      line.setLength(0);
      for (FlameFrame f : e.getKey()) {
        if (!line.isEmpty()) line.append(';');
        line.append(f.name()).append(f.kind().suffix());
      }
      line.append(' ').append(e.getValue()).append('\n');
      out.append(line);
    }
  }

  /**
   * Reads folded text: one stack per line, frames separated by {@code ;}, then a space and a count. Blank lines
   * are skipped; a frame ending in {@code _[k]} is kernel code and one ending in {@code _[j]} JIT code.
   *
   * @param source the name of the input, for error messages
   * @throws FormatException at the first line that is not a stack and a count
   */
  public static FoldedStacks read(BufferedReader in, String source) throws IOException, FormatException {
    FoldedStacks stacks = new FoldedStacks();
    int lineNo = 0;
    for (String line; (line = in.readLine()) != null; ) {
      lineNo++;
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      if (line.isBlank()) continue;
      String trimmed = line.strip();
      int space = trimmed.lastIndexOf(' ');
      String countText = space < 0 ? trimmed : trimmed.substring(space + 1);
      String frames = space < 0 ? "" : trimmed.substring(0, space).stripTrailing();
      long count;
      try {
        count = Long.parseLong(countText);
        if (count < 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        throw new FormatException(source + ":" + lineNo + ": expected frames separated by ';', a space and a count, e.g. "
            + "'main;work 12'; found '" + abbreviate(line) + "'");
      }
      if (space >= 0 && frames.lastIndexOf(' ') >= 0 && isCount(frames.substring(frames.lastIndexOf(' ') + 1))) {
        throw new FormatException(source + ":" + lineNo + ": two counts: differential folded input is not supported; found '"
            + abbreviate(line) + "'");
      }
      List<FlameFrame> path = new ArrayList<>();
      if (!frames.isEmpty()) for (String f : frames.split(";", -1)) path.add(parseFrame(f));
      if (count > 0) {
        stacks.add(path, count);
      }
    }
    return stacks;
  }

  private static boolean isCount(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }

  private static FlameFrame parseFrame(String f) {
    for (FlameFrame.Kind k : List.of(FlameFrame.Kind.KERNEL, FlameFrame.Kind.JIT)) {
      if (f.endsWith(k.suffix()) && f.length() > k.suffix().length()) return FlameFrame.of(f.substring(0, f.length() - k.suffix().length()), k);
    }
    return FlameFrame.of(f, FlameFrame.Kind.USER);
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }

  @Override public String toString() { return "FoldedStacks[" + counts.size() + " stacks, " + total + " samples]"; }
}
