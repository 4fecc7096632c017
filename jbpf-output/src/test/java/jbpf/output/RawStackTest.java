package jbpf.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kstack(raw)} and {@code ustack(raw)}: addresses only, one a line, not indented. */
class RawStackTest {
  private static final Value.Stack RAW = new Value.Stack(StackMode.RAW, List.of(
      new Value.Frame(0xffffffff814b2b2dL, ""), new Value.Frame(0x7fad1d9644e7L, "")));

  @Test
  void printsBareAddresses() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = Output.text(bytes);
    out.printf(PrintfFormat.parse("[%s]\n"), List.of(RAW));
    out.map(MapDump.keyed("@", List.of(MapDump.entry(RAW, new Value.Count(3)))));
    out.flush();
    assertEquals("""
        [
        ffffffff814b2b2d
        7fad1d9644e7
        ]
        @[
        ffffffff814b2b2d
        7fad1d9644e7
        ]: 3
        """, bytes.toString(StandardCharsets.UTF_8));
  }
}
