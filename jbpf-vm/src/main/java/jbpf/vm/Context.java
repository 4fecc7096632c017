package jbpf.vm;

/**
 * The memory a program's {@code r1} points at when it runs (its context): a trace event, a packet, the
 * conformance suite's input. The verifier proves every context access lies in {@code [0, size)}; a run is given
 * a segment of at least {@code size} bytes, and {@code r2} holds the segment's actual length.
 *
 * @param size the number of bytes the program may access
 * @param writable whether the program may store into the context
 */
public record Context(long size, boolean writable) {
  public Context {
    if (size < 0 || size > Integer.MAX_VALUE) throw new IllegalArgumentException("context size out of range: " + size);
  }

  /** {@return a read-only context of {@code size} bytes} */
  public static Context readOnly(long size) { return new Context(size, false); }

  /** {@return a writable context of {@code size} bytes} */
  public static Context writable(long size) { return new Context(size, true); }
}
