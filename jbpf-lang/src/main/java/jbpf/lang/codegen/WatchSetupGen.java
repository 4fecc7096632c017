package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Size;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;

/**
 * Generates the uprobe program that starts a watchpoint on a function's argument. When the function is called it
 * sends the argument (the address to watch) to userspace, which opens the hardware breakpoint for the process; a
 * {@code watchpoint} (not an {@code asyncwatchpoint}) also stops the process with {@code SIGSTOP}, so that no access
 * happens before the breakpoint is set, and userspace continues it afterwards.
 */
final class WatchSetupGen {
  private WatchSetupGen() {}

  /** x86-64 {@code struct pt_regs} offsets of rdi, rsi, rdx, rcx, r8, r9: the first six integer arguments. */
  private static final int[] ARG_REGS = {112, 104, 96, 88, 72, 64};
  private static final int SIGSTOP = 19;

  static Bytecode generate(Attach.Watchpoint w, int probeIndex) {
    int rec = -CompiledScript.WATCH_RECORD_SIZE;
    InsnList out = new InsnList();
    // rec = {probeIndex, argN, pid_tgid}; ringbuf_output(watch_setup, &rec, 24, 0)
    out.add(Alu.MOV.reg(R6, R1), Insn.st(Size.DW, R10, rec, probeIndex), Insn.ldx(Size.DW, R1, R6, ARG_REGS[w.argument()]),
        Insn.stx(Size.DW, R10, rec + 8, R1), Insn.call(Helper.GET_CURRENT_PID_TGID), Insn.stx(Size.DW, R10, rec + 16, R0),
        Insn.ldMap(R1, CompiledScript.WATCH_MAP), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, rec),
        Alu.MOV.imm(R3, CompiledScript.WATCH_RECORD_SIZE), Alu.MOV.imm(R4, 0), Insn.call(Helper.RINGBUF_OUTPUT));
    // Stop the process only if userspace was told: otherwise nobody would continue it.
    Label done = new Label("done");
    if (w.type() == ProbeType.WATCHPOINT) out.add(Jmp.JNE.imm(R0, 0, done), Alu.MOV.imm(R1, SIGSTOP), Insn.call(Helper.SEND_SIGNAL));
    out.bind(done).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return out.resolve();
  }
}
