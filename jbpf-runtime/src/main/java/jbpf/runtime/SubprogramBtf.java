package jbpf.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import jbpf.asm.Bytecode;
import jbpf.asm.Insn;
import jbpf.asm.Opcode;
import jbpf.btf.BtfBuilder;
import jbpf.btf.BtfType;
import jbpf.btf.FuncInfo;

/**
 * The BTF a program with subprograms is loaded with: one {@code BTF_KIND_FUNC} per function and the
 * {@code func_info} records placing them (https://docs.kernel.org/bpf/btf.html). The verifier refuses the address
 * of a function ({@code ld_imm64} with {@code BPF_PSEUDO_FUNC}, as {@code bpf_loop} and
 * {@code bpf_for_each_map_elem} take their callbacks) without them, and wants each callback {@code static}. The
 * functions are found in the code itself: the targets of local calls and function addresses. Every function is
 * described as {@code int (void)}: the verifier checks the arguments of static functions against their registers,
 * not their prototype.
 */
final class SubprogramBtf {
  private SubprogramBtf() {}

  /** The BTF blob and the func_info records for {@code BPF_PROG_LOAD}. */
  record Result(byte[] btf, byte[] funcInfo) {}

  /** {@return the BTF for the functions of {@code code}, or {@code null} if it is a single function} */
  static Result of(String program, Bytecode code) {
    TreeMap<Integer, String> starts = new TreeMap<>();
    int slot = 0;
    List<Insn> insns = code.insns();
    for (int i = 0; i < insns.size(); i++) {
      Insn in = insns.get(i);
      boolean call = in.opcode() == (Opcode.JMP | Opcode.CALL) && in.src() == Opcode.PSEUDO_CALL;
      boolean func = in.opcode() == Opcode.LDDW && in.src() == Opcode.PSEUDO_FUNC;
      if (call || func) {
        int target = slot + (int) in.imm() + 1;
        int index = code.indexAtSlot(target);
        String label = index >= 0 ? code.labels().get(index) : null;
        starts.putIfAbsent(target, name(label, starts.size()));
      }
      slot += in.slots();
    }
    if (starts.isEmpty()) return null;
    starts.put(0, name(program, 0));
    BtfBuilder b = new BtfBuilder();
    int intType = b.add(new BtfType.Int("int", 4, 0, 32, BtfType.Int.Encoding.SIGNED));
    int proto = b.add(new BtfType.FuncProto(intType, List.of(), false));
    List<FuncInfo> infos = new ArrayList<>();
    starts.forEach((at, name) -> {
      int id = b.add(new BtfType.Func(name, proto, at == 0 ? BtfType.Linkage.GLOBAL : BtfType.Linkage.STATIC));
      infos.add(new FuncInfo(at, id));
    });
    return new Result(b.build(), FuncInfo.encode(infos));
  }

  /** {@return a C identifier from a label such as {@code for_range12, exit3}: its first name} */
  private static String name(String label, int n) {
    String first = label == null ? "" : label.split(",")[0].strip();
    String id = first.replaceAll("[^A-Za-z0-9_]", "_");
    if (id.isEmpty() || Character.isDigit(id.charAt(0))) id = "f" + n + "_" + id;
    return id;
  }
}
