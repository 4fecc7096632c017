package jbpf.vm;

import static jbpf.asm.Opcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import jbpf.asm.Insn;
import jbpf.vm.verify.VerifyException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random programs either fail verification or run to completion (or to the budget) in both engines, with the
 * same result. Nothing else may come out: no other exception, no hang.
 */
class FuzzTest {
  private static final Vm VM = Vm.builder().budget(2000).build();

  /** The outcome of one run: r0, or the kind of fault. */
  private record Outcome(Long r0, VmFault.Kind fault) {}

  private static Outcome run(Engine e, byte[] mem) {
    try {
      return new Outcome(e.run(MemorySegment.ofArray(mem.clone())), null);
    } catch (VmFault f) {
      return new Outcome(null, f.kind());
    }
  }

  private static void check(byte[] code) {
    VmProgram p;
    try {
      p = VM.load(code, Context.writable(64));
    } catch (VerifyException e) {
      assertNotNull(e.reason());
      net.jqwik.api.statistics.Statistics.collect("rejected");
      return;
    }
    net.jqwik.api.statistics.Statistics.collect("verified and run");
    byte[] mem = new byte[64];
    for (int i = 0; i < mem.length; i++) mem[i] = (byte) (i * 37 + 11);
    Outcome interpreted = run(p.interpreter(), mem);
    Outcome compiled = run(p.jit(), mem);
    assertEquals(interpreted, compiled, () -> jbpf.asm.Disassembler.listing(p.insns()));
  }

  @Property(tries = 3000, seed = "20250101")
  void randomBytesAreRejectedOrRun(@ForAll("bytes") byte[] code) { check(code); }

  @Property(tries = 3000, seed = "20250102")
  void randomInstructionStreamsAreRejectedOrAgree(@ForAll("programs") List<Insn> insns) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(insns.stream().mapToInt(Insn::slots).sum() * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (Insn i : insns) i.encode(b);
    check(b.array());
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.integers().between(1, 24).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n * 8));
  }

  private static final int[] ALU_OPS = {ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR, MOV, ARSH};
  private static final int[] JMP_OPS = {JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE};

  /** One mostly-valid instruction: ALU on r0-r9, loads and stores through r1 and r10, short jumps, exit. */
  private static Arbitrary<Insn> insn() {
    Arbitrary<Integer> reg = Arbitraries.integers().between(0, 9);
    Arbitrary<Integer> imm = Arbitraries.oneOf(Arbitraries.integers().between(-4, 70), Arbitraries.integers());
    Arbitrary<Insn> alu = Combinators.combine(Arbitraries.of(ALU, ALU64), Arbitraries.integers().between(0, ALU_OPS.length - 1),
        Arbitraries.of(K, X), reg, reg, imm).as((cls, op, src, d, s, i) -> {
          int o = ALU_OPS[op];
          if (o == NEG) return new Insn(cls | NEG, d, 0, 0, 0);
          return src == X ? new Insn(cls | o | X, d, s, 0, 0) : new Insn(cls | o | K, d, 0, 0, i);
        });
    Arbitrary<Insn> ldx = Combinators.combine(Arbitraries.of(0x00, 0x08, 0x10, 0x18), reg, Arbitraries.of(1, 10),
        Arbitraries.integers().between(-24, 64)).as((size, d, base, off) -> new Insn(LDX | MEM | size, d, base, base == 10 ? -8 - Math.abs(off) % 24 : off, 0));
    Arbitrary<Insn> stx = Combinators.combine(Arbitraries.of(0x00, 0x08, 0x10, 0x18), reg, Arbitraries.of(1, 10),
        Arbitraries.integers().between(0, 60)).as((size, s, base, off) -> new Insn(STX | MEM | size, base, s, base == 10 ? -8 - off % 24 : off, 0));
    Arbitrary<Insn> jmp = Combinators.combine(Arbitraries.of(JMP, JMP32), Arbitraries.integers().between(0, JMP_OPS.length - 1), reg, imm,
        Arbitraries.integers().between(-4, 4)).as((cls, op, d, i, off) -> new Insn(cls | JMP_OPS[op] | K, d, 0, off, i));
    Arbitrary<Insn> exit = Arbitraries.just(Insn.exit());
    Arbitrary<Insn> lddw = Arbitraries.longs().map(v -> new Insn(LDDW, (int) (v & 7), 0, 0, v));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, alu), net.jqwik.api.Tuple.of(2, ldx), net.jqwik.api.Tuple.of(2, stx),
        net.jqwik.api.Tuple.of(3, jmp), net.jqwik.api.Tuple.of(1, exit), net.jqwik.api.Tuple.of(1, lddw));
  }

  @Provide
  Arbitrary<List<Insn>> programs() {
    return insn().list().ofMinSize(1).ofMaxSize(30).map(l -> {
      List<Insn> out = new ArrayList<>();
      out.add(new Insn(ALU64 | MOV | K, 0, 0, 0, 0));
      out.addAll(l);
      out.add(Insn.exit());
      return out;
    });
  }
}
