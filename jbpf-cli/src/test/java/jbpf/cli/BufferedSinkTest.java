package jbpf.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The buffering modes of {@code -B}: what reaches the stream after each write. */
class BufferedSinkTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private String written() { return out.toString(StandardCharsets.UTF_8); }

  private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  @Test
  void noneWritesEachMessageAtOnce() throws IOException {
    BufferedSink s = new BufferedSink(out, BufferedSink.Mode.of("none"), false);
    s.write(b("tick"));
    assertEquals("tick", written());
  }

  @Test
  void lineWaitsForTheEndOfALine() throws IOException {
    BufferedSink s = new BufferedSink(out, BufferedSink.Mode.of(null), false);
    s.write(b("no newline, "));
    s.flush();
    assertEquals("", written());
    s.write(b("then one\nand more"));
    assertEquals("no newline, then one\nand more", written());
    s.write(b(" tail"));
    s.close();
    assertEquals("no newline, then one\nand more tail", written());
  }

  @Test
  void fullWaitsForAWholeBlockOrTheEnd() throws IOException {
    BufferedSink s = new BufferedSink(out, BufferedSink.Mode.of("full"), false);
    s.write(b("line\n"));
    s.flush();
    assertEquals("", written());
    s.write(new byte[BufferedSink.SIZE]);
    assertEquals(5 + BufferedSink.SIZE, out.size());
    s.write(b("last\n"));
    s.close();
    assertTrue(written().endsWith("last\n"));
  }

  @Test
  void anUnknownModeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BufferedSink.Mode.of("sometimes"));
  }
}
