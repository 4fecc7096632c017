package jbpf.lang.codegen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Label;
import jbpf.asm.Opcode;
import jbpf.asm.Ref;

/**
 * Clean-ups of generated code that never change what a program computes, each pass linear in the program:
 * <ul>
 *   <li>code no path reaches is removed (the verifier refuses unreachable instructions), starting from the entry
 *       of every function: instruction 0, the targets of local calls and the callbacks whose address is taken;
 *   <li>a jump to an unconditional jump goes straight to its target; a jump to the next instruction goes away;
 *   <li>{@code if c goto A; goto B; A:} becomes {@code if !c goto B};
 *   <li>a load right after a store of the same stack slot reuses the stored register or immediate;
 *   <li>{@code rX = rX} goes away.
 * </ul>
 */
final class Peephole {
  private Peephole() {}

  private static final int JA = Opcode.JMP | Opcode.JA;
  private static final int EXIT = Opcode.JMP | Opcode.EXIT;
  private static final int CALL = Opcode.JMP | Opcode.CALL;
  private static final int MOV_REG = Opcode.ALU64 | Opcode.MOV | Opcode.X;
  private static final int MOV_IMM = Opcode.ALU64 | Opcode.MOV | Opcode.K;
  private static final int STX_DW = Opcode.STX | Opcode.MEM | 0x18;
  private static final int ST_DW = Opcode.ST | Opcode.MEM | 0x18;
  private static final int LDX_DW = Opcode.LDX | Opcode.MEM | 0x18;

  static InsnList optimize(InsnList code) {
    // Each round rewrites the whole list; three catch what one rewrite exposes to another (a jump threaded to
    // code that then became unreachable), and more find almost nothing.
    for (int round = 0; round < 3; round++) {
      Pass p = new Pass(code);
      InsnList next = p.run();
      code = next;
      if (!p.changed) break;
    }
    return farJumps(code);
  }

  /** Conditional jumps reach 32767 slots; past that, {@link #farJumps} routes them through an unconditional one. */
  private static final int NEAR = 32000;

  /**
   * Rewrites each conditional jump too far for its 16-bit offset as {@code if c goto L; goto next; L: goto far; next:},
   * whose unconditional jump becomes a {@code gotol} with a 32-bit offset when the list is resolved.
   */
  static InsnList farJumps(InsnList code) {
    int n = code.size();
    int[] slot = new int[n + 1];
    for (int i = 0; i < n; i++) slot[i + 1] = slot[i] + code.get(i).insn().slots();
    Map<Label, Integer> labels = code.labels();
    boolean any = false;
    for (int i = 0; i < n && !any; i++) {
      Insn insn = code.get(i).insn();
      if (insn.ref() instanceof Ref.Jump(Label t) && insn.opcode() != JA && Math.abs(slot[labels.get(t)] - slot[i]) > NEAR) any = true;
    }
    if (!any) return code;
    List<List<Label>> at = new ArrayList<>(n + 1);
    for (int i = 0; i <= n; i++) at.add(null);
    labels.forEach((l, i) -> {
      if (at.get(i) == null) at.set(i, new ArrayList<>(1));
      at.get(i).add(l);
    });
    InsnList out = new InsnList();
    for (int i = 0; i < n; i++) {
      if (at.get(i) != null) for (Label l : at.get(i)) out.bind(l);
      InsnList.Entry e = code.get(i);
      Insn insn = e.insn();
      out.at(e.span());
      if (e.comment() != null) out.comment(e.comment());
      if (insn.ref() instanceof Ref.Jump(Label t) && insn.opcode() != JA && Math.abs(slot[labels.get(t)] - slot[i]) > NEAR) {
        Label hop = new Label("far"), next = new Label("near");
        out.add(insn.withRef(new Ref.Jump(hop)), Insn.ja(next)).bind(hop).add(Insn.ja(t)).bind(next);
      } else {
        out.add(insn);
      }
    }
    if (at.get(n) != null) for (Label l : at.get(n)) out.bind(l);
    return out;
  }

  /** One rewrite of the whole list into a new one. */
  private static final class Pass {
    final InsnList in;
    final int n;
    final Map<Label, Integer> labels;
    final List<List<Label>> at;
    final int[] refs;
    boolean changed;

    Pass(InsnList in) {
      this.in = in;
      this.n = in.size();
      this.labels = in.labels();
      this.at = new ArrayList<>(n + 1);
      for (int i = 0; i <= n; i++) at.add(null);
      labels.forEach((l, i) -> {
        if (at.get(i) == null) at.set(i, new ArrayList<>(1));
        at.get(i).add(l);
      });
      this.refs = new int[n + 1];
    }

    Insn insn(int i) { return in.get(i).insn(); }

    int target(Insn insn) {
      return switch (insn.ref()) {
        case Ref.Jump(Label t) -> labels.get(t);
        case Ref.Call(Label t) -> labels.get(t);
        case Ref.Func(Label t) -> labels.get(t);
        case null, default -> -1;
      };
    }

    boolean conditional(Insn insn) {
      int cls = insn.opcode() & 7;
      int op = insn.opcode() & 0xf0;
      return (cls == Opcode.JMP || cls == Opcode.JMP32) && op != Opcode.JA && op != Opcode.CALL && op != Opcode.EXIT
          && insn.ref() instanceof Ref.Jump;
    }

    /** Follows chains of unconditional jumps, so that a jump to {@code goto L} goes to L. */
    Label thread(Label l) {
      Label cur = l;
      for (int hops = 0; hops < 16; hops++) {
        Integer i = labels.get(cur);
        if (i == null || i >= n) return cur;
        Insn t = insn(i);
        if (t.opcode() != JA || !(t.ref() instanceof Ref.Jump(Label next)) || next == cur) return cur;
        cur = next;
      }
      return cur;
    }

    InsnList run() {
      boolean[] live = reachable();
      InsnList out = new InsnList();
      for (int i = 0; i < n; i++) {
        bindLabels(out, i);
        if (!live[i]) {
          changed = true;
          continue;
        }
        InsnList.Entry e = in.get(i);
        Insn insn = e.insn();
        out.at(e.span());
        if (e.comment() != null) out.comment(e.comment());
        // rX = rX
        if (insn.opcode() == MOV_REG && insn.dst() == insn.src() && insn.off() == 0) {
          changed = true;
          continue;
        }
        if (insn.ref() instanceof Ref.Jump(Label t)) {
          Label to = thread(t);
          if (to != t) {
            insn = insn.withRef(new Ref.Jump(to));
            changed = true;
          }
          int ti = labels.get(to);
          int nextLive = nextLive(live, i + 1);
          // goto next (over dead code too)
          if (ti == nextLive) {
            if (insn.opcode() == JA || conditional(insn)) {
              changed = true;
              continue;
            }
          }
          // if c goto A; goto B; A:  =>  if !c goto B
          if (conditional(insn) && (insn.opcode() & 0xf0) != Opcode.JSET && nextLive < n && at.get(nextLive) == null
              && insn(nextLive).opcode() == JA && insn(nextLive).ref() instanceof Ref.Jump(Label b)
              && ti == nextLive(live, nextLive + 1)) {
            out.add(negate(insn).withRef(new Ref.Jump(thread(b))));
            live[nextLive] = false;
            changed = true;
            continue;
          }
        }
        // *(u64 *)(r10 + o) = rA; rB = *(u64 *)(r10 + o)  =>  ...; rB = rA
        if (i + 1 < n && live[i + 1] && at.get(i + 1) == null) {
          Insn load = insn(i + 1);
          if (load.opcode() == LDX_DW && load.src() == 10 && (insn.opcode() == STX_DW || insn.opcode() == ST_DW)
              && insn.dst() == 10 && insn.off() == load.off()) {
            out.add(insn);
            InsnList.Entry le = in.get(i + 1);
            out.at(le.span());
            if (insn.opcode() == STX_DW) {
              if (insn.src() != load.dst()) out.add(new Insn(MOV_REG, load.dst(), insn.src(), 0, 0));
            } else {
              out.add(new Insn(MOV_IMM, load.dst(), 0, 0, insn.imm()));
            }
            live[i + 1] = false;
            changed = true;
            continue;
          }
        }
        out.add(insn);
      }
      bindLabels(out, n);
      return out;
    }

    private static Insn negate(Insn insn) {
      int op = insn.opcode() & 0xf0;
      int neg = switch (op) {
        case Opcode.JEQ -> Opcode.JNE; case Opcode.JNE -> Opcode.JEQ;
        case Opcode.JGT -> Opcode.JLE; case Opcode.JLE -> Opcode.JGT; case Opcode.JGE -> Opcode.JLT; case Opcode.JLT -> Opcode.JGE;
        case Opcode.JSGT -> Opcode.JSLE; case Opcode.JSLE -> Opcode.JSGT; case Opcode.JSGE -> Opcode.JSLT; case Opcode.JSLT -> Opcode.JSGE;
        default -> throw new IllegalStateException("no negation of jump op " + op);
      };
      return new Insn((insn.opcode() & 0x0f) | neg, insn.dst(), insn.src(), insn.off(), insn.imm(), insn.ref());
    }

    private void bindLabels(InsnList out, int i) {
      List<Label> ls = at.get(i);
      if (ls != null) for (Label l : ls) out.bind(l);
    }

    private int nextLive(boolean[] live, int from) {
      int j = from;
      while (j < n && !live[j]) j++;
      return j;
    }

    /** Marks what some path reaches from instruction 0 and every function entry. */
    boolean[] reachable() {
      boolean[] live = new boolean[n];
      Deque<Integer> work = new ArrayDeque<>();
      if (n > 0) work.push(0);
      while (!work.isEmpty()) {
        int i = work.pop();
        while (i < n && !live[i]) {
          live[i] = true;
          Insn insn = insn(i);
          int t = target(insn);
          if (t >= 0 && t < n && !live[t]) work.push(t);
          if (insn.opcode() == EXIT || insn.opcode() == JA || insn.opcode() == (Opcode.JMP32 | Opcode.JA)) break;
          i++;
        }
      }
      return live;
    }
  }
}
