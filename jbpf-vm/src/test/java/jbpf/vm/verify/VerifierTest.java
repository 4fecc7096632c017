package jbpf.vm.verify;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import jbpf.asm.text.AsmParser;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.vm.Context;
import jbpf.vm.Vm;
import jbpf.vm.VmProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each row is a program the verifier must reject, with the instruction and reason it gives. */
class VerifierTest {
  static Vm vm() {
    return Vm.builder().map(new MapSpec("counts", MapType.HASH, 4, 8, 16)).map(new MapSpec("arr", MapType.ARRAY, 4, 16, 4))
        .map(MapSpec.ringBuffer("events", 4096)).build();
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        arguments("uninitialised register", "mov %r0, %r5\nexit", "instruction 0: (bf) r0 = r5: R5 is not initialised"),
        arguments("r0 unset at exit", "exit", "instruction 0: (95) exit: R0 is not initialised at exit"),
        arguments("context out of bounds", "ldxdw %r0, [%r1+60]\nexit",
            "instruction 0: (79) r0 = *(u64 *)(r1 +60): invalid context access: bytes 60..67, the context has 64 bytes"),
        arguments("read-only context", "stw [%r1], 1\nmov %r0, 0\nexit", "instruction 0: (62) *(u32 *)(r1 +0) = 1: the context is read-only"),
        arguments("uninitialised stack", "ldxdw %r0, [%r10-8]\nexit", "instruction 0: (79) r0 = *(u64 *)(r10 -8): read of uninitialised stack at fp-8"),
        arguments("stack overflow", "stdw [%r10-520], 1\nmov %r0, 0\nexit",
            "instruction 0: (7a) *(u64 *)(r10 -520) = 1: invalid stack access: bytes fp-520..fp-513, the stack frame is fp-512..fp-1"),
        arguments("scalar as pointer", "mov %r2, 8\nldxw %r0, [%r2]\nexit", "instruction 1: (61) r0 = *(u32 *)(r2 +0): R2 is the number 8, not a pointer"),
        arguments("unbounded offset", "ldxdw %r2, [%r1]\nadd %r1, %r2\nldxb %r0, [%r1]\nexit",
            "instruction 2: (71) r0 = *(u8 *)(r1 +0): R1 is a context pointer with an unbounded offset; compare the offset with a limit first"),
        arguments("jump out of range", "ja +5\nexit", "instruction 0: (05) goto pc+5: jump out of range: the target slot 6 is outside the program's slots 0..1"),
        arguments("jump into lddw", "ja +1\nlddw %r0, 1\nexit", "instruction 0: (05) goto pc+1: jump into the middle of the wide (lddw) instruction at slot 1"),
        arguments("falls off the end", "mov %r0, 0", "instruction 0: (b7) r0 = 0: execution falls off the end of the program; the last instruction must be exit or a jump"),
        arguments("unknown helper", "call 9999\nexit", "instruction 0: (85) call unknown#9999: call to unknown helper 9999"),
        arguments("kernel-only helper", "call 16\nexit", "instruction 0: (85) call bpf_get_current_comm#16: helper bpf_get_current_comm#16 is not available in the userspace VM"),
        arguments("write to r10", "mov %r10, 1\nexit", "instruction 0: (b7) r10 = 1: r10 (the frame pointer) is read-only"),
        arguments("map value maybe null", "stw [%r10-4], 1\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, map:counts\ncall 1\nldxdw %r0, [%r0]\nexit",
            "instruction 5: (79) r0 = *(u64 *)(r0 +0): R0 may be NULL; compare it with 0 before using it"),
        arguments("map value out of bounds", "stw [%r10-4], 1\nmov %r2, %r10\nadd %r2, -4\nlddw %r1, map:counts\ncall 1\njeq %r0, 0, out\nldxdw %r0, [%r0+4]\nout:\nexit",
            "instruction 6: (79) r0 = *(u64 *)(r0 +4): invalid access to a value of HASH map counts: bytes 4..11, values have 8 bytes"),
        arguments("uninitialised key", "mov %r2, %r10\nadd %r2, -4\nlddw %r1, map:counts\ncall 1\nexit",
            "instruction 3: (85) call bpf_map_lookup_elem#1: read of uninitialised stack at fp-4"),
        arguments("unreleased ring buffer record", "lddw %r1, map:events\nmov %r2, 8\nmov %r3, 0\ncall 131\nmov %r0, 0\nexit",
            "instruction 5: (95) exit: the ring buffer record reserved at instruction 3 is neither submitted nor discarded"),
        arguments("recursion", "call local f\nexit\nf:\ncall local f\nexit", "instruction 2: (85) call pc-1: recursive call of the function at instruction 2"),
        arguments("jump between functions", "call local f\nja g\nf:\nmov %r0, 0\ng:\nexit", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejects(String name, String asm, String message) throws Exception {
    var code = AsmParser.parse(asm);
    VerifyException e = assertThrows(VerifyException.class, () -> vm().load(code, Context.readOnly(64)));
    if (message != null) assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> badEncodings() {
    return Stream.of(
        arguments("unknown opcode", "ff 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00", "instruction 0: (ff) invalid alu opcode: invalid opcode 0xff"),
        arguments("register 11", "b7 0b 00 00 00 00 00 00 95 00 00 00 00 00 00 00", "instruction 0: (b7) r11 = 0: invalid register r11"),
        arguments("reserved field", "b7 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00", "instruction 0: (b7) r0 = 0: reserved fields must be zero"),
        arguments("legacy packet access", "20 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
            "instruction 0: (20) r0 = *(u32 *)skb[0]: legacy packet access (BPF_ABS/BPF_IND) is not supported by the userspace VM"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEncodings")
  void rejectsBadEncodings(String name, String hex, String message) {
    byte[] code = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
    VerifyException e = assertThrows(VerifyException.class, () -> vm().load(code, Context.readOnly(64)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void acceptsMapsAndRingBuffersUsedCorrectly() throws Exception {
    Vm vm = vm();
    VmProgram p = vm.load(AsmParser.parse("""
        mov %r6, %r1
        stw [%r10-4], 7          # key 7
        mov %r2, %r10
        add %r2, -4
        lddw %r1, map:counts
        call 1                   # map_lookup_elem
        jne %r0, 0, found
        stdw [%r10-16], 1        # insert 1
        mov %r2, %r10
        add %r2, -4
        mov %r3, %r10
        add %r3, -16
        mov %r4, 0
        lddw %r1, map:counts
        call 2                   # map_update_elem
        ja out
        found:
        mov %r1, 1
        lock add [%r0], %r1      # count += 1
        out:
        lddw %r1, map:events
        mov %r2, 8
        mov %r3, 0
        call 131                 # ringbuf_reserve
        jeq %r0, 0, done
        ldxdw %r2, [%r6]         # the first context word
        stxdw [%r0], %r2
        mov %r1, %r0
        mov %r2, 0
        call 132                 # ringbuf_submit
        done:
        mov %r0, 0
        exit
        """), Context.readOnly(8));
    MemorySegment ctx = MemorySegment.ofArray(new long[] {42});
    for (int i = 0; i < 3; i++) p.interpreter().run(ctx);
    for (int i = 0; i < 2; i++) p.jit().run(ctx);
    byte[] key = {7, 0, 0, 0};
    assertEquals(5, java.nio.ByteBuffer.wrap(vm.map("counts").lookup(key)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
    int[] n = {0};
    ((jbpf.vm.RingBuffer) vm.map("events")).poll(rec -> {
      assertEquals(42, rec.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0));
      n[0]++;
    });
    assertEquals(5, n[0]);
  }
}
