package jbpf.asm;

/**
 * The bit fields of an eBPF opcode byte, named as in RFC 9669 and {@code include/uapi/linux/bpf_common.h}.
 *
 * <pre>
 * ALU/JMP:  op(4) | source(1) | class(3)
 * LD/ST:    mode(3) | size(2) | class(3)
 * </pre>
 */
public final class Opcode {
  private Opcode() {}

  // instruction classes
  public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
  // source operand
  public static final int K = 0x00, X = 0x08;
  // ALU operations
  public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
      RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0, MOV = 0xb0, ARSH = 0xc0, END = 0xd0;
  // byte-swap direction (the source bit of END)
  public static final int TO_LE = 0x00, TO_BE = 0x08;
  // jump operations
  public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50, JSGT = 0x60,
      JSGE = 0x70, CALL = 0x80, EXIT = 0x90, JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0, JSLE = 0xd0;
  // load/store modes
  public static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, MEMSX = 0x80, ATOMIC = 0xc0;
  // atomic operations (in imm)
  public static final int FETCH = 0x01, XCHG = 0xe0 | FETCH, CMPXCHG = 0xf0 | FETCH;
  // src of a 64-bit immediate load (lddw)
  public static final int PSEUDO_MAP_FD = 1, PSEUDO_MAP_VALUE = 2, PSEUDO_BTF_ID = 3, PSEUDO_FUNC = 4,
      PSEUDO_MAP_IDX = 5, PSEUDO_MAP_IDX_VALUE = 6;
  // src of a call
  public static final int PSEUDO_CALL = 1, PSEUDO_KFUNC_CALL = 2;

  /** The opcode of {@code lddw}: the only 16-byte instruction. */
  public static final int LDDW = LD | IMM | 0x18;

  /** {@return the class bits} */
  public static int cls(int opcode) { return opcode & 0x07; }

  /** {@return the operation bits of an ALU or JMP opcode} */
  public static int op(int opcode) { return opcode & 0xf0; }

  /** {@return the source bit of an ALU or JMP opcode} */
  public static int source(int opcode) { return opcode & 0x08; }

  /** {@return the mode bits of a load/store opcode} */
  public static int mode(int opcode) { return opcode & 0xe0; }

  /** {@return whether {@code opcode} is an ALU or ALU64 instruction} */
  public static boolean isAlu(int opcode) { return cls(opcode) == ALU || cls(opcode) == ALU64; }

  /** {@return whether {@code opcode} is a JMP or JMP32 instruction} */
  public static boolean isJmp(int opcode) { return cls(opcode) == JMP || cls(opcode) == JMP32; }
}
