package jbpf.output;

import static jbpf.output.ScriptModel.i;
import static jbpf.output.ScriptModel.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Orders that bpftrace leaves to the kernel's hash (ties) are deterministic here. */
class MapOrderTest {
  private static String text(MapDump m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output.text(bytes).map(m);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void valueTiesAreInKeyOrder() {
    MapDump m = MapDump.keyed("@c", List.of(
        MapDump.entry(List.of(i(3), s("a")), new Value.Count(8)),
        MapDump.entry(List.of(i(1), s("two")), new Value.Count(1)),
        MapDump.entry(List.of(i(2), s("one")), new Value.Count(8)),
        MapDump.entry(List.of(i(1), s("one")), new Value.Count(8)),
        MapDump.entry(List.of(i(0), s("b")), new Value.Count(8))));
    assertEquals("@c[1, two]: 1\n@c[0, b]: 8\n@c[1, one]: 8\n@c[2, one]: 8\n@c[3, a]: 8\n", text(m));
  }

  @Test
  void keysOfUnorderedTypesKeepTheKernelsOrder() {
    MapDump m = MapDump.keyed("@s", List.of(
        MapDump.entry(new Value.Inet("10.0.0.2"), s("x")),
        MapDump.entry(new Value.Inet("10.0.0.1"), s("y"))));
    assertEquals("@s[10.0.0.2]: x\n@s[10.0.0.1]: y\n", text(m));
  }

  @Test
  void signednessDecidesValueOrder() {
    MapDump signed = MapDump.keyed("@s", List.of(MapDump.entry(i(1), new Value.Sum(-1, true)),
        MapDump.entry(i(2), new Value.Sum(1, true))));
    MapDump unsigned = MapDump.keyed("@u", List.of(MapDump.entry(i(1), new Value.Sum(-1, false)),
        MapDump.entry(i(2), new Value.Sum(1, false))));
    MapDump max = MapDump.keyed("@m", List.of(MapDump.entry(i(1), new Value.Max(-1, false)),
        MapDump.entry(i(2), new Value.Max(1, false))));
    assertEquals("@s[1]: -1\n@s[2]: 1\n", text(signed));
    assertEquals("@u[2]: 1\n@u[1]: 18446744073709551615\n", text(unsigned));
    assertEquals("@m[2]: 1\n@m[1]: 18446744073709551615\n", text(max));
  }

  @Test
  void histogramTiesFollowTheRawKeyBytes() {
    long[] one = new long[65];
    one[3] = 1;
    MapDump m = MapDump.keyed("@h", List.of(
        MapDump.entry(new Value.Int(1, 4, true), new Value.Hist(0, one)),
        MapDump.entry(new Value.Int(256, 4, true), new Value.Hist(0, one)),
        MapDump.entry(new Value.Int(-1, 4, true), new Value.Hist(0, one))));
    assertEquals("@h[256]: \n@h[1]: \n@h[-1]: \n", text(m).replaceAll("\\[2, 4\\).*\\n\\n?", ""));
  }

  @Test
  void mapsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> MapDump.single("x", i(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new MapDump("@x", MapDump.Kind.COUNT, false, List.of(MapDump.entry(List.of(), i(1)))));
    assertThrows(IllegalArgumentException.class,
        () -> new MapDump("@x", MapDump.Kind.VALUE, true, List.of(MapDump.entry(List.of(), i(1)))));
    assertThrows(IllegalArgumentException.class, () -> new MapDump("@x", MapDump.Kind.VALUE, false,
        List.of(MapDump.entry(List.of(), i(1)), MapDump.entry(List.of(), i(2)))));
    assertThrows(IllegalArgumentException.class, () -> new Value.Int(256, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new Value.Int(-129, 1, true));
    assertThrows(IllegalArgumentException.class, () -> new Value.Int(1, 3, true));
    assertThrows(IllegalArgumentException.class, () -> new Value.Lhist(0, 10, 1, new long[3]));
    assertThrows(IllegalArgumentException.class, () -> new Value.Hist(6, new long[1]));
  }
}
