package jbpf.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import jbpf.btf.BtfType.*;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BtfBuilderTest {
  @Test
  void writesTheRawFormat() {
    BtfBuilder b = new BtfBuilder();
    b.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
    b.add(new Ptr(1));
    assertEquals("9feb0100 18000000 00000000 1c000000 1c000000 05000000"   // header: magic, version, lengths
            + " 01000000 00000001 04000000 20000001"                         // [1] INT 'int' size=4 signed 32 bits
            + " 00000000 00000002 01000000"                                  // [2] PTR -> 1
            + " 00696e74 00",                                               // "\0int\0"
        hex(b.build(ByteOrder.LITTLE_ENDIAN)));
    assertEquals("eb9f0100 00000018", hex(b.build(ByteOrder.BIG_ENDIAN)).substring(0, 17));
  }

  @Test
  void setsKindFlagForBitfields() {
    BtfBuilder b = new BtfBuilder();
    int u = b.add(new Int("unsigned int", 4, 0, 32, Int.Encoding.NONE));
    int s = b.add(new Struct("s", 4, List.of(new Member("a", u, 0, 3), new Member("b", u, 3, 5))));
    Btf btf = Btf.parse(b.build());
    assertEquals(new Member("b", u, 3, 5), ((Struct) btf.type(s)).members().get(1));
  }

  @Test
  void sharesStrings() {
    BtfBuilder b = new BtfBuilder();
    b.add(new Int("x", 4, 0, 32, Int.Encoding.NONE));
    b.add(new Typedef("x", 1));
    byte[] blob = b.build(ByteOrder.LITTLE_ENDIAN);
    assertEquals("0078" + "00", hex(java.util.Arrays.copyOfRange(blob, blob.length - 3, blob.length)).replace(" ", ""));
  }

  @Test
  void rejectsWhatTheFormatCannotHold() {
    assertEquals("write BTF type 1 (PTR): refers to type 5, which was not added (the last id is 1)",
        assertThrows(IllegalArgumentException.class, () -> build(new Ptr(5))).getMessage());
    assertEquals("void is type 0 and cannot be added", assertThrows(IllegalArgumentException.class, () -> build(new BtfType.Void())).getMessage());
    assertEquals("write BTF type 2 (FUNC f): refers to type 1, which is not a function prototype",
        assertThrows(IllegalArgumentException.class, () -> build(new Int("int", 4, 0, 32, Int.Encoding.SIGNED), new Func("f", 1, Linkage.STATIC))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> build(new FuncProto(0, List.of(new Param("p", 0)), false)));
    assertEquals("function f: parameter 1 has no name",
        assertThrows(IllegalArgumentException.class, () -> new BtfBuilder().addFunc("f", Linkage.STATIC, 0, List.of(new Param("", 0)))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> build(new BtfType.Enum("e", 4, false, List.of(new Enumerator("BIG", 1L << 32)))));
    assertThrows(IllegalArgumentException.class, () -> build(new BtfType.Enum("e", 4, true, List.of(new Enumerator("NEG", (-1L << 31) - 1)))));
    assertThrows(IllegalArgumentException.class, () -> build(new Int("int", 4, 0, 256, Int.Encoding.SIGNED)));
    List<Member> many = new ArrayList<>();
    for (int i = 0; i < 65536; i++) many.add(new Member("", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> build(new Struct("s", 0, many)));
    assertThrows(IllegalArgumentException.class, () -> build(new Int("int", 4, 0, 32, Int.Encoding.NONE),
        new Struct("s", 1 << 22, List.of(new Member("far", 1, 1 << 24, 1)))));
  }

  @Test
  void encodesFuncInfo() {
    assertEquals("00000000 05000000 07000000 08000000",
        hex(FuncInfo.encode(List.of(new FuncInfo(0, 5), new FuncInfo(7, 8)))));
    assertEquals(8, FuncInfo.SIZE);
    assertEquals("the first func info must be at instruction 0, not 3",
        assertThrows(IllegalArgumentException.class, () -> FuncInfo.encode(List.of(new FuncInfo(3, 5)))).getMessage());
    assertEquals("func infos must be in increasing instruction order: 4 after 4",
        assertThrows(IllegalArgumentException.class, () -> FuncInfo.encode(List.of(new FuncInfo(0, 5), new FuncInfo(4, 6), new FuncInfo(4, 6)))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FuncInfo(0, 0));
  }

  /** Whatever the builder accepts, the reader decodes back to the same records, in both byte orders. */
  @Property(tries = 300, seed = "777")
  void roundTrips(@ForAll("types") List<BtfType> types, @ForAll boolean bigEndian) {
    BtfBuilder b = new BtfBuilder();
    for (BtfType t : types) b.add(t);
    Btf btf = Btf.parse(b.build(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN));
    assertEquals(types.size() + 1, btf.typeCount());
    for (int i = 0; i < types.size(); i++) assertEquals(types.get(i), btf.type(i + 1), "type " + (i + 1));
  }

  /** Lists whose first type is an int and whose references point at earlier types (or void where allowed). */
  @Provide
  Arbitrary<List<BtfType>> types() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8));
    return Arbitraries.integers().between(1, 40).flatMap(n -> Arbitraries.randomValue(r -> {
      List<BtfType> out = new ArrayList<>();
      out.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
      int proto = 0;
      for (int i = 1; i < n; i++) {
        int ref = 1 + r.nextInt(out.size());
        String name = names.generator(1).next(r).value();
        BtfType t = switch (r.nextInt(17)) {
          case 0 -> {
            // whole ints only: an int with BTF_INT_OFFSET/BITS as a member type reads back as a bitfield
            int size = 1 << r.nextInt(5);
            yield new Int(name, size, 0, 8 * size, Int.Encoding.values()[r.nextInt(4)]);
          }
          case 1 -> new Ptr(r.nextBoolean() ? 0 : ref);
          case 2 -> new Array(ref, 1, r.nextInt(1000));
          case 3 -> new Struct(name, r.nextInt(1 << 20), List.of(new Member(name, ref, r.nextInt(1 << 20)),
              new Member("bits", ref, r.nextInt(1 << 20), r.nextInt(3) * (1 + r.nextInt(60)))));
          case 4 -> new Union(name, r.nextInt(100), List.of(new Member("a", ref, 0), new Member("", ref, 0)));
          case 5 -> {
            boolean signed = r.nextBoolean();
            yield new BtfType.Enum(name, 4, signed, List.of(new Enumerator("A" + i, signed ? r.nextInt() : Integer.toUnsignedLong(r.nextInt()))));
          }
          case 6 -> new Enum64(name, 8, r.nextBoolean(), List.of(new Enumerator("B" + i, r.nextLong()), new Enumerator("C" + i, 0)));
          case 7 -> new Fwd(name, r.nextBoolean());
          case 8 -> new Typedef(name, ref);
          case 9 -> new Volatile(ref);
          case 10 -> new Const(ref);
          case 11 -> new Restrict(ref);
          case 12 -> new FuncProto(r.nextBoolean() ? 0 : ref, List.of(new Param(name, ref)), r.nextBoolean());
          case 13 -> new Var(name, ref, Linkage.values()[r.nextInt(3)]);
          case 14 -> new Datasec(name, r.nextInt(4096), List.of(new SecInfo(ref, r.nextInt(64), r.nextInt(64))));
          case 15 -> new DeclTag(name, ref, r.nextInt(3) - 1, r.nextBoolean());
          default -> new TypeTag(name, ref, r.nextBoolean());
        };
        out.add(t);
        if (t instanceof FuncProto) proto = out.size();
        if (proto != 0 && r.nextInt(4) == 0) out.add(new Func("f" + i, proto, Linkage.values()[r.nextInt(3)]));
        if (r.nextInt(8) == 0) out.add(new BtfType.Float(name, 8));
      }
      return out;
    }));
  }

  private static byte[] build(BtfType... types) {
    BtfBuilder b = new BtfBuilder();
    for (BtfType t : types) b.add(t);
    return b.build();
  }

  private static String hex(byte[] b) {
    String h = HexFormat.of().formatHex(b);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < h.length(); i += 8) out.append(i == 0 ? "" : " ").append(h, i, Math.min(h.length(), i + 8));
    return out.toString();
  }
}
