package jbpf.lang.codegen;

import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Opcode;
import jbpf.asm.Ref;

/** Local clean-ups of generated code that are always safe: they never change what a program computes. */
final class Peephole {
  private Peephole() {}

  static InsnList optimize(InsnList code) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = code.size() - 1; i >= 0; i--) {
        Insn insn = code.get(i).insn();
        // goto next: a jump to the instruction right after it
        if (insn.opcode() == (Opcode.JMP | Opcode.JA) && insn.ref() instanceof Ref.Jump(var target) && code.indexOf(target) == i + 1) {
          code.remove(i);
          changed = true;
          continue;
        }
        // rX = rX
        if (insn.opcode() == (Opcode.ALU64 | Opcode.MOV | Opcode.X) && insn.dst() == insn.src() && insn.off() == 0) {
          code.remove(i);
          changed = true;
          continue;
        }
        // code after an unconditional jump or exit that no label leads to
        if (i > 0 && code.labelsAt(i).isEmpty() && isUnconditionalEnd(code.get(i - 1).insn())) {
          code.remove(i);
          changed = true;
        }
      }
    }
    return code;
  }

  private static boolean isUnconditionalEnd(Insn insn) {
    return insn.opcode() == (Opcode.JMP | Opcode.JA) || insn.opcode() == (Opcode.JMP | Opcode.EXIT);
  }
}
