package jbpf.asm;

import static jbpf.asm.Opcode.*;

import java.util.List;
import java.util.Objects;
import jbpf.source.Span;

/**
 * Prints instructions in the syntax of the kernel verifier's log ({@code kernel/bpf/disasm.c}), so that a
 * {@code -v} listing and a verifier message read the same: {@code r1 = *(u64 *)(r1 +104)},
 * {@code if r1 == 0x0 goto pc+3}, {@code call bpf_map_lookup_elem#1}.
 */
public final class Disassembler {
  private Disassembler() {}

  private static final String[] ALU_OPS = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian"};

  /** {@return one instruction as {@code (op) text}; map names appear when {@code ref} information is present} */
  public static String text(Insn i, String target) {
    return String.format("(%02x) %s", i.opcode(), body(i, target));
  }

  private static String body(Insn i, String target) {
    int code = i.opcode();
    int cls = cls(code);
    char w = cls == ALU64 || cls == JMP ? 'r' : 'w';
    int dst = i.dst(), src = i.src(), off = i.off();
    long imm = i.imm();
    String jumpTo = target != null ? target : "pc" + signed(off);
    return switch (cls) {
      case ALU, ALU64 -> {
        int op = op(code);
        if (op == END) {
          if (cls == ALU64) yield "r" + dst + " = bswap" + imm + " r" + dst;
          yield "r" + dst + " = " + (source(code) == TO_BE ? "be" : "le") + imm + " r" + dst;
        }
        if (op == NEG) yield w + "" + dst + " = -" + w + dst;
        if (op >>> 4 >= ALU_OPS.length) yield "invalid alu opcode";
        String sym = ALU_OPS[op >>> 4];
        if (off == 1 && (op == DIV || op == MOD)) sym = op == DIV ? "s/=" : "s%=";
        if (source(code) == X) {
          String sx = op == MOV && off != 0 ? "(s" + off + ")" : "";
          yield w + "" + dst + " " + sym + " " + sx + w + src;
        }
        yield w + "" + dst + " " + sym + " " + imm;
      }
      case STX -> {
        String ty = Size.ofOpcode(code).ctype();
        String addr = "(" + ty + " *)(r" + dst + " " + signed(off) + ")";
        if (mode(code) == MEM) yield "*" + addr + " = r" + src;
        if (mode(code) != ATOMIC) yield "BUG_stx_" + Integer.toHexString(code);
        String bits = Size.ofOpcode(code) == Size.DW ? "64" : "";
        int aop = (int) imm;
        if (aop == CMPXCHG) yield "r0 = atomic" + bits + "_cmpxchg(" + addr + ", r0, r" + src + ")";
        if (aop == XCHG) yield "r" + src + " = atomic" + bits + "_xchg(" + addr + ", r" + src + ")";
        String name = switch (aop & ~FETCH) { case ADD -> "add"; case AND -> "and"; case OR -> "or"; case XOR -> "xor"; default -> null; };
        if (name == null) yield "BUG_atomic_" + Integer.toHexString(aop);
        if ((aop & FETCH) != 0) yield "r" + src + " = atomic" + bits + "_fetch_" + name + "(" + addr + ", r" + src + ")";
        yield "lock *" + addr + " " + ALU_OPS[(aop & ~FETCH) >>> 4] + " r" + src;
      }
      case ST -> mode(code) == MEM ? "*(" + Size.ofOpcode(code).ctype() + " *)(r" + dst + " " + signed(off) + ") = " + imm : "BUG_st_" + Integer.toHexString(code);
      case LDX -> {
        Size s = Size.ofOpcode(code);
        String ty = mode(code) == MEMSX ? "s" + s.bytes() * 8 : s.ctype();
        if (mode(code) != MEM && mode(code) != MEMSX) yield "BUG_ldx_" + Integer.toHexString(code);
        yield "r" + dst + " = *(" + ty + " *)(r" + src + " " + signed(off) + ")";
      }
      case LD -> {
        Size s = Size.ofOpcode(code);
        if (mode(code) == ABS) yield "r0 = *(" + s.ctype() + " *)skb[" + imm + "]";
        if (mode(code) == IND) yield "r0 = *(" + s.ctype() + " *)skb[r" + src + " + " + imm + "]";
        if (code != LDDW) yield "BUG_ld_" + Integer.toHexString(code);
        yield "r" + dst + " = " + switch (i.ref()) {
          case Ref.Map(String n) -> "map[" + n + "]";
          case Ref.MapValue(String n, int o) -> "map[" + n + "][0]+" + o;
          case Ref.Func(Label l) -> "func " + (target != null ? target : "pc" + signed(imm));
          case null, default -> switch (src) {
            case PSEUDO_MAP_FD -> "map[fd:" + (int) imm + "]";
            case PSEUDO_MAP_VALUE -> "map[fd:" + (int) imm + "][0]+" + (imm >>> 32);
            case PSEUDO_FUNC -> "func pc" + signed(imm);
            default -> "0x" + Long.toHexString(imm);
          };
        };
      }
      default -> {  // JMP, JMP32
        int op = op(code);
        if (op == EXIT) yield "exit";
        if (op == CALL) {
          if (src == PSEUDO_CALL) yield "call " + (target != null ? target : "pc" + signed(imm));
          if (src == PSEUDO_KFUNC_CALL) yield "call kernel-function#" + imm;
          Helper h = Helper.byId(imm);
          yield "call " + (h != null ? "bpf_" + h.kernelName() : "unknown") + "#" + imm;
        }
        if (op == JA) yield cls == JMP32 ? "gotol " + (target != null ? target : "pc" + signed(imm)) : "goto " + jumpTo;
        Jmp j = jmpOf(op);
        if (j == null) yield "invalid jump opcode";
        if (source(code) == X) yield "if " + w + dst + " " + j.symbol() + " " + w + src + " goto " + jumpTo;
        yield "if " + w + dst + " " + j.symbol() + " 0x" + Integer.toHexString((int) imm) + " goto " + jumpTo;
      }
    };
  }

  private static Jmp jmpOf(int op) {
    for (Jmp j : Jmp.values()) if (j.op() == op) return j;
    return null;
  }

  private static String signed(long v) { return v >= 0 ? "+" + v : Long.toString(v); }

  /** {@return a listing of {@code code}: slot numbers, labels, instructions, comments and, where it changes, the source line} */
  public static String listing(Bytecode code) {
    StringBuilder out = new StringBuilder();
    List<Insn> insns = code.insns();
    int slot = 0;
    int lastLine = -1;
    Object lastSource = null;
    int[] slotOf = new int[insns.size() + 1];
    for (int k = 0; k < insns.size(); k++) slotOf[k + 1] = slotOf[k] + insns.get(k).slots();
    for (int k = 0; k < insns.size(); k++) {
      Insn insn = insns.get(k);
      Span span = code.spans().get(k);
      if (span != null && (span.line() != lastLine || span.source() != lastSource)) {
        lastLine = span.line();
        lastSource = span.source();
        out.append("; ").append(span.source().lineText(lastLine).strip()).append("   // ").append(span.source().name()).append(':').append(lastLine).append('\n');
      }
      String label = code.labels().get(k);
      if (label != null) out.append(label).append(":\n");
      String target = null;
      if (insn.isJump() || (insn.opcode() == (JMP | CALL) && insn.src() == PSEUDO_CALL) || insn.ref() instanceof Ref.Func) {
        long delta = insn.opcode() == (JMP32 | JA) || insn.opcode() == (JMP | CALL) || insn.isWide() ? insn.imm() : insn.off();
        int toSlot = (int) (slotOf[k] + insn.slots() + delta);
        int toIdx = -1;
        for (int t = 0; t <= insns.size(); t++) if (slotOf[t] == toSlot) { toIdx = t; break; }
        String name = toIdx >= 0 ? code.labels().get(toIdx) : null;
        target = "pc" + signed(delta) + (name != null ? " <" + name + ">" : "");
      }
      String text = String.format("%5d: %s", slot, text(insn, target));
      String comment = code.comments().get(k);
      if (comment != null) text = String.format("%-48s ; %s", text, comment);
      out.append(text).append('\n');
      slot += insn.slots();
    }
    return out.toString();
  }

  /** {@return a listing of plain instructions} */
  public static String listing(List<Insn> insns) { return listing(Bytecode.of(Objects.requireNonNull(insns))); }
}
