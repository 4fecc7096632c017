package jbpf.output;

import java.util.Objects;

/**
 * A place in the script, for messages that bpftrace prints on standard output with their location.
 *
 * @param text bpftrace's location prefix, e.g. {@code script.bt:4:26-27}
 * @param line the 1-based line
 * @param column the 1-based column
 * @param excerpt the source line and its {@code ~} underline, each ending in a line break, or empty
 */
public record SourceLocation(String text, int line, int column, String excerpt) {
  public SourceLocation {
    Objects.requireNonNull(text);
    Objects.requireNonNull(excerpt);
  }
}
