package jbpf.vm;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Function;
import java.util.stream.Stream;
import jbpf.asm.text.AsmParser;
import jbpf.vm.jit.JitCompiler;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row runs in the interpreter and the JIT, which must both give r0. The rows cover the ways an engine reaches
 * memory: loads and stores the verifier pinned to the context or the stack (every size, zero- and sign-extending),
 * and accesses that go through the machine (map values, atomics, ring buffer records).
 */
class EnginesTest {
  static final Vm VM = Vm.builder().map(new MapSpec("arr", MapType.ARRAY, 4, 16, 4))
      .map(MapSpec.ringBuffer("events", 4096)).budget(100).build();

  /** A 16-byte context: bytes 0x80, 0x81 ... 0x8f. */
  static MemorySegment context(boolean readOnly) {
    MemorySegment s = Arena.ofAuto().allocate(16);
    for (int i = 0; i < 16; i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) (0x80 + i));
    return readOnly ? s.asReadOnly() : s;
  }

  static Stream<Arguments> programs() {
    return Stream.of(
        arguments("ctx u8", "ldxb %r0, [%r1+1]\nexit", 0x81L),
        arguments("ctx u16", "ldxh %r0, [%r1+2]\nexit", 0x8382L),
        arguments("ctx u32", "ldxw %r0, [%r1+4]\nexit", 0x87868584L),
        arguments("ctx u64", "ldxdw %r0, [%r1+8]\nexit", 0x8f8e8d8c8b8a8988L),
        arguments("ctx s8", "ldxsb %r0, [%r1+1]\nexit", (long) (byte) 0x81),
        arguments("ctx s16", "ldxsh %r0, [%r1+2]\nexit", (long) (short) 0x8382),
        arguments("ctx s32", "ldxsw %r0, [%r1+4]\nexit", (long) 0x87868584),
        arguments("ctx through a moved pointer", "mov %r3, %r1\nadd %r3, 8\nldxw %r0, [%r3-4]\nexit", 0x87868584L),
        arguments("stack, every size", """
            stdw [%r10-8], -2
            stw [%r10-16], -3
            sth [%r10-24], -4
            stb [%r10-32], -5
            ldxdw %r0, [%r10-8]
            ldxw %r2, [%r10-16]
            add %r0, %r2
            ldxh %r2, [%r10-24]
            add %r0, %r2
            ldxb %r2, [%r10-32]
            add %r0, %r2
            exit""", -2L + 0xfffffffdL + 0xfffcL + 0xfbL),
        arguments("stack stores from registers, signed loads back", """
            mov %r2, -7
            stxdw [%r10-8], %r2
            stxw [%r10-16], %r2
            stxh [%r10-24], %r2
            stxb [%r10-32], %r2
            ldxsw %r0, [%r10-16]
            ldxsh %r3, [%r10-24]
            add %r0, %r3
            ldxsb %r3, [%r10-32]
            add %r0, %r3
            ldxdw %r3, [%r10-8]
            add %r0, %r3
            exit""", -28L),
        arguments("stack pointer passed to a local function", """
            stdw [%r10-8], 40
            mov %r1, %r10
            add %r1, -8
            call local f
            exit
            f:
            ldxdw %r0, [%r1]
            add %r0, 2
            stdw [%r10-8], 1
            exit""", 42L),
        arguments("a ring buffer record through the machine", """
            lddw %r1, map:events
            mov %r2, 8
            mov %r3, 0
            call 131
            jeq %r0, 0, out
            stdw [%r0], 41
            ldxdw %r6, [%r0]
            add %r6, 1
            mov %r1, %r0
            mov %r2, 0
            call 132
            mov %r0, %r6
            out:
            exit""", 42L),
        arguments("map value through the machine", """
            stw [%r10-4], 2
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map:arr
            call 1
            jeq %r0, 0, out
            stdw [%r0+8], 5
            mov %r1, 3
            lock add [%r0+8], %r1
            ldxdw %r0, [%r0+8]
            out:
            exit""", 8L));
  }

  static void bothEngines(String asm, Context context, Function<Engine, Object> run, Object expected) throws Exception {
    VmProgram p = VM.load(AsmParser.parse(asm), context);
    assertEquals(expected, run.apply(p.interpreter()), "interpreter");
    assertEquals(expected, run.apply(p.jit()), "JIT");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void runs(String name, String asm, long r0) throws Exception {
    bothEngines(asm, Context.readOnly(16), e -> e.run(context(true)), r0);
  }

  @Test
  void storesIntoAWritableContext() throws Exception {
    String asm = """
        stb [%r1+0], 1
        sth [%r1+2], 0x203
        stw [%r1+4], 0x4050607
        stdw [%r1+8], -1
        mov %r2, 9
        stxb [%r1+1], %r2
        ldxdw %r0, [%r1+0]
        ldxdw %r3, [%r1+8]
        add %r0, %r3
        exit""";
    bothEngines(asm, Context.writable(16), e -> {
      MemorySegment ctx = context(false);
      return Long.toHexString(e.run(ctx)) + " " + Long.toHexString(ctx.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
    }, "405060702030900 405060702030901");
  }

  static String fault(Engine e, MemorySegment ctx) {
    VmFault f = assertThrows(VmFault.class, () -> e.run(ctx));
    return f.kind() + ": " + f.getMessage();
  }

  @Test
  void refusesAContextThatDoesNotFit() throws Exception {
    bothEngines("ldxb %r0, [%r1+15]\nexit", Context.readOnly(16), e -> fault(e, context(true).asSlice(0, 8)),
        "CONTEXT: the context has 8 bytes; the program was verified for 16");
    bothEngines("stb [%r1], 1\nmov %r0, 0\nexit", Context.writable(16), e -> fault(e, context(true)),
        "CONTEXT: the context segment is read-only; the program was verified to write it");
  }

  @Test
  void stopsALoopAtTheBudget() throws Exception {
    bothEngines("mov %r0, 0\nloop:\nadd %r0, 1\nja loop", Context.readOnly(16), e -> fault(e, context(true)),
        "BUDGET: program exceeded its budget of 100 backward jumps (at instruction 2)");
  }

  /** A base class the JIT can extend: its own methods call the program with no object in between. */
  public abstract static class Scaler implements Engine {
    private final long factor;

    protected Scaler(Object factor) { this.factor = (Long) factor; }

    public long scaled(MemorySegment ctx) { return factor * run(ctx); }
  }

  @Test
  void compilesIntoASubclassOfAnAbstractEngine() throws Exception {
    VmProgram p = VM.load(AsmParser.parse("ldxb %r0, [%r1+1]\nexit"), Context.readOnly(16));
    Scaler s = JitCompiler.compile(p, Scaler.class, 3L);
    assertEquals(3 * 0x81, s.scaled(context(true)));
    assertTrue(s.getClass().isHidden());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JitCompiler.compile(p, Engine.class, null));
    assertEquals("jbpf.vm.Engine is not a public abstract class with a constructor taking one Object", e.getMessage());
  }
}
