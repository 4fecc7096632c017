package jbpf.vm.interp;

import static jbpf.asm.Opcode.*;

/**
 * The meaning of ALU and conditional-jump instructions (RFC 9669 sections 4.1–4.3), shared by the interpreter and
 * the verifier's constant folding. Division by zero gives 0 and modulo by zero leaves the dividend, as the RFC
 * defines; {@code LONG_MIN / -1} wraps to {@code LONG_MIN}; shift counts are masked to the operand width.
 */
public final class Semantics {
  private Semantics() {}

  /**
   * {@return the result of ALU instruction {@code opcode} on {@code a} (dst) and {@code b} (the source operand:
   * the register, or for ALU64 the sign-extended {@code imm}, for ALU the 32-bit {@code imm})}
   *
   * @param off the instruction's offset: 1 for signed division, the width of a sign-extending move
   * @param imm the instruction's immediate, the width of a byte swap
   */
  public static long alu(int opcode, int off, long imm, long a, long b) {
    int op = op(opcode);
    if (cls(opcode) == ALU64) {
      return switch (op) {
        case ADD -> a + b;
        case SUB -> a - b;
        case MUL -> a * b;
        case DIV -> b == 0 ? 0 : off == 1 ? a / b : Long.divideUnsigned(a, b);
        case OR -> a | b;
        case AND -> a & b;
        case LSH -> a << b;
        case RSH -> a >>> b;
        case NEG -> -a;
        case MOD -> b == 0 ? a : off == 1 ? a % b : Long.remainderUnsigned(a, b);
        case XOR -> a ^ b;
        case MOV -> switch (off) { case 8 -> (byte) b; case 16 -> (short) b; case 32 -> (int) b; default -> b; };
        case ARSH -> a >> b;
        case END -> switch ((int) imm) {
          case 16 -> Short.toUnsignedLong(Short.reverseBytes((short) a));
          case 32 -> Integer.toUnsignedLong(Integer.reverseBytes((int) a));
          default -> Long.reverseBytes(a);
        };
        default -> throw new IllegalStateException("unverified ALU64 opcode 0x" + Integer.toHexString(opcode));
      };
    }
    if (op == END) {
      boolean be = source(opcode) == TO_BE;
      return switch ((int) imm) {
        case 16 -> be ? Short.toUnsignedLong(Short.reverseBytes((short) a)) : a & 0xffff;
        case 32 -> be ? Integer.toUnsignedLong(Integer.reverseBytes((int) a)) : a & 0xffff_ffffL;
        default -> be ? Long.reverseBytes(a) : a;
      };
    }
    int x = (int) a, y = (int) b;
    int r = switch (op) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case DIV -> y == 0 ? 0 : off == 1 ? x / y : Integer.divideUnsigned(x, y);
      case OR -> x | y;
      case AND -> x & y;
      case LSH -> x << y;
      case RSH -> x >>> y;
      case NEG -> -x;
      case MOD -> y == 0 ? x : off == 1 ? x % y : Integer.remainderUnsigned(x, y);
      case XOR -> x ^ y;
      case MOV -> switch (off) { case 8 -> (byte) y; case 16 -> (short) y; default -> y; };
      case ARSH -> x >> y;
      default -> throw new IllegalStateException("unverified ALU opcode 0x" + Integer.toHexString(opcode));
    };
    return Integer.toUnsignedLong(r);
  }

  /** {@return whether conditional jump {@code opcode} is taken for {@code a} (dst) and {@code b} (the operand)} */
  public static boolean cond(int opcode, long a, long b) {
    if (cls(opcode) == JMP32) {
      int x = (int) a, y = (int) b;
      return switch (op(opcode)) {
        case JEQ -> x == y;
        case JGT -> Integer.compareUnsigned(x, y) > 0;
        case JGE -> Integer.compareUnsigned(x, y) >= 0;
        case JSET -> (x & y) != 0;
        case JNE -> x != y;
        case JSGT -> x > y;
        case JSGE -> x >= y;
        case JLT -> Integer.compareUnsigned(x, y) < 0;
        case JLE -> Integer.compareUnsigned(x, y) <= 0;
        case JSLT -> x < y;
        case JSLE -> x <= y;
        default -> throw new IllegalStateException("unverified jump opcode 0x" + Integer.toHexString(opcode));
      };
    }
    return switch (op(opcode)) {
      case JEQ -> a == b;
      case JGT -> Long.compareUnsigned(a, b) > 0;
      case JGE -> Long.compareUnsigned(a, b) >= 0;
      case JSET -> (a & b) != 0;
      case JNE -> a != b;
      case JSGT -> a > b;
      case JSGE -> a >= b;
      case JLT -> Long.compareUnsigned(a, b) < 0;
      case JLE -> Long.compareUnsigned(a, b) <= 0;
      case JSLT -> a < b;
      case JSLE -> a <= b;
      default -> throw new IllegalStateException("unverified jump opcode 0x" + Integer.toHexString(opcode));
    };
  }
}
