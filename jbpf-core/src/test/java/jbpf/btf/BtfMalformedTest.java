package jbpf.btf;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jbpf.btf.BtfType.*;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BtfMalformedTest {
  private static final byte[] SAMPLE = new Sample().bytes;
  /** Offsets in the sample: the header fields, then the first type (an int named "int"). */
  private static final int HDR_LEN = 4, TYPE_OFF = 8, TYPE_LEN = 12, STR_OFF = 16, STR_LEN = 20, FIRST = 24;

  static Stream<Arguments> badHeaders() {
    return Stream.of(
        arguments("truncated header", cut(10), "BTF header truncated: 10 bytes, need 24"),
        arguments("bad magic", set16(0, 0x1234), "bad BTF magic 0x1234, expected 0xeb9f"),
        arguments("version", set8(2, 2), "unsupported BTF version 2, expected 1"),
        arguments("short header", set32(HDR_LEN, 8), "bad BTF header length 8 in " + SAMPLE.length + " bytes"),
        arguments("header past end", set32(HDR_LEN, 1 << 20), "bad BTF header length 1048576 in " + SAMPLE.length + " bytes"),
        arguments("type section past end", set32(TYPE_LEN, 1 << 30), "BTF type section (1073741824 bytes at 24) ends past the data (" + SAMPLE.length + " bytes)"),
        arguments("string section past end", set32(STR_LEN, -1), "BTF string section (4294967295 bytes at " + (24 + i32(STR_OFF)) + ") ends past the data (" + SAMPLE.length + " bytes)"),
        arguments("unaligned types", set32(TYPE_OFF, 2).andThen(set32(TYPE_LEN, 4)), "BTF type section offset 2 is not 4-byte aligned"),
        arguments("overlapping sections", set32(STR_OFF, 8), "BTF type and string sections overlap"),
        arguments("strings without leading NUL", set8(24 + i32(STR_OFF), 'x'), "BTF string section must start with an empty string"),
        arguments("strings without trailing NUL", set8(24 + i32(STR_OFF) + i32(STR_LEN) - 1, 'x'), "BTF string section does not end in a NUL byte"),
        arguments("unknown kind", set8(FIRST + 7, 25), "BTF type 1 has unknown kind 25"),
        arguments("kind 0", set8(FIRST + 7, 0), "BTF type 1 has unknown kind 0"),
        arguments("record past the end", set8(FIRST + 16 * 3 + 7, BtfKind.STRUCT.value()).andThen(set16(FIRST + 16 * 3 + 4, 0xffff)),
            "BTF type 4 (STRUCT, vlen 65535) ends past the type section"),
        arguments("truncated record", set32(TYPE_LEN, i32(TYPE_LEN) - 4), "BTF type " + (new Sample().emptyStruct) + " is truncated: 8 bytes left of 12"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHeaders")
  void rejectsBadLayouts(String name, Consumer<ByteBuffer> mutation, String message) {
    assertEquals(message, assertThrows(BtfException.class, () -> Btf.parse(mutate(mutation))).getMessage());
  }

  @Test
  void rejectsBadRecordsWhenDecoded() {
    int nameOff = i32(STR_LEN);
    Btf badName = Btf.parse(mutate(set32(FIRST, nameOff)));
    assertEquals("BTF type 1: name offset " + nameOff + " is past the string section (" + nameOff + " bytes)",
        assertThrows(BtfException.class, () -> badName.type(1)).getMessage());
    Btf badEncoding = Btf.parse(mutate(set32(FIRST + 12, 3 << 24 | 32)));
    assertEquals("BTF type 1 (INT): unsupported int encoding 3", assertThrows(BtfException.class, () -> badEncoding.type(1)).getMessage());
    Btf badBits = Btf.parse(mutate(set32(FIRST + 12, 1 << 24 | 33)));
    assertEquals("BTF type 1 (INT): bad int encoding 0x1000021 for size 4", assertThrows(BtfException.class, () -> badBits.type(1)).getMessage());
  }

  @Test
  void rejectsDanglingReferences() {
    BtfBuilder b = new BtfBuilder();
    int i = b.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
    b.add(new Ptr(i));
    byte[] bytes = b.build(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 16 + 8, 77);
    Btf btf = Btf.parse(bytes);
    assertEquals("BTF type 2 (PTR): refers to type 77, but the last type is 2", assertThrows(BtfException.class, () -> btf.type(2)).getMessage());
    assertThrows(BtfException.class, () -> btf.typeName(2));
  }

  @Test
  void rejectsFunctionsWithoutPrototypes() {
    BtfBuilder b = new BtfBuilder();
    int i = b.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
    int proto = b.add(new FuncProto(i, List.of(), false));
    b.add(new Func("f", proto, Linkage.STATIC));
    byte[] bytes = b.build(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 16 + 12 + 8, i);
    assertEquals("BTF type 3 (FUNC): refers to type 1, which is not a FUNC_PROTO",
        assertThrows(BtfException.class, () -> Btf.parse(bytes).type(3)).getMessage());
  }

  @Test
  void rejectsCycles() {
    BtfBuilder b = new BtfBuilder();
    int a = b.add(new Typedef("a", 2));                       // typedef b a; typedef a b;
    b.add(new Typedef("b", 1));
    int arr = b.add(new Array(3, 0, 2));                      // an array of itself
    int st = b.add(new Struct("s", 8, List.of(new Member("s", 4, 0))));   // a struct containing itself
    int ptr = b.add(new Ptr(5));                              // a pointer to itself
    int anon = b.add(new Struct("", 8, List.of(new Member("", 6, 0))));  // anonymous member of its own type
    Btf btf = Btf.parse(b.build());
    assertEquals("BTF type 1: chain of typedefs and qualifiers is cyclic or longer than 32",
        assertThrows(BtfException.class, () -> btf.resolve(a)).getMessage());
    assertThrows(BtfException.class, () -> btf.sizeOf(a));
    assertEquals("a", btf.typeName(a));
    assertEquals("BTF type 3: type chain is cyclic or longer than 32", assertThrows(BtfException.class, () -> btf.sizeOf(arr)).getMessage());
    assertThrows(BtfException.class, () -> btf.alignOf(st));
    assertThrows(BtfException.class, () -> btf.typeName(ptr));
    assertTrue(btf.member(anon, "x").isEmpty());
    assertThrows(BtfException.class, () -> btf.definition(anon));
  }

  @Test
  void refusesToPrintExponentialDeclarations() {
    BtfBuilder b = new BtfBuilder();
    int i = b.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
    int inner = i;
    for (int level = 0; level < 3; level++) {
      List<Param> ps = new ArrayList<>();
      for (int p = 0; p < 128; p++) ps.add(new Param("", inner));
      int proto = b.add(new FuncProto(i, ps, false));
      inner = b.add(new Ptr(proto));
    }
    Btf btf = Btf.parse(b.build());
    int top = inner;
    assertEquals("BTF type " + top + ": declaration is too large to print", assertThrows(BtfException.class, () -> btf.typeName(top)).getMessage());
  }

  /** Random corruption of a valid blob: every query either answers or throws {@link BtfException}. */
  @Property(tries = 1000, seed = "20240607")
  void mutatedInputThrowsOnlyBtfException(@ForAll("mutations") List<int[]> mutations, @ForAll("cuts") int cut) {
    byte[] b = SAMPLE.clone();
    for (int[] m : mutations) b[m[0] % b.length] = (byte) m[1];
    if (cut < b.length) b = java.util.Arrays.copyOf(b, cut);
    Btf btf;
    try {
      btf = Btf.parse(b);
    } catch (BtfException e) {
      return;
    }
    exercise(btf);
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    Arbitrary<int[]> one = Combinators.combine(Arbitraries.integers().between(0, SAMPLE.length - 1), Arbitraries.integers().between(0, 255))
        .as((pos, val) -> new int[] {pos, val});
    // most flips land in the header and type section, where they change structure rather than names
    Arbitrary<int[]> early = Combinators.combine(Arbitraries.integers().between(0, 24 + i32(STR_OFF)), Arbitraries.of(0, 1, 2, 0x7f, 0x80, 0xff, 13, 19, 20))
        .as((pos, val) -> new int[] {pos, val});
    return Arbitraries.oneOf(one, early).list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.oneOf(Arbitraries.just(Integer.MAX_VALUE), Arbitraries.integers().between(0, SAMPLE.length));
  }

  /** Runs every query on every type, allowing only {@link BtfException} and "has no size" for unsized types. */
  static void exercise(Btf btf) {
    for (int id = 0; id < btf.typeCount(); id++) {
      try {
        BtfType t = btf.type(id);
        btf.kind(id);
        btf.name(id);
        btf.resolve(id);
        btf.unqualified(id);
        btf.typeName(id);
        btf.declaration(id, "x");
        btf.definition(id);
        btf.complete(id);
        if (t instanceof Func || t instanceof FuncProto) btf.signature(id);
        if (t instanceof Composite) {
          btf.member(id, "pid");
          btf.member(id, "hi");
        }
        try {
          btf.sizeOf(id);
          btf.alignOf(id);
        } catch (IllegalArgumentException e) {
          assertTrue(e.getMessage().endsWith("has no size") || e.getMessage().endsWith("has no alignment"), e.getMessage());
        }
        // names that are not valid UTF-8 decode to U+FFFD and cannot be looked up again
        if (!t.name().isEmpty() && t.name().indexOf('\uFFFD') < 0 && t.kind() != BtfKind.VOID)
          assertTrue(btf.findType(t.kind(), t.name()).getAsInt() <= id);
      } catch (BtfException e) {
        // the reader's own format error is the allowed outcome
      }
    }
    for (int round = 0; round < 6; round++) {
      try {
        btf.findEnumerator("GREEN");
        btf.findType(BtfKind.STRUCT, "task");
        btf.findType("struct task");
      } catch (BtfException e) {
        // allowed
      }
    }
    for (Runnable query : List.<Runnable>of(
        () -> btf.names(BtfKind.FUNC, "*"), () -> btf.rawTracepoints("*"), () -> btf.rawTracepointArgs("sched_switch"),
        () -> btf.funcProto("vfs_read"), btf::pointerSize, () -> btf.typesOfKind(BtfKind.STRUCT))) {
      try {
        query.run();
      } catch (BtfException e) {
        // allowed
      }
    }
  }

  private static int i32(int off) { return ByteBuffer.wrap(SAMPLE).order(ByteOrder.LITTLE_ENDIAN).getInt(off); }

  private static byte[] mutate(Consumer<ByteBuffer> m) {
    ByteBuffer b = ByteBuffer.wrap(SAMPLE.clone()).order(ByteOrder.LITTLE_ENDIAN);
    m.accept(b);
    return java.util.Arrays.copyOf(b.array(), b.limit());
  }

  private static Consumer<ByteBuffer> cut(int n) { return b -> b.limit(n); }

  private static Consumer<ByteBuffer> set8(int off, int v) { return b -> b.put(off, (byte) v); }

  private static Consumer<ByteBuffer> set16(int off, int v) { return b -> b.putShort(off, (short) v); }

  private static Consumer<ByteBuffer> set32(int off, int v) { return b -> b.putInt(off, v); }
}
