package jbpf.asm;

import static jbpf.asm.Opcode.*;

/**
 * ALU operations, as factories that read like the mnemonic: {@code Alu.ADD.imm(R1, 22)} is {@code r1 += 22},
 * {@code Alu.MOV.reg32(R1, R2)} is {@code w1 = w2}.
 */
public enum Alu {
  ADD(Opcode.ADD), SUB(Opcode.SUB), MUL(Opcode.MUL), DIV(Opcode.DIV), OR(Opcode.OR), AND(Opcode.AND),
  LSH(Opcode.LSH), RSH(Opcode.RSH), NEG(Opcode.NEG), MOD(Opcode.MOD), XOR(Opcode.XOR), MOV(Opcode.MOV),
  ARSH(Opcode.ARSH);

  private final int op;

  Alu(int op) { this.op = op; }

  /** {@return the operation bits} */
  public int op() { return op; }

  /** {@return the 64-bit {@code dst op= imm}} */
  public Insn imm(Reg dst, int imm) { return new Insn(ALU64 | op | K, dst.num(), 0, 0, imm); }

  /** {@return the 64-bit {@code dst op= src}} */
  public Insn reg(Reg dst, Reg src) { return new Insn(ALU64 | op | X, dst.num(), src.num(), 0, 0); }

  /** {@return the 32-bit {@code dst op= imm}, zero-extending the result} */
  public Insn imm32(Reg dst, int imm) { return new Insn(ALU | op | K, dst.num(), 0, 0, imm); }

  /** {@return the 32-bit {@code dst op= src}, zero-extending the result} */
  public Insn reg32(Reg dst, Reg src) { return new Insn(ALU | op | X, dst.num(), src.num(), 0, 0); }

  /** {@return the signed 64-bit {@code dst s/= src} or {@code dst s%= src}; only for DIV and MOD} */
  public Insn signedReg(Reg dst, Reg src) {
    if (this != DIV && this != MOD) throw new IllegalStateException(this + " has no signed form");
    return new Insn(ALU64 | op | X, dst.num(), src.num(), 1, 0);
  }

  /** {@return the signed 64-bit {@code dst s/= imm} or {@code dst s%= imm}; only for DIV and MOD} */
  public Insn signedImm(Reg dst, int imm) {
    if (this != DIV && this != MOD) throw new IllegalStateException(this + " has no signed form");
    return new Insn(ALU64 | op | K, dst.num(), 0, 1, imm);
  }

  /** {@return {@code dst = (s8|s16|s32) src}: 64-bit move sign-extending the low {@code bits} of src} */
  public static Insn movsx(Reg dst, Reg src, int bits) {
    if (bits != 8 && bits != 16 && bits != 32) throw new IllegalArgumentException("movsx of " + bits + " bits");
    return new Insn(ALU64 | Opcode.MOV | X, dst.num(), src.num(), bits, 0);
  }

  /** {@return {@code dst = be16|be32|be64 dst}: convert to big endian (a swap on x86-64)} */
  public static Insn toBe(Reg dst, int bits) { return new Insn(ALU | END | TO_BE, dst.num(), 0, 0, bits); }

  /** {@return {@code dst = le16|le32|le64 dst}: convert to little endian (truncation on x86-64)} */
  public static Insn toLe(Reg dst, int bits) { return new Insn(ALU | END | TO_LE, dst.num(), 0, 0, bits); }

  /** {@return {@code dst = bswap16|bswap32|bswap64 dst}: unconditional byte swap} */
  public static Insn bswap(Reg dst, int bits) { return new Insn(ALU64 | END | TO_LE, dst.num(), 0, 0, bits); }
}
