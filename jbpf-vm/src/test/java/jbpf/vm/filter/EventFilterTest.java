package jbpf.vm.filter;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import jbpf.asm.Bytecode;
import jbpf.asm.text.AsmParser;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.vm.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventFilterTest {
  /** The 64-byte event of the VM benchmarks (shared/vm-bench/event.layout). */
  static final EventLayout LAYOUT = EventLayout.builder(64)
      .field("timestamp", FieldType.U64, 0).field("pid", FieldType.U32, 8).field("tid", FieldType.U32, 12)
      .field("foo", FieldType.S32, 16).field("cpu_id", FieldType.U16, 20).field("prio", FieldType.U8, 22)
      .field("flags", FieldType.U8, 23).field("latency_ns", FieldType.U64, 24).field("bar", FieldType.chars(16), 32)
      .field("comm", FieldType.chars(16), 48).build();

  static final String AND7 = "foo == 42 && bar == \"baz\" && pid != 0 && cpu_id < 64 && latency_ns > 1000 && prio <= 20 && comm == \"myapp\"";

  static MemorySegment event(int foo, String comm) {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, 123456789).putInt(8, 4242).putInt(12, 4243).putInt(16, foo).putShort(20, (short) 3).put(22, (byte) 10)
        .putLong(24, 5000).put(32, "baz".getBytes(StandardCharsets.US_ASCII)).put(48, comm.getBytes(StandardCharsets.US_ASCII));
    return MemorySegment.ofArray(b.array());
  }

  @Test
  void compilesTheSevenClauseFilterAsAFilterCompilerShould() throws CompileException {
    EventFilter f = EventFilter.compile(AND7, LAYOUT);
    assertTrue(f.test(event(42, "myapp")));
    assertFalse(f.test(event(41, "myapp")));
    assertFalse(f.test(event(42, "myapq")));
    assertFalse(f.test(event(42, "myappx")));
    assertEquals(0, f.program().interpreter().run(event(41, "myapp")));
    assertEquals("""
            0: (61) r3 = *(u32 *)(r1 +16)
            1: (55) if r3 != 0x2a goto pc+16 <reject0>
            2: (61) r3 = *(u32 *)(r1 +32)
            3: (55) if r3 != 0x7a6162 goto pc+14 <reject0>
            4: (61) r3 = *(u32 *)(r1 +8)
            5: (15) if r3 == 0x0 goto pc+12 <reject0>
            6: (69) r3 = *(u16 *)(r1 +20)
            7: (35) if r3 >= 0x40 goto pc+10 <reject0>
            8: (79) r3 = *(u64 *)(r1 +24)
            9: (b5) if r3 <= 0x3e8 goto pc+8 <reject0>
           10: (71) r3 = *(u8 *)(r1 +22)
           11: (25) if r3 > 0x14 goto pc+6 <reject0>
           12: (61) r3 = *(u32 *)(r1 +48)
           13: (55) if r3 != 0x7061796d goto pc+4 <reject0>
           14: (69) r3 = *(u16 *)(r1 +52)
           15: (55) if r3 != 0x70 goto pc+2 <reject0>
           16: (b7) r0 = 1
           17: (95) exit
        reject0:
           18: (b7) r0 = 0
           19: (95) exit
        """.stripIndent(), f.bytecode().disassemble().replaceAll("(?m)^; .*\\n", ""));
  }

  @Test
  void emitsExactlyTheHandWrittenFilterOfTheBenchmarks() throws Exception {
    Optional<Path> dir = SharedData.find("vm-bench");
    assumeTrue(dir.isPresent(), "shared/vm-bench not found in " + SharedData.candidates());
    Bytecode hand = AsmParser.parse(new Source("filter_and7.asm", Files.readString(dir.get().resolve("filter_and7.asm"))));
    assertEquals(hand.insns(), EventFilter.compile(AND7, LAYOUT).bytecode().insns());
  }

  static Stream<Arguments> negativeFoo() {
    return Stream.of(
        arguments("foo == -5", true),
        arguments("foo != 4294967291", true),
        arguments("foo == 4294967291", false),
        arguments("foo < 0 && foo >= -5 && foo > -6", true),
        arguments("-5 == foo && 0 > foo", true),
        arguments("foo == 5", false),
        arguments("(uint32)foo == 4294967291", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negativeFoo")
  void signedFieldsKeepTheirSign(String predicate, boolean expected) throws CompileException {
    EventFilter f = EventFilter.compile(predicate, LAYOUT);
    assertEquals(expected, f.test(event(-5, "myapp")), predicate);
    assertEquals(expected ? 1 : 0, f.program().interpreter().run(event(-5, "myapp")));
  }

  static Stream<Arguments> predicates() {
    return Stream.of(
        arguments("pid == 4242", true),
        arguments("pid == 4242 || foo == 1", true),
        arguments("pid == 1 || foo == 42", true),
        arguments("pid == 1 || foo == 1", false),
        arguments("!(pid == 1)", true),
        arguments("foo * 2 + 1 == 85", true),
        arguments("foo - 50 < 0", true),
        arguments("-foo < -40", true),
        arguments("(latency_ns >> 3) == 625", true),
        arguments("latency_ns / 1000 == 5 && latency_ns % 1000 == 0", true),
        arguments("(flags & 1) == 0 && (prio | 1) == 11 && (prio ^ 10) == 0", true),
        arguments("comm != \"myapp\"", false),
        arguments("comm != \"other\"", true),
        arguments("bar == \"ba\"", false),
        arguments("timestamp > 0x80000000", false),
        arguments("timestamp < 0x80000000 && 5000 == latency_ns", true),
        arguments("prio", true),
        arguments("flags", false),
        arguments("true && (prio > 5) == 1", true),
        arguments("args.foo == 42 && args->pid == 4242", true),
        arguments("(foo > 40 ? prio : flags) == 10", true),
        arguments("(foo > 50 ? prio : flags + 7) == 7", true),
        arguments("(uint8)(foo + 256) == 42 && (int8)(foo + 86) == -128", true),
        arguments("(uint32)-1 == 0xffffffff && (int32)latency_ns == 5000 && (uint16)timestamp == 0xcd15", true),
        arguments("(int64)-1 < 0 && (uint64)-1 > 0", true),
        arguments("prio > -1 && cpu_id >= -3 && 20 >= prio", true),
        arguments("cpu_id < -1", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("predicates")
  void evaluates(String predicate, boolean expected) throws CompileException {
    EventFilter f = EventFilter.compile(predicate, LAYOUT);
    assertEquals(expected, f.test(event(42, "myapp")), predicate);
    assertEquals(expected ? 1 : 0, f.program().interpreter().run(event(42, "myapp")));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("pdi == 1", """
            filter:1:1-4: ERROR: unknown field 'pdi'
            pdi == 1
            ~~~
            HINT: the event has: timestamp, pid, tid, foo, cpu_id, prio, flags, latency_ns, bar, comm
            """),
        arguments("comm == 3", """
            filter:1:1-10: ERROR: strings can only be compared with a string literal: a char array field on one side, "..." on the other
            comm == 3
            ~~~~~~~~~
            """),
        arguments("pid == ", """
            filter:1:5-7: ERROR: syntax error, unexpected end of file
            pid ==\s
                ~~
            """),
        arguments("pid = 1 || comm == \"a", """
            filter:1:5-6: ERROR: syntax error, unexpected =
            pid = 1 || comm == "a
                ~
            filter:1:20-22: ERROR: unterminated string
            pid = 1 || comm == "a
                               ~~
            """),
        arguments("count() > 1", """
            filter:1:1-8: ERROR: this expression is not supported in event filters
            count() > 1
            ~~~~~~~
            HINT: filters use fields, literals, arithmetic, comparisons, casts to integers, ?:, !, && and ||
            """),
        arguments("(struct task *)pid == 0", """
            filter:1:2-15: ERROR: cannot cast to struct task * in an event filter
            (struct task *)pid == 0
             ~~~~~~~~~~~~~
            HINT: cast to an integer type: int8 to int64, uint8 to uint64
            """),
        arguments("comm == \"a very long command name\"", """
            filter:1:9-35: ERROR: the string is 24 bytes, longer than field comm (char[16])
            comm == "a very long command name"
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~
            HINT: it can never be equal; shorten the literal
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsErrors(String predicate, String rendered) {
    CompileException e = assertThrows(CompileException.class, () -> EventFilter.compile(predicate, LAYOUT));
    assertEquals(rendered, e.render());
  }
}
