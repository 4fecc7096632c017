package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.builtins.Function;
import jbpf.lang.builtins.Function.Clock;
import jbpf.lang.builtins.Function.Read;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.Trees;
import jbpf.lang.types.Type;

/**
 * Emits function calls ({@link TExpr.Call}) and asynchronous events ({@link TStmt.Emit}). Scalar results go to a
 * register ({@link #into}); strings, buffers, stacks and resolved values are written where their value belongs
 * ({@link #store}): a stack slot or scratch memory, a map key, or straight into a ring-buffer record.
 */
final class CallGen {
  /** {@code BPF_F_USER_STACK} (include/uapi/linux/bpf.h): bpf_get_stackid walks the user stack. */
  static final int BPF_F_USER_STACK = 1 << 8;
  /** Byte offsets in the {@link CompiledScript#GLOBALS_MAP} value. */
  static final int GLOBAL_START_NS = 0, GLOBAL_TAI_OFFSET = 8;

  private final ProbeGen g;

  CallGen(ProbeGen g) { this.g = g; }

  /** {@return whether values of type {@code t} travel in a register} */
  static boolean scalar(Type t) {
    return t instanceof Type.Int || t instanceof Type.Bool || t instanceof Type.Ptr || t instanceof Type.Probe || t instanceof Type.Void;
  }

  // ---- scalar results --------------------------------------------------------------------------------------

  /** Computes scalar call {@code c} into pool register {@code dst}, clobbering r0–r5. A void call leaves {@code dst} alone. */
  void into(TExpr.Call c, Reg dst) {
    List<TExpr> a = c.args();
    switch (c.function()) {
      case REG -> g.out.add(Insn.ldx(Size.DW, dst, ProbeGen.CTX, (int) c.imm()));
      case USERMODE -> {
        // x86-64: the privilege level is the low two bits of the saved code segment; 3 is user mode.
        Label user = new Label("user"), done = new Label("done");
        g.out.add(Insn.ldx(Size.DW, dst, ProbeGen.CTX, (int) c.imm()), Alu.AND.imm(dst, 3), Jmp.JEQ.imm(dst, 3, user),
            Alu.MOV.imm(dst, 0), Insn.ja(done));
        g.out.bind(user).add(Alu.MOV.imm(dst, 1));
        g.out.bind(done);
      }
      case NSECS -> {
        Clock clock = Clock.values()[(int) c.imm()];
        switch (clock) {
          case MONOTONIC -> g.out.add(Insn.call(Helper.KTIME_GET_NS), Alu.MOV.reg(dst, R0));
          case BOOT -> g.out.add(Insn.call(Helper.KTIME_GET_BOOT_NS), Alu.MOV.reg(dst, R0));
          case TAI -> g.out.add(Insn.call(Helper.KTIME_GET_TAI_NS), Alu.MOV.reg(dst, R0));
          case SW_TAI -> g.out.add(Insn.call(Helper.KTIME_GET_BOOT_NS), Insn.ldMapValue(R1, CompiledScript.GLOBALS_MAP, 0),
              Insn.ldx(Size.DW, R1, R1, GLOBAL_TAI_OFFSET), Alu.ADD.reg(R0, R1), Alu.MOV.reg(dst, R0));
        }
      }
      case SIGNAL -> {
        g.into(a.getFirst(), dst);
        g.out.add(Alu.MOV.reg(R1, dst), Insn.call(Helper.SEND_SIGNAL));
      }
      case OVERRIDE -> {
        g.into(a.getFirst(), dst);
        g.out.add(Alu.MOV.reg(R1, ProbeGen.CTX), Alu.MOV.reg(R2, dst), Insn.call(Helper.OVERRIDE_RETURN));
      }
      case BSWAP -> {
        g.into(a.getFirst(), dst);
        int bits = ((Type.Int) c.type()).bytes() * 8;
        // BPF_END to big endian: a byte swap on this little-endian machine, zero-extending what is above the width.
        if (bits > 8) g.out.add(Alu.toBe(dst, bits));
        else g.truncate(dst, 1);
      }
      case STRNCMP -> strncmp(a.get(0), a.get(1), (int) c.imm(), dst);
      case STRCONTAINS -> strcontains(a.get(0), a.get(1), dst);
      case STRLEN -> strlen(a.getFirst(), dst);
      case STACKLEN -> stackLength(a.getFirst(), dst);
      case DEBUGF -> debugf(c);
      case STR, BUF, KSYM, STRERROR, USYM, NTOP, PTON, MACADDR, KSTACK, USTACK, USERNAME, STRFTIME, CGROUP_PATH, PATH, JOIN_ARGS,
           SKBOUTPUT -> throw new IllegalStateException(c.function() + " yields a " + c.type() + ", not a scalar");
    }
  }

  // ---- values in memory --------------------------------------------------------------------------------

  /** Writes the value of {@code c}, laid out as its type, at {@code base + off}; {@code base} is r10 or a pool register. */
  void store(TExpr.Call c, Reg base, int off) {
    List<TExpr> a = c.args();
    switch (c.function()) {
      case STR -> str(c, base, off);
      case BUF -> buf(c, base, off);
      case KSYM, STRERROR, STRFTIME, CGROUP_PATH -> storeU64(a.getFirst(), base, off);
      case USYM -> {
        storeU64(a.getFirst(), base, off);
        g.out.add(Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.RSH.imm(R0, 32), Insn.stx(Size.DW, base, off + 8, R0));
      }
      case USERNAME -> g.out.add(Insn.call(Helper.GET_CURRENT_UID_GID), Alu.MOV.reg32(R0, R0), Insn.stx(Size.DW, base, off, R0));
      case NTOP -> {
        g.store(a.get(0), base, off);
        g.zero(base, off + 8, 16);
        TExpr addr = a.get(1);
        if (addr.type() instanceof Type.Int) g.store(addr, base, off + 8);
        else copyBytes(addr, base, off + 8, addr.type().size());
      }
      case PTON -> {
        int bytes = (int) c.imm();
        for (int i = 0; i < a.size(); i++) {
          long w = ((TExpr.Const) a.get(i)).value();
          if (bytes == 4) g.out.add(Insn.st(Size.W, base, off, (int) w));
          else {
            g.out.add(Insn.lddw(R1, w), Insn.stx(Size.DW, base, off + 8 * i, R1));
          }
        }
      }
      case MACADDR -> {
        TExpr src = a.getFirst();
        if (src.type() instanceof Type.Array || src.type() instanceof Type.Str) copyBytes(src, base, off, 6);
        else read(src, c.imm(), base, off, 6);
      }
      case KSTACK, USTACK -> {
        Type.Stack t = (Type.Stack) c.type();
        g.out.add(Alu.MOV.reg(R1, ProbeGen.CTX), Insn.ldMap(R2, CompiledScript.stackMap(t.depth())),
            Alu.MOV.imm(R3, t.user() ? BPF_F_USER_STACK : 0), Insn.call(Helper.GET_STACKID));
        if (!t.user()) g.out.add(Insn.stx(Size.DW, base, off, R0));
        // user: the u32 id, then the u32 pid above it
        else g.out.add(Insn.stx(Size.W, base, off, R0), Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.RSH.imm(R0, 32),
            Insn.stx(Size.W, base, off + 4, R0));
      }
      case PATH -> {
        int size = c.type().size();
        g.zero(base, off, size);
        try (ProbeGen.Temp p = g.temp(base)) {
          g.into(a.getFirst(), p.reg);
          g.out.add(Alu.MOV.reg(R1, p.reg), Alu.MOV.reg(R2, base), Alu.ADD.imm(R2, off), Alu.MOV.imm(R3, size), Insn.call(Helper.D_PATH));
        }
      }
      case JOIN_ARGS -> joinArgs(c, base, off);
      case REG, USERMODE, NSECS, SIGNAL, OVERRIDE, BSWAP, STRNCMP, STRCONTAINS, STRLEN, STACKLEN, DEBUGF, SKBOUTPUT -> {
        try (ProbeGen.Temp t = g.temp(base)) {
          into(c, t.reg);
          g.out.add(Insn.stx(Size.ofBytes(c.type().size()), base, off, t.reg));
        }
      }
    }
  }

  private void storeU64(TExpr e, Reg base, int off) {
    try (ProbeGen.Temp t = g.temp(base)) {
      g.into(e, t.reg);
      g.out.add(Insn.stx(Size.DW, base, off, t.reg));
    }
  }

  /**
   * {@code str(src, len)}: reads a NUL-terminated string of at most {@code len} characters into a buffer of the
   * type's size, which holds the terminator too.
   */
  private void str(TExpr.Call c, Reg base, int off) {
    int size = c.type().size();
    long flags = c.imm();
    g.zero(base, off, size);
    if (c.args().get(0).type() instanceof Type.Array) {
      // A char array held by the program: its bytes, the terminator after them (the zeroing wrote it).
      copyBytes(c.args().get(0), base, off, (int) ((TExpr.Const) c.args().get(1)).value());
      return;
    }
    try (ProbeGen.Temp src = g.temp(base)) {
      g.into(c.args().get(0), src.reg);
      if ((flags & Read.DYNAMIC_LENGTH) != 0) {
        try (ProbeGen.Temp n = g.temp(base, src.reg)) {
          g.into(c.args().get(1), n.reg);
          // probe_read_str's size counts the terminator: len characters need len + 1
          g.out.add(Alu.ADD.imm(n.reg, 1));
          clamp(n.reg, size);
          g.out.add(Alu.MOV.reg(R2, n.reg));
        }
      } else {
        g.out.add(Alu.MOV.imm(R2, size));
      }
      // r1 = dst; r2 = size; r3 = src; call probe_read_*_str
      g.out.add(Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off), Alu.MOV.reg(R3, src.reg), Insn.call(readStr(flags)));
    }
  }

  /** {@code buf(src, len)}: a length byte, padding, then the bytes. */
  private void buf(TExpr.Call c, Reg base, int off) {
    int capacity = ((Type.Buf) c.type()).capacity();
    TExpr src = c.args().get(0);
    g.zero(base, off, 8 + capacity);
    if (src.type() instanceof Type.Array || src.type() instanceof Type.Str) {
      int n = (int) ((TExpr.Const) c.args().get(1)).value();
      copyBytes(src, base, off + 8, Math.min(n, src.type().size()));  // past a string's storage: the zeros above
      g.out.add(Insn.st(Size.B, base, off, n));
      return;
    }
    long flags = c.imm();
    try (ProbeGen.Temp s = g.temp(base); ProbeGen.Temp n = g.temp(base, s.reg)) {
      g.into(src, s.reg);
      g.into(c.args().get(1), n.reg);
      if ((flags & Read.DYNAMIC_LENGTH) != 0) clamp(n.reg, capacity);
      Label failed = new Label("buffail");
      g.out.add(Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off + 8), Alu.MOV.reg(R2, n.reg), Alu.MOV.reg(R3, s.reg),
          Insn.call(read(flags)), Jmp.JNE.imm(R0, 0, failed), Insn.stx(Size.B, base, off, n.reg));
      g.out.bind(failed);
    }
  }

  /** {@code if (r > max) r = max}: bounds a run-time length for the verifier (and for the buffer). */
  private void clamp(Reg r, int max) {
    Label ok = new Label("inbounds");
    g.out.add(Jmp.JLE.imm(r, max, ok), Alu.MOV.imm(r, max));
    g.out.bind(ok);
  }

  /** Reads {@code size} bytes from the address {@code src} computes into {@code base + off}; on failure they are zero. */
  private void read(TExpr src, long flags, Reg base, int off, int size) {
    try (ProbeGen.Temp s = g.temp(base)) {
      g.into(src, s.reg);
      g.out.add(Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off), Alu.MOV.imm(R2, size), Alu.MOV.reg(R3, s.reg), Insn.call(read(flags)));
    }
  }

  /** Copies the first {@code n} bytes of an array or string value to {@code base + off}. */
  private void copyBytes(TExpr src, Reg base, int off, int n) {
    if (src instanceof TExpr.CtxField(Type.Field f, Type t, var span) && !f.dataLoc()) {
      // The probe's context record is readable in place.
      g.copy(ProbeGen.CTX, f.offset(), base, off, n);
      return;
    }
    int mark = g.frame.mark();
    try (ProbeGen.Held h = g.place(src, base)) { g.copyPlace(h, n, base, off); }
    g.frame.release(mark);
  }

  private static Helper readStr(long flags) {
    if ((flags & Read.USER) != 0) return Helper.PROBE_READ_USER_STR;
    if ((flags & Read.KERNEL) != 0) return Helper.PROBE_READ_KERNEL_STR;
    return Helper.PROBE_READ_STR;
  }

  private static Helper read(long flags) {
    if ((flags & Read.USER) != 0) return Helper.PROBE_READ_USER;
    if ((flags & Read.KERNEL) != 0) return Helper.PROBE_READ_KERNEL;
    return Helper.PROBE_READ;
  }

  /**
   * The strings of {@code join(array)}: reads up to one pointer per string slot from the array, stopping at a NULL
   * one, and each string into its slot; unused slots stay empty.
   */
  private void joinArgs(TExpr.Call c, Reg base, int off) {
    Type.Tuple t = (Type.Tuple) c.type();
    List<Integer> offs = t.offsets();
    int n = t.elements().size(), size = t.elements().getFirst().size();
    for (int i = 0; i < n; i++) g.out.add(Insn.st(Size.B, base, off + offs.get(i), 0));
    Label end = new Label("joinend");
    int mark = g.frame.mark();
    int slot = g.frame.alloc(8);
    try (ProbeGen.Temp arr = g.temp(base)) {
      g.into(c.args().getFirst(), arr.reg);
      for (int i = 0; i < n; i++) {
        // r1 = &slot; r2 = 8; r3 = arr + 8*i; call probe_read; if (r0 != 0 || slot == NULL) goto end
        g.out.add(Alu.MOV.reg(R1, R10), Alu.ADD.imm(R1, slot), Alu.MOV.imm(R2, 8), Alu.MOV.reg(R3, arr.reg), Alu.ADD.imm(R3, 8 * i),
            Insn.call(read(c.imm())), Jmp.JNE.imm(R0, 0, end), Insn.ldx(Size.DW, R3, R10, slot), Jmp.JEQ.imm(R3, 0, end),
            Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off + offs.get(i)), Alu.MOV.imm(R2, size), Insn.call(readStr(c.imm())));
      }
      g.out.bind(end);
    }
    g.frame.release(mark);
  }

  // ---- string functions ------------------------------------------------------------------------------------

  /** {@code dst = 0} if the first {@code n} bytes of the strings are equal (stopping at a NUL in both), else 1. */
  private void strncmp(TExpr l, TExpr r, int n, Reg dst) {
    if (l instanceof TExpr.StrConst && !(r instanceof TExpr.StrConst)) { TExpr x = l; l = r; r = x; }
    int mark = g.frame.mark();
    Label differ = new Label("differ"), equal = new Label("equal"), done = new Label("done");
    int limit = Math.min(n, Math.min(l.type().size(), r.type().size()));
    // Every jump lands before the places are given back, so a register spilled to lend them is reloaded on each path.
    try (ProbeGen.Held a = g.direct(l, dst); ProbeGen.Held b = r instanceof TExpr.StrConst ? null : g.direct(r, dst, a.base)) {
      if (r instanceof TExpr.StrConst(String lit, var t, var span)) {
        byte[] bytes = lit.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < limit; i++) {
          int ch = i < bytes.length ? bytes[i] & 0xff : 0;
          g.out.add(Insn.ldx(Size.B, R1, a.base, a.off + i), Jmp.JNE.imm(R1, ch, differ));
          if (ch == 0) break;
        }
      } else {
        for (int i = 0; i < limit; i++) {
          g.out.add(Insn.ldx(Size.B, R1, a.base, a.off + i), Insn.ldx(Size.B, R2, b.base, b.off + i), Jmp.JNE.reg(R1, R2, differ),
              Jmp.JEQ.imm(R1, 0, equal));
        }
      }
      g.out.bind(equal).add(Alu.MOV.imm(dst, 0), Insn.ja(done));
      g.out.bind(differ).add(Alu.MOV.imm(dst, 1));
      g.out.bind(done);
    }
    g.frame.release(mark);
  }

  /** {@code dst = 1} if {@code needle} occurs in {@code haystack} (an empty needle always does), else 0. */
  private void strcontains(TExpr haystack, TExpr needle, Reg dst) {
    int mark = g.frame.mark();
    int hsize = haystack.type().size();
    Label found = new Label("found"), missing = new Label("missing");
    // Every jump lands before the places are given back, so a register spilled to lend them is reloaded on each path.
    try (ProbeGen.Held h = g.direct(haystack, dst)) {
      if (needle instanceof TExpr.StrConst(String lit, var t, var span)) {
        // A literal needle: at each start i, compare its bytes with immediates.
        byte[] nb = lit.getBytes(StandardCharsets.UTF_8);
        if (nb.length == 0) g.out.add(Insn.ja(found));
        for (int i = 0; i + nb.length <= hsize && nb.length > 0; i++) {
          Label next = new Label("next");
          g.out.add(Insn.ldx(Size.B, R1, h.base, h.off + i), Jmp.JEQ.imm(R1, 0, missing));
          for (int j = 0; j < nb.length; j++) g.out.add(Insn.ldx(Size.B, R1, h.base, h.off + i + j), Jmp.JNE.imm(R1, nb[j] & 0xff, next));
          g.out.add(Insn.ja(found));
          g.out.bind(next);
        }
        g.out.add(Insn.ja(missing));
        result(found, missing, dst);
      } else {
        // A needle known at run time: for (i = 0; i < hsize; i++) for (j = 0; ; j++) compare, as bounded loops. No
        // helper is called inside, so r4 and r5 hold i and j.
        int nsize = needle.type().size();
        try (ProbeGen.Held n = g.direct(needle, dst, h.base)) {
          Reg i = R4, j = R5;
          Label outer = new Label("outer"), inner = new Label("inner"), next = new Label("next");
          g.out.add(Alu.MOV.imm(i, 0));
          g.out.bind(outer).add(Jmp.JGE.imm(i, hsize, missing), Alu.MOV.imm(j, 0));
          g.out.bind(inner).add(Jmp.JGE.imm(j, nsize, found),
              Alu.MOV.reg(R1, n.base), Alu.ADD.imm(R1, n.off), Alu.ADD.reg(R1, j), Insn.ldx(Size.B, R2, R1, 0), Jmp.JEQ.imm(R2, 0, found),
              Alu.MOV.reg(R3, i), Alu.ADD.reg(R3, j), Jmp.JGE.imm(R3, hsize, missing),
              Alu.MOV.reg(R1, h.base), Alu.ADD.imm(R1, h.off), Alu.ADD.reg(R1, R3), Insn.ldx(Size.B, R1, R1, 0), Jmp.JEQ.imm(R1, 0, missing),
              Jmp.JNE.reg(R1, R2, next), Alu.ADD.imm(j, 1), Insn.ja(inner));
          g.out.bind(next).add(Alu.ADD.imm(i, 1), Insn.ja(outer));
          result(found, missing, dst);
        }
      }
    }
    g.frame.release(mark);
  }

  /** Binds {@code yes} to {@code dst = 1} and {@code no} to {@code dst = 0}, both continuing after them. */
  private void result(Label yes, Label no, Reg dst) {
    Label done = new Label("done");
    g.out.bind(yes).add(Alu.MOV.imm(dst, 1), Insn.ja(done));
    g.out.bind(no).add(Alu.MOV.imm(dst, 0));
    g.out.bind(done);
  }

  /** {@code dst} = the bytes before the first NUL, or the whole buffer if it has none. */
  private void strlen(TExpr s, Reg dst) {
    int mark = g.frame.mark();
    int size = s.type().size();
    Label done = new Label("done");
    try (ProbeGen.Held a = g.direct(s, dst)) {
      for (int i = 0; i < size; i++) {
        Label next = new Label("next");
        g.out.add(Insn.ldx(Size.B, R1, a.base, a.off + i), Jmp.JNE.imm(R1, 0, next), Alu.MOV.imm(dst, i), Insn.ja(done));
        g.out.bind(next);
      }
      g.out.add(Alu.MOV.imm(dst, size));
      g.out.bind(done);
    }
    g.frame.release(mark);
  }

  /**
   * {@code dst} = the frames of the current kernel or user stack, up to its depth: {@code bpf_get_stack} into a
   * buffer (scratch memory when it is large) returns the bytes it wrote. (Stack maps cannot be read by programs.)
   */
  private void stackLength(TExpr stack, Reg dst) {
    Type.Stack t = (Type.Stack) stack.type();
    int mark = g.frame.mark();
    Frame.Mem frames = g.frame.allocMem(8 * t.depth());
    Label done = new Label("done");
    g.out.add(Alu.MOV.imm(dst, 0));
    g.lea(R2, frames);
    g.out.add(Alu.MOV.reg(R1, ProbeGen.CTX), Alu.MOV.imm(R3, 8 * t.depth()), Alu.MOV.imm(R4, t.user() ? BPF_F_USER_STACK : 0),
        Insn.call(Helper.GET_STACK), Jmp.JSLE.imm(R0, 0, done), Alu.RSH.imm(R0, 3), Alu.MOV.reg(dst, R0));
    g.out.bind(done);
    g.frame.release(mark);
  }

  /** {@code debugf(fmt, args...)}: {@code bpf_trace_printk(fmt, sizeof fmt, args...)}, the format on the stack. */
  private void debugf(TExpr.Call c) {
    int mark = g.frame.mark();
    List<TExpr> args = c.args();
    List<Integer> slots = new ArrayList<>();
    for (TExpr arg : args.subList(1, args.size())) {
      int slot = g.frame.alloc(8);
      g.store(arg, R10, slot);
      slots.add(slot);
    }
    try (ProbeGen.Held fmt = g.direct(args.getFirst())) {
      Reg[] regs = {R3, R4, R5};
      for (int i = 0; i < slots.size(); i++) g.out.add(Insn.ldx(Size.DW, regs[i], R10, slots.get(i)));
      g.out.add(Alu.MOV.reg(R1, fmt.base), Alu.ADD.imm(R1, fmt.off), Alu.MOV.imm(R2, args.getFirst().type().size()), Insn.call(Helper.TRACE_PRINTK));
    }
    g.frame.release(mark);
  }

  // ---- events ------------------------------------------------------------------------------------------------

  /**
   * Sends an event: reserves {@code (u64 id, payload)} in the ring buffer, writes the values into it and submits
   * it. Records leave in reservation order, so events stay ordered across CPUs, and no payload is bounded by the
   * 512-byte stack. Scalar values are computed first, onto the stack, while every register is free; so are values
   * whose computation runs statements or user functions (a macro's {@code printf} comes out before this event,
   * and no loop helper runs while the record is held), into memory of their own. Strings, stacks and the like are
   * then written straight into the record. When the buffer is full the event is counted as lost.
   */
  void emit(TStmt.Emit e) {
    AsyncEvent ev = e.event();
    Type.Tuple payload = ev.payload();
    List<Integer> offsets = payload.offsets();
    int mark = g.frame.mark();
    int[] staged = new int[e.args().size()];
    Frame.Mem[] computed = new Frame.Mem[e.args().size()];
    for (int i = 0; i < e.args().size(); i++) {
      TExpr arg = e.args().get(i);
      if (scalar(arg.type()) && !(arg instanceof TExpr.Const)) {
        staged[i] = g.frame.alloc(8);
        g.store(arg, R10, staged[i]);
      } else if (runsCode(arg)) {
        computed[i] = g.frame.allocMem(arg.type().size());
        try (ProbeGen.Addr a = g.addr(computed[i])) { g.store(arg, a.base, a.off); }
      }
    }
    int size = 8 + payload.size();
    Label lost = new Label("lost"), sent = new Label("sent");
    g.out.add(Insn.ldMap(R1, CompiledScript.EVENTS_MAP), Alu.MOV.imm(R2, size), Alu.MOV.imm(R3, 0), Insn.call(Helper.RINGBUF_RESERVE),
        Jmp.JEQ.imm(R0, 0, lost));
    try (ProbeGen.Temp rec = g.temp()) {
      g.out.add(Alu.MOV.reg(rec.reg, R0), Insn.st(Size.DW, rec.reg, 0, ev.id()));
      if (ProbeGen.hasPadding(payload)) g.zero(rec.reg, 8, payload.size());
      for (int i = 0; i < e.args().size(); i++) {
        TExpr arg = e.args().get(i);
        int off = 8 + offsets.get(i);
        if (staged[i] != 0) {
          Size sz = Size.ofBytes(arg.type().size());
          g.out.add(Insn.ldx(sz, R1, R10, staged[i]), Insn.stx(sz, rec.reg, off, R1));
        } else if (computed[i] != null) {
          try (ProbeGen.Addr a = g.addr(computed[i], rec.reg)) { g.copy(a.base, a.off, rec.reg, off, arg.type().size()); }
        } else {
          g.store(arg, rec.reg, off);
        }
      }
      g.out.add(Alu.MOV.reg(R1, rec.reg), Alu.MOV.imm(R2, 0), Insn.call(Helper.RINGBUF_SUBMIT));
    }
    // lost: r0 = 1, a failure for the lost-events counter
    g.out.add(Insn.ja(sent));
    g.out.bind(lost).add(Alu.MOV.imm(R0, 1));
    g.countFailure(CompiledScript.LOST_MAP, 0);
    g.out.bind(sent);
    g.frame.release(mark);
  }

  /** {@return whether computing {@code e} runs statements (a macro's) or calls a user function} */
  private static boolean runsCode(TExpr e) {
    if (e instanceof TExpr.Seq || e instanceof TExpr.CallFn) return true;
    for (TExpr c : Trees.children(e)) if (runsCode(c)) return true;
    return false;
  }
}
