package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.typed.TExpr;
import jbpf.lang.types.Type;

/** Emits reads of probe arguments that live in memory addressed by the context's registers. */
final class ContextGen {
  private final ProbeGen g;

  ContextGen(ProbeGen g) { this.g = g; }

  /**
   * {@code dst = *(type *)(ctx[base] + ctx[index] * scale + displacement)}, read with {@code probe_read_user} or
   * {@code probe_read_kernel} into a stack slot (which the helper zeroes if the read faults), then loaded and
   * sign-extended as the type says.
   */
  void memory(TExpr.CtxMemory m, Reg dst) {
    int mark = g.frame.mark();
    int slot = g.frame.alloc(8);
    int size = m.type().size();
    // r3 = address
    if (m.base() >= 0) g.out.add(Insn.ldx(Size.DW, R3, ProbeGen.CTX, m.base()));
    else g.out.add(Alu.MOV.imm(R3, 0));
    if (m.index() >= 0) {
      g.out.add(Insn.ldx(Size.DW, R1, ProbeGen.CTX, m.index()));
      if (m.scale() != 1) g.out.add(Alu.MUL.imm(R1, m.scale()));
      g.out.add(Alu.ADD.reg(R3, R1));
    }
    long d = m.displacement();
    if (d == (int) d) {
      if (d != 0) g.out.add(Alu.ADD.imm(R3, (int) d));
    } else {
      g.out.add(Insn.lddw(R1, d), Alu.ADD.reg(R3, R1));
    }
    g.out.add(Alu.MOV.reg(R1, R10), Alu.ADD.imm(R1, slot), Alu.MOV.imm(R2, size),
        Insn.call(m.user() ? Helper.PROBE_READ_USER : Helper.PROBE_READ_KERNEL), Insn.ldx(Size.ofBytes(size), dst, R10, slot));
    if (m.type() instanceof Type.Int i && i.signed() && size < 8) g.signExtend(dst, size);
    g.frame.release(mark);
  }
}
