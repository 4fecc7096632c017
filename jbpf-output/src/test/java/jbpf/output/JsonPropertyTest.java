package jbpf.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JsonPropertyTest {
  private static String json(Value v) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output.json(bytes).value(v);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Whatever the bytes of a string, the line is one valid JSON object. */
  @Property(seed = "42", tries = 300)
  void anyBytesGiveValidJson(@ForAll byte[] bytes) {
    String line = json(new Value.Str(bytes));
    Object parsed = JsonParser.parse(line.substring(0, line.length() - 1));
    assertEquals("value", ((Map<?, ?>) parsed).get("type"));
  }

  /** Text that is UTF-8 comes back unchanged. */
  @Property(seed = "42", tries = 300)
  void utf8TextRoundTrips(@ForAll String s) {
    String valid = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    String line = json(Value.tuple(Value.str(valid), new Value.Sym(valid)));
    Object parsed = JsonParser.parse(line.strip());
    assertEquals(List.of(valid, valid), ((Map<?, ?>) parsed).get("data"));
  }

  @Provide
  Arbitrary<Value> values() {
    Arbitrary<Value> leaves = Arbitraries.oneOf(
        Arbitraries.longs().map(Value::int64),
        Arbitraries.longs().map(Value::uint64),
        Arbitraries.strings().map(Value::str),
        Arbitraries.bytes().array(byte[].class).map(Value.Buf::new),
        Arbitraries.longs().map(Value.Ptr::new));
    return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
        inner.list().ofMaxSize(4).map(Value.Tuple::new),
        inner.list().ofMaxSize(4).map(Value.Array::new),
        inner.list().ofMaxSize(3).map(l -> new Value.Record(
            IntStream.range(0, l.size()).mapToObj(k -> new Value.Field("f" + k, l.get(k))).toList()))), 3);
  }

  /** Nested values, printed with print() or as map values under any key, stay valid JSON. */
  @Property(seed = "42", tries = 300)
  void nestedValuesGiveValidJson(@ForAll("values") Value v, @ForAll("values") Value key) {
    JsonParser.parse(json(v).strip());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output.json(bytes).map(MapDump.keyed("@m", List.of(MapDump.entry(key, v))));
    JsonParser.parse(bytes.toString(StandardCharsets.UTF_8).strip());
  }
}
