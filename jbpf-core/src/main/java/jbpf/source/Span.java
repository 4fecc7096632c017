package jbpf.source;

import java.util.Objects;

/**
 * A range {@code [start, end)} of a {@link Source}, the place a token, node or instruction came from.
 *
 * <p>{@link #toString()} gives bpftrace's location prefix: {@code stdin:1:12-20}, with 1-based columns and
 * an exclusive end column, or {@code file:3-5} when the span covers several lines.
 */
public record Span(Source source, int start, int end) {
  public Span {
    Objects.requireNonNull(source);
    if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
  }

  /** {@return the smallest span covering this one and {@code other}} */
  public Span to(Span other) {
    return new Span(source, Math.min(start, other.start), Math.max(end, other.end));
  }

  /** {@return the text this span covers} */
  public String text() { return source.text().substring(Math.min(start, source.text().length()), Math.min(end, source.text().length())); }

  /** {@return the 1-based line of the start} */
  public int line() { return source.line(start); }

  /** {@return the 1-based column of the start} */
  public int column() { return source.column(start); }

  @Override public String toString() {
    int line = source.line(start);
    int endLine = source.line(Math.max(start, end - 1));
    if (endLine != line) return source.name() + ":" + line + "-" + endLine;
    return source.name() + ":" + line + ":" + source.column(start) + "-" + (source.column(start) + Math.max(1, end - start));
  }

  /**
   * {@return the source line of the start and, below it, a {@code ~} underline of this span, as bpftrace shows them}
   */
  public String excerpt() {
    int line = source.line(start);
    String text = source.lineText(line);
    int col = source.column(start) - 1;
    int lineEnd = source.lineStart(line) + text.length();
    int width = Math.max(1, Math.min(end, lineEnd) - start);
    StringBuilder under = new StringBuilder();
    for (int i = 0; i < col && i < text.length(); i++) under.append(text.charAt(i) == '\t' ? '\t' : ' ');
    under.append("~".repeat(width));
    return text + "\n" + under;
  }
}
