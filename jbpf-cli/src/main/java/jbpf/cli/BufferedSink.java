package jbpf.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the tracer's output goes, buffered as bpftrace's {@code -B} asks (C stdio's modes):
 * {@code none} writes each message at once, {@code line} (the default) writes once a line is complete, and
 * {@code full} writes when {@value #SIZE} bytes are waiting, and at the end. {@link #flush()} obeys the mode
 * (a partial line or a partial block keeps waiting), so that callers may flush freely; {@link #close()} writes all.
 */
final class BufferedSink extends OutputStream {
  /** The buffering modes of {@code -B}. */
  enum Mode {
    NONE, LINE, FULL;

    /** {@return the mode named by {@code -B} ({@code none}, {@code line} or {@code full}); {@code line} if null} */
    static Mode of(String name) {
      if (name == null) return LINE;
      return switch (name) {
        case "none" -> NONE;
        case "line" -> LINE;
        case "full" -> FULL;
        default -> throw new IllegalArgumentException("Invalid buffer mode: " + name);
      };
    }
  }

  /** glibc's {@code BUFSIZ}, the size at which a fully buffered stream writes. */
  static final int SIZE = 8192;

  private final OutputStream out;
  private final Mode mode;
  private final boolean closeOut;
  private byte[] buf = new byte[SIZE];
  private int len;

  /**
   * @param out the stream written to
   * @param closeOut whether {@link #close()} closes {@code out} (a file) or only flushes it (standard output)
   */
  BufferedSink(OutputStream out, Mode mode, boolean closeOut) {
    this.out = Objects.requireNonNull(out);
    this.mode = Objects.requireNonNull(mode);
    this.closeOut = closeOut;
  }

  @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

  @Override public void write(byte[] b, int off, int n) throws IOException {
    Objects.checkFromIndexSize(off, n, b.length);
    if (mode == Mode.NONE) {
      out.write(b, off, n);
      out.flush();
      return;
    }
    if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    System.arraycopy(b, off, buf, len, n);
    len += n;
    boolean complete = switch (mode) {
      case LINE -> contains(b, off, n, (byte) '\n') || len >= SIZE;
      case FULL -> len >= SIZE;
      case NONE -> true;
    };
    if (complete) drain();
  }

  private static boolean contains(byte[] b, int off, int n, byte c) {
    for (int i = off; i < off + n; i++) if (b[i] == c) return true;
    return false;
  }

  private void drain() throws IOException {
    if (len > 0) out.write(buf, 0, len);
    len = 0;
    out.flush();
  }

  /** Does nothing: what the mode lets through was written already; the rest waits for more output or {@link #close()}. */
  @Override public void flush() {}

  /** Writes everything that waits, then closes or flushes the underlying stream. */
  @Override public void close() throws IOException {
    drain();
    if (closeOut) out.close();
  }
}
