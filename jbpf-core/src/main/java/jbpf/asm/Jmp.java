package jbpf.asm;

import static jbpf.asm.Opcode.*;

/**
 * Conditional jumps, as factories that read like the mnemonic: {@code Jmp.JEQ.imm(R1, 0, done)} is
 * {@code if r1 == 0 goto done}; the {@code 32} forms compare the low 32 bits only.
 */
public enum Jmp {
  JEQ(Opcode.JEQ, "=="), JGT(Opcode.JGT, ">"), JGE(Opcode.JGE, ">="), JSET(Opcode.JSET, "&"), JNE(Opcode.JNE, "!="),
  JSGT(Opcode.JSGT, "s>"), JSGE(Opcode.JSGE, "s>="), JLT(Opcode.JLT, "<"), JLE(Opcode.JLE, "<="),
  JSLT(Opcode.JSLT, "s<"), JSLE(Opcode.JSLE, "s<=");

  private final int op;
  private final String symbol;

  Jmp(int op, String symbol) {
    this.op = op;
    this.symbol = symbol;
  }

  /** {@return the operation bits} */
  public int op() { return op; }

  /** {@return the operator the kernel's disassembler prints, e.g. {@code s>=}} */
  public String symbol() { return symbol; }

  /** {@return the condition that holds exactly when this one does not} */
  public Jmp negate() {
    return switch (this) {
      case JEQ -> JNE; case JNE -> JEQ;
      case JGT -> JLE; case JLE -> JGT; case JGE -> JLT; case JLT -> JGE;
      case JSGT -> JSLE; case JSLE -> JSGT; case JSGE -> JSLT; case JSLT -> JSGE;
      case JSET -> throw new IllegalStateException("JSET has no negation");
    };
  }

  /** {@return the condition with its operands swapped: {@code a < b} is {@code b > a}} */
  public Jmp swap() {
    return switch (this) {
      case JEQ, JNE, JSET -> this;
      case JGT -> JLT; case JLT -> JGT; case JGE -> JLE; case JLE -> JGE;
      case JSGT -> JSLT; case JSLT -> JSGT; case JSGE -> JSLE; case JSLE -> JSGE;
    };
  }

  /** {@return {@code if dst op imm goto target}} */
  public Insn imm(Reg dst, int imm, Label target) { return new Insn(JMP | op | K, dst.num(), 0, 0, imm, new Ref.Jump(target)); }

  /** {@return {@code if dst op src goto target}} */
  public Insn reg(Reg dst, Reg src, Label target) { return new Insn(JMP | op | X, dst.num(), src.num(), 0, 0, new Ref.Jump(target)); }

  /** {@return {@code if wdst op imm goto target}, comparing 32 bits} */
  public Insn imm32(Reg dst, int imm, Label target) { return new Insn(JMP32 | op | K, dst.num(), 0, 0, imm, new Ref.Jump(target)); }

  /** {@return {@code if wdst op wsrc goto target}, comparing 32 bits} */
  public Insn reg32(Reg dst, Reg src, Label target) { return new Insn(JMP32 | op | X, dst.num(), src.num(), 0, 0, new Ref.Jump(target)); }
}
