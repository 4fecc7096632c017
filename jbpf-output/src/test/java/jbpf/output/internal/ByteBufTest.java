package jbpf.output.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ByteBufTest {
  @Property(seed = "42", tries = 2000)
  void decimalsMatchTheJdk(@ForAll long v) {
    assertEquals(Long.toString(v), new ByteBuf().decimal(v).toString());
    assertEquals(Long.toUnsignedString(v), new ByteBuf().unsignedDecimal(v).toString());
    assertEquals(Long.toHexString(v), new ByteBuf().radix(v, 4, false).toString());
    assertEquals(Long.toOctalString(v), new ByteBuf().radix(v, 3, false).toString());
  }

  @Test
  void decimalsAtPowersOfTen() {
    long p = 1;
    for (int digits = 1; digits <= 18; digits++, p *= 10) {
      for (long v : new long[] {p - 1, p, p + 1}) assertEquals(Long.toString(v), new ByteBuf().decimal(v).toString());
    }
    assertEquals("18446744073709551615", new ByteBuf().unsignedDecimal(-1).toString());
    assertEquals("9223372036854775808", new ByteBuf().unsignedDecimal(Long.MIN_VALUE).toString());
    assertEquals("-9223372036854775808", new ByteBuf().decimal(Long.MIN_VALUE).toString());
  }

  @Test
  void growsAndInserts() {
    ByteBuf b = new ByteBuf(1);
    for (int i = 0; i < 100; i++) b.put("ab");
    b.insert(0, (byte) '-', 3);
    assertEquals(203, b.length());
    assertEquals("---abab", b.toString().substring(0, 7));
    b.setLength(4);
    assertEquals("---a", b.toString());
    assertEquals(3, b.indexOf((byte) 'a', 0));
    assertEquals("é", new ByteBuf().put("é").toString());
  }
}
