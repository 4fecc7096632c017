package jbpf.source;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named text that programs are compiled from: a script file, {@code stdin} or a {@code -e} argument.
 * Offsets are UTF-16 indexes into {@link #text()}; lines and columns are 1-based, as bpftrace prints them.
 */
public final class Source {
  private final String name;
  private final String text;
  private final int[] lineStarts;

  public Source(String name, String text) {
    this.name = Objects.requireNonNull(name);
    this.text = Objects.requireNonNull(text);
    int[] starts = new int[16];
    int n = 0;
    starts[n++] = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
        starts[n++] = i + 1;
      }
    }
    this.lineStarts = Arrays.copyOf(starts, n);
  }

  /** {@return the name shown in diagnostics, e.g. {@code stdin} or {@code trace.bt}} */
  public String name() { return name; }

  /** {@return the whole text} */
  public String text() { return text; }

  /** {@return the 1-based line holding {@code offset}} */
  public int line(int offset) {
    int i = Arrays.binarySearch(lineStarts, Math.clamp(offset, 0, text.length()));
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** {@return the 1-based column of {@code offset} within its line} */
  public int column(int offset) {
    int clamped = Math.clamp(offset, 0, text.length());
    return clamped - lineStarts[line(clamped) - 1] + 1;
  }

  /** {@return the text of 1-based {@code line}, without its line terminator} */
  public String lineText(int line) {
    if (line < 1 || line > lineStarts.length) return "";
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') end--;
    return text.substring(start, Math.max(start, end));
  }

  /** {@return the offset where 1-based {@code line} starts} */
  public int lineStart(int line) { return lineStarts[Math.clamp(line, 1, lineStarts.length) - 1]; }

  /** {@return the number of lines} */
  public int lineCount() { return lineStarts.length; }

  /** {@return a span over {@code [start, end)} of this source} */
  public Span span(int start, int end) { return new Span(this, start, end); }

  @Override public String toString() { return name; }
}
