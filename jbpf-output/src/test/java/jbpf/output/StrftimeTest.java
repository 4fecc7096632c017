package jbpf.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StrftimeTest {
  record Case(String zone, long epoch, String format, String expected) {
    @Override public String toString() { return zone + " " + epoch + " " + format.replace("\n", "\\n"); }
  }

  /** glibc's results, from dev/strftime-golden.c. */
  static Stream<Case> glibc() throws IOException {
    try (InputStream in = StrftimeTest.class.getResourceAsStream("/strftime/glibc.tsv")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().map(line -> {
        String[] f = line.split("\t", -1);
        return new Case(f[0], Long.parseLong(f[1]), unescape(f[2]), unescape(f[3]));
      }).toList().stream();
    }
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      b.append(switch (e) {
        case 'n' -> '\n';
        case 't' -> '\t';
        default -> e;
      });
    }
    return b.toString();
  }

  /** 1650 cases: 5 zones, 10 instants, 33 formats. Mismatches are listed together. */
  @Test
  void formatsLikeGlibc() throws IOException {
    List<String> wrong = new ArrayList<>();
    List<Case> cases = glibc().toList();
    for (Case c : cases) {
      ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(c.epoch()), ZoneId.of(c.zone()));
      String actual = Strftime.format(c.format(), t);
      if (!actual.equals(c.expected())) wrong.add(c + ": expected [" + c.expected() + "] got [" + actual + "]");
    }
    assertEquals(1650, cases.size());
    assertEquals(List.of(), wrong);
  }

  @Test
  void strftimeAddsMicrosecondsForPercentF() {
    long nanos = 1_700_000_000_123_456_789L;
    assertEquals(Optional.of("22:13:20.123456 123456"), Strftime.strftime("%H:%M:%S.%f %f", nanos, ZoneOffset.UTC));
    // bpftrace replaces every "%f", even the one in "%%f", before glibc sees the format: "%123456" asks for a
    // field 123456 wide, which does not fit.
    assertEquals(Optional.empty(), Strftime.strftime("%%f", nanos, ZoneOffset.UTC));
    assertEquals(Optional.of("1969-12-31 23:59:59.999999"),
        Strftime.strftime("%Y-%m-%d %H:%M:%S.%f", -1000, ZoneOffset.UTC));
  }

  @Test
  void resultsOf64BytesOrMoreDoNotFit() {
    assertEquals(63, Strftime.strftime("%63%", 0, ZoneOffset.UTC).orElseThrow().length());
    assertEquals(Optional.empty(), Strftime.strftime("%64%", 0, ZoneOffset.UTC));
    assertEquals(Optional.empty(), Strftime.time("%c%c%c", Instant.EPOCH, ZoneOffset.UTC));
    assertEquals(Optional.of("%f"), Strftime.time("%f", Instant.EPOCH, ZoneOffset.UTC));
    assertEquals(Optional.of("00:00:00\n"), Strftime.time("%H:%M:%S\n", Instant.ofEpochSecond(0, 999_999_999), ZoneOffset.UTC));
  }
}
