package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.probe.Attach;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TypedProgram.TProbe;
import jbpf.lang.types.Type;

/** Emits reads of a probe's context: arguments in memory addressed by the context's registers, and {@code func}. */
final class ContextGen {
  private final ProbeGen g;

  ContextGen(ProbeGen g) { this.g = g; }

  /**
   * Stores {@code func} at {@code base + off}: the constant name where the program serves one attach point, else
   * the name the {@link CompiledScript#FUNCTIONS_MAP} array holds for the attach cookie:
   * {@code key = cookie; r0 = lookup(functions, &key); copy *r0, or zeros if absent}.
   */
  void function(TProbe probe, TExpr.ProbeFunction f, Reg base, int off) {
    int size = f.type().size();
    if (g.info.probeIndex() >= 0) {
      byte[] bytes = Arrays.copyOf(Attach.functionOf(probe.attaches().getFirst()).getBytes(StandardCharsets.UTF_8), size);
      bytes[size - 1] = 0;
      g.storeBytes(bytes, base, off);
      return;
    }
    int mark = g.frame.mark();
    int key = g.frame.alloc(8);
    Label missing = new Label("nofunc"), done = new Label("func");
    g.out.add(Alu.MOV.reg(R1, ProbeGen.CTX), Insn.call(Helper.GET_ATTACH_COOKIE), Insn.stx(Size.W, R10, key, R0),
        Insn.ldMap(R1, CompiledScript.FUNCTIONS_MAP), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, key), Insn.call(Helper.MAP_LOOKUP_ELEM),
        Jmp.JEQ.imm(R0, 0, missing));
    g.copy(R0, 0, base, off, size);
    g.out.add(Insn.ja(done)).bind(missing);
    g.zero(base, off, size);
    g.out.bind(done);
    g.frame.release(mark);
  }

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
