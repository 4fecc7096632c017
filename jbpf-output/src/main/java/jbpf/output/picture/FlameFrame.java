package jbpf.output.picture;

import java.util.Objects;

/**
 * One box of a flame graph: a function name, or another part of a map key (a process name, a pid), and the kind of
 * code it stands for, which decides its colour.
 *
 * @param name the text shown, never containing a line break or {@code ;} (the separator of the folded format)
 */
public record FlameFrame(String name, Kind kind) implements Comparable<FlameFrame> {
  /** What a frame stands for. */
  public enum Kind {
    /** Kernel code; {@code _[k]} in folded text. */
    KERNEL("_[k]"),
    /** Compiled user code. */
    USER(""),
    /** Code a JIT compiler generated; {@code _[j]} in folded text. */
    JIT("_[j]"),
    /** Not code: another element of the map key, such as {@code comm}. Written as a plain frame in folded text. */
    KEY("");

    private final String suffix;

    Kind(String suffix) { this.suffix = suffix; }

    /** {@return the annotation flamegraph.pl's folded format appends to a frame of this kind} */
    public String suffix() { return suffix; }
  }

  public FlameFrame {
    Objects.requireNonNull(kind);
    name = clean(Objects.requireNonNull(name));
  }

  /** {@return a frame of kind {@code kind}} */
  public static FlameFrame of(String name, Kind kind) { return new FlameFrame(name, kind); }

  /** {@return the frame as one element of a folded line: its name and its kind's suffix} */
  public String folded() { return name + kind.suffix; }

  /** Frames sort by name, then by kind: the order of siblings in a flame graph. */
  @Override public int compareTo(FlameFrame o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : kind.compareTo(o.kind);
  }

  /** {@return {@code name} with the characters the folded format gives a meaning to replaced} */
  private static String clean(String name) {
    if (name.isEmpty()) return "[unknown]";
    if (name.indexOf(';') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) return name;
    return name.replace(';', ':').replace('\n', ' ').replace('\r', ' ');
  }
}
