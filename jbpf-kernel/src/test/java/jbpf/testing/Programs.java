package jbpf.testing;

import static jbpf.asm.Reg.R0;
import static jbpf.asm.Reg.R1;
import static jbpf.asm.Reg.R2;
import static jbpf.asm.Reg.R3;
import static jbpf.asm.Reg.R6;
import static jbpf.asm.Reg.R7;
import static jbpf.asm.Reg.R10;

import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Opcode;
import jbpf.asm.Size;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;

/** Small programs the kernel tests load, written with the jbpf.asm factories. */
public final class Programs {
  private Programs() {}

  /** {@return {@code r0 = value; exit}} */
  public static Bytecode returning(int value) {
    return new InsnList().add(Alu.MOV.imm(R0, value), Insn.exit()).resolve();
  }

  /** Appends: if the current process is not {@code pid}, {@code goto skip}. Clobbers r0–r5. */
  public static InsnList onlyPid(InsnList l, int pid, Label skip) {
    return l.add(Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.RSH.imm(R0, 32), Jmp.JNE.imm(R0, pid, skip));
  }

  /** Appends: {@code r0 = &map[index]} (a u32 key on the stack at fp-4), {@code goto skip} if absent. Clobbers r0–r5. */
  public static InsnList lookupIndex(InsnList l, String map, int index, Label skip) {
    return l.add(Insn.st(Size.W, R10, -4, index), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, -4), Insn.ldMap(R1, map),
        Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, skip));
  }

  /** Appends: {@code *(u64 *)(r0 + off) += 1} atomically. Clobbers r1. */
  public static InsnList increment(InsnList l, int off) {
    return l.add(Alu.MOV.imm(R1, 1), Insn.atomic(Size.DW, Opcode.ADD, R0, off, R1));
  }

  /**
   * {@return a program of {@code type} that, when process {@code pid} triggers it, adds 1 to slot 0 of array map
   * {@code counts} and stores {@code bpf_get_attach_cookie()} in slot 1}
   */
  public static ProgramSpec countAndCookie(String name, ProgramType type, int pid) {
    Label out = new Label("out");
    InsnList l = new InsnList().add(Alu.MOV.reg(R6, R1));
    onlyPid(l, pid, out);
    lookupIndex(l, "counts", 0, out);
    increment(l, 0);
    l.add(Alu.MOV.reg(R7, R0), Alu.MOV.reg(R1, R6), Insn.call(Helper.GET_ATTACH_COOKIE), Insn.stx(Size.DW, R7, 8, R0));
    l.bind(out).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return new ProgramSpec(name, type, l.resolve());
  }

  /** {@return a program of {@code type} that adds 1 to slot 0 of array map {@code counts} whenever process {@code pid} triggers it} */
  public static ProgramSpec count(String name, ProgramType type, int pid) {
    Label out = new Label("out");
    InsnList l = new InsnList();
    onlyPid(l, pid, out);
    lookupIndex(l, "counts", 0, out);
    increment(l, 0);
    l.bind(out).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return new ProgramSpec(name, type, l.resolve());
  }

  /** {@return a program of {@code type} that adds 1 to slot 0 of array map {@code counts} every time it runs} */
  public static ProgramSpec countAll(String name, ProgramType type) {
    Label out = new Label("out");
    InsnList l = new InsnList();
    lookupIndex(l, "counts", 0, out);
    increment(l, 0);
    l.bind(out).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return new ProgramSpec(name, type, l.resolve());
  }

  /**
   * {@return a program of {@code type} that, when process {@code pid} triggers it, emits a 16-byte record
   * {@code {u64 seq; u64 pid_tgid}} to ring buffer {@code ring}, numbering records in slot 0 of array {@code state};
   * with {@code discardOdd}, records with odd numbers are reserved and discarded instead}
   */
  public static ProgramSpec sequence(String name, ProgramType type, int pid, String ring, boolean discardOdd) {
    Label out = new Label("out"), discard = new Label("discard");
    InsnList l = new InsnList().add(Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.MOV.reg(jbpf.asm.Reg.R8, R0), Alu.RSH.imm(R0, 32),
        Jmp.JNE.imm(R0, pid, out));
    lookupIndex(l, "state", 0, out);
    // seq = state[0]++
    l.add(Insn.ldx(Size.DW, R7, R0, 0), Alu.MOV.reg(R1, R7), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 0, R1));
    if (!discardOdd) {
      l.add(Insn.stx(Size.DW, R10, -16, R7), Insn.stx(Size.DW, R10, -8, jbpf.asm.Reg.R8), Insn.ldMap(R1, ring),
          Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, -16), Alu.MOV.imm(R3, 16), Alu.MOV.imm(jbpf.asm.Reg.R4, 0),
          Insn.call(Helper.RINGBUF_OUTPUT));
    } else {
      l.add(Insn.ldMap(R1, ring), Alu.MOV.imm(R2, 16), Alu.MOV.imm(R3, 0), Insn.call(Helper.RINGBUF_RESERVE),
          Jmp.JEQ.imm(R0, 0, out), Insn.stx(Size.DW, R0, 0, R7), Insn.stx(Size.DW, R0, 8, jbpf.asm.Reg.R8),
          Alu.MOV.reg(R1, R0), Alu.MOV.imm(R2, 0), Alu.AND.imm(R7, 1), Jmp.JNE.imm(R7, 0, discard),
          Insn.call(Helper.RINGBUF_SUBMIT), Insn.ja(out)).bind(discard).add(Insn.call(Helper.RINGBUF_DISCARD));
    }
    l.bind(out).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return new ProgramSpec(name, type, l.resolve());
  }

  /** Appends: {@code r3 = *(u64 *)(r6 + off)} then {@code *(u64 *)(r0 + slot) = r3}. */
  public static InsnList copyCtx(InsnList l, int ctxOff, int slot) {
    return l.add(Insn.ldx(Size.DW, R3, R6, ctxOff), Insn.stx(Size.DW, R0, slot, R3));
  }
}
