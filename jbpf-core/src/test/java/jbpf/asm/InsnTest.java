package jbpf.asm;

import static jbpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InsnTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  static Stream<Arguments> encodings() {
    return Stream.of(
        arguments("r0 = 0", Alu.MOV.imm(R0, 0), "b7 00 00 00 00 00 00 00", "(b7) r0 = 0"),
        arguments("r1 += 22", Alu.ADD.imm(R1, 22), "07 01 00 00 16 00 00 00", "(07) r1 += 22"),
        arguments("w1 -= w2", Alu.SUB.reg32(R1, R2), "1c 21 00 00 00 00 00 00", "(1c) w1 -= w2"),
        arguments("r1 s/= r2", Alu.DIV.signedReg(R1, R2), "3f 21 01 00 00 00 00 00", "(3f) r1 s/= r2"),
        arguments("r1 = (s8)r2", Alu.movsx(R1, R2, 8), "bf 21 08 00 00 00 00 00", "(bf) r1 = (s8)r2"),
        arguments("r1 = -r1", Alu.NEG.imm(R1, 0), "87 01 00 00 00 00 00 00", "(87) r1 = -r1"),
        arguments("be16", Alu.toBe(R3, 16), "dc 03 00 00 10 00 00 00", "(dc) r3 = be16 r3"),
        arguments("bswap64", Alu.bswap(R3, 64), "d7 03 00 00 40 00 00 00", "(d7) r3 = bswap64 r3"),
        arguments("ldxdw", Insn.ldx(Size.DW, R1, R1, 104), "79 11 68 00 00 00 00 00", "(79) r1 = *(u64 *)(r1 +104)"),
        arguments("ldxsb", Insn.ldxs(Size.B, R1, R2, -1), "91 21 ff ff 00 00 00 00", "(91) r1 = *(s8 *)(r2 -1)"),
        arguments("stxdw", Insn.stx(Size.DW, R10, -8, R1), "7b 1a f8 ff 00 00 00 00", "(7b) *(u64 *)(r10 -8) = r1"),
        arguments("stw", Insn.st(Size.W, R10, -4, 7), "62 0a fc ff 07 00 00 00", "(62) *(u32 *)(r10 -4) = 7"),
        arguments("lock add", Insn.atomic(Size.DW, Opcode.ADD, R1, 0, R2), "db 21 00 00 00 00 00 00", "(db) lock *(u64 *)(r1 +0) += r2"),
        arguments("fetch add", Insn.atomic(Size.DW, Opcode.ADD | Opcode.FETCH, R1, 0, R2), "db 21 00 00 01 00 00 00",
            "(db) r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)"),
        arguments("cmpxchg", Insn.atomic(Size.W, Opcode.CMPXCHG, R1, 8, R2), "c3 21 08 00 f1 00 00 00",
            "(c3) r0 = atomic_cmpxchg((u32 *)(r1 +8), r0, r2)"),
        arguments("lddw", Insn.lddw(R1, 0x1122334455667788L), "18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11", "(18) r1 = 0x1122334455667788"),
        arguments("call", Insn.call(Helper.MAP_LOOKUP_ELEM), "85 00 00 00 01 00 00 00", "(85) call bpf_map_lookup_elem#1"),
        arguments("exit", Insn.exit(), "95 00 00 00 00 00 00 00", "(95) exit"),
        arguments("goto", Insn.ja(3), "05 00 03 00 00 00 00 00", "(05) goto pc+3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void encodesDecodesAndPrints(String name, Insn insn, String hex, String text) {
    assertEquals(hex, HEX.formatHex(insn.encode()));
    assertEquals(List.of(insn), Insn.decode(insn.encode()));
    assertEquals(text, insn.toString());
  }

  @Test
  void resolvesJumpsOverWideInstructions() {
    Label done = new Label("done");
    InsnList l = new InsnList();
    l.add(Jmp.JEQ.imm(R1, 0, done), Insn.lddw(R0, 1L << 40), Insn.exit()).bind(done).add(Alu.MOV.imm(R0, 0), Insn.exit());
    Bytecode code = l.resolve();
    assertEquals(6, code.slots());
    assertEquals(3, code.insns().getFirst().off());
    assertEquals("""
            0: (15) if r1 == 0x0 goto pc+3 <done0>
            1: (18) r0 = 0x10000000000
            3: (95) exit
        done0:
            4: (b7) r0 = 0
            5: (95) exit
        """, code.disassemble());
  }

  @Test
  void encodesMapReferencesWithTheirFds() {
    InsnList l = new InsnList();
    l.add(Insn.ldMap(R1, "counts"), Insn.ldMapValue(R2, "fmt", 16), Insn.exit());
    byte[] bytes = l.resolve().encode(name -> name.equals("counts") ? 5 : 6);
    List<Insn> back = Insn.decode(bytes);
    assertEquals(Opcode.PSEUDO_MAP_FD, back.get(0).src());
    assertEquals(5, back.get(0).imm());
    assertEquals((16L << 32) | 6, back.get(1).imm());
  }

  @Test
  void rejectsATruncatedWideLoad() {
    byte[] half = java.util.Arrays.copyOf(Insn.lddw(R1, 1).encode(), 8);
    var e = assertThrows(IllegalArgumentException.class, () -> Insn.decode(half));
    assertEquals("lddw at slot 0 is missing its second half", e.getMessage());
  }
}
