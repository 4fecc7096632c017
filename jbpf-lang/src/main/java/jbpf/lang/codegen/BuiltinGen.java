package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TStmt;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;

/** Emits the builtin variables: each is a helper call or a constant. */
final class BuiltinGen {
  private final ProbeGen g;

  BuiltinGen(ProbeGen g) { this.g = g; }

  void builtin(jbpf.lang.builtins.Builtin b, Reg dst) {
    switch (b) {
      case PID -> g.out.add(Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.RSH.imm(R0, 32), Alu.MOV.reg(dst, R0));
      case TID -> g.out.add(Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.MOV.reg32(dst, R0));
      case UID -> g.out.add(Insn.call(Helper.GET_CURRENT_UID_GID), Alu.MOV.reg32(dst, R0));
      case GID -> g.out.add(Insn.call(Helper.GET_CURRENT_UID_GID), Alu.RSH.imm(R0, 32), Alu.MOV.reg(dst, R0));
      // nsecs counts from boot, suspended time included, as in bpftrace 0.17 on kernels with the helper (5.8+).
      case NSECS -> g.out.add(Insn.call(Helper.KTIME_GET_BOOT_NS), Alu.MOV.reg(dst, R0));
      case CPU -> g.out.add(Insn.call(Helper.GET_SMP_PROCESSOR_ID), Alu.MOV.reg(dst, R0));
      case NUMAID -> g.out.add(Insn.call(Helper.GET_NUMA_NODE_ID), Alu.MOV.reg(dst, R0));
      case RAND -> g.out.add(Insn.call(Helper.GET_PRANDOM_U32), Alu.MOV.reg(dst, R0));
      case CGROUP -> g.out.add(Insn.call(Helper.GET_CURRENT_CGROUP_ID), Alu.MOV.reg(dst, R0));
      case JIFFIES -> g.out.add(Insn.call(Helper.JIFFIES64), Alu.MOV.reg(dst, R0));
      case CURTASK -> g.out.add(Insn.call(Helper.GET_CURRENT_TASK), Alu.MOV.reg(dst, R0));
      case PROBE -> {
        if (g.info.probeIndex() >= 0) g.loadConst(dst, g.info.probeIndex());
        else g.out.add(Alu.MOV.reg(R1, ProbeGen.CTX), Insn.call(Helper.GET_ATTACH_COOKIE), Alu.MOV.reg(dst, R0));
      }
      case ELAPSED -> g.out.add(Insn.call(Helper.KTIME_GET_NS), Insn.ldMapValue(R1, CompiledScript.GLOBALS_MAP, 0),
          Insn.ldx(Size.DW, R1, R1, CallGen.GLOBAL_START_NS), Alu.SUB.reg(R0, R1), Alu.MOV.reg(dst, R0));
      case COMM -> throw new IllegalStateException("comm in a scalar context");
      case NCPUS, CPID, USERMODE, FUNC, RETVAL, USERNAME -> throw new IllegalStateException(b + " reached code generation");
    }
  }
}
