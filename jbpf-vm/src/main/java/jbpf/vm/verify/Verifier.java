package jbpf.vm.verify;

import static jbpf.asm.Opcode.*;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.spec.MapType;
import jbpf.vm.Context;
import jbpf.vm.HelperSignature;
import jbpf.vm.HelperSignature.Arg;
import jbpf.vm.Helpers;
import jbpf.vm.RingBuffer;
import jbpf.vm.Vm;
import jbpf.vm.VmMap;
import jbpf.vm.interp.Semantics;
import jbpf.vm.verify.State.Frame;
import jbpf.vm.verify.Val.Kind;
import jbpf.vm.verify.Verification.Access;
import jbpf.vm.verify.Verification.Region;

/**
 * The userspace verifier: proves that a program cannot misbehave, or rejects it with the index of the first
 * instruction found at fault and a plain reason.
 *
 * <p>It first checks every instruction's encoding and every jump target, then interprets the program over
 * abstract values ({@link Val}): each register is uninitialised, a number with an unsigned and a signed range,
 * or a pointer into one region (context, stack frame, map value, ring buffer record) with a range of offsets.
 * States meet where paths join; bounds that keep moving at a join are widened, so loops are analysed to a fixed
 * point rather than unrolled. Loops are allowed: the engines stop a run after {@link Vm#budget()} backward
 * jumps. Function calls are analysed in the caller's context; recursion is rejected.
 *
 * <p>The rules follow the kernel verifier's (kernel/bpf/verifier.c) where they matter for safety: memory is
 * accessed only through pointers whose every possible offset is in bounds, stack bytes are written before they
 * are read, maybe-null pointers are compared with 0 before use, ring buffer records are released exactly once.
 * Division by zero is not an error: RFC 9669 defines its result.
 */
public final class Verifier {
  private static final int MAX_SLOTS = 1_000_000;
  private static final int MAX_FRAMES = 8;
  private static final long MAX_PROCESSED = 2_000_000;
  private static final int WIDEN_AFTER = 3;
  private static final long MAX_SIZE = 1 << 29;

  private final List<Insn> insns;
  private final Context ctx;
  private final Vm vm;
  private final int n;
  private final int[] slot;
  private final int[] target;
  private final boolean[] isJoin;
  private final int[] function;
  private int[] entries;
  private final boolean[] reachable;
  private final Access[] access;
  private final long[] helper;
  private int[] depth;
  private final Map<Integer, Set<Integer>> calls = new HashMap<>();
  private long processed;

  private Verifier(List<Insn> insns, Context ctx, Vm vm) {
    this.insns = insns;
    this.ctx = ctx;
    this.vm = vm;
    this.n = insns.size();
    this.slot = new int[n];
    this.target = new int[n];
    this.isJoin = new boolean[n];
    this.function = new int[n];
    this.reachable = new boolean[n];
    this.access = new Access[n];
    this.helper = new long[n];
    Arrays.fill(target, -1);
    Arrays.fill(helper, -1);
  }

  /**
   * {@return what the verifier proved about {@code insns}, whose map references are descriptors of {@code vm}'s
   * maps}
   *
   * @throws VerifyException naming the instruction and the reason if the program could misbehave
   */
  public static Verification verify(List<Insn> insns, Context ctx, Vm vm) throws VerifyException {
    Verifier v = new Verifier(insns, ctx, vm);
    v.structure();
    State entry = new State(new Frame[] {new Frame(0)});
    entry.regs[1] = Val.pointer(Kind.CTX, 0, 0, 0, 0);
    entry.regs[2] = Val.range(ctx.size(), Long.MAX_VALUE);
    entry.regs[10] = Val.pointer(Kind.STACK, 0, 0, 0, 0);
    v.analyze(entry, 0);
    return v.finish();
  }

  private VerifyException reject(int i, String reason) {
    return new VerifyException(i, i >= 0 && i < n ? insns.get(i) : null, reason);
  }

  // ---- structure -------------------------------------------------------------------------------------------

  private void structure() throws VerifyException {
    if (n == 0) throw reject(-1, "the program is empty");
    int total = 0;
    for (int i = 0; i < n; i++) {
      slot[i] = total;
      total += insns.get(i).slots();
    }
    if (total > MAX_SLOTS) throw reject(-1, "the program has " + total + " instructions, more than " + MAX_SLOTS);
    int[] indexAt = new int[total + 1];
    Arrays.fill(indexAt, -1);
    for (int i = 0; i < n; i++) indexAt[slot[i]] = i;
    TreeSet<Integer> starts = new TreeSet<>(List.of(0));
    for (int i = 0; i < n; i++) {
      Insn insn = insns.get(i);
      checkEncoding(i, insn);
      long delta;
      int code = insn.opcode();
      if (insn.isJump()) delta = code == (JMP32 | JA) ? insn.imm() : insn.off();
      else if (code == (JMP | CALL) && insn.src() == PSEUDO_CALL) delta = insn.imm();
      else continue;
      long to = slot[i] + 1L + delta;
      if (to < 0 || to >= total)
        throw reject(i, "jump out of range: the target slot " + to + " is outside the program's slots 0.." + (total - 1));
      int t = indexAt[(int) to];
      if (t < 0) throw reject(i, "jump into the middle of the wide (lddw) instruction at slot " + (to - 1));
      target[i] = t;
      isJoin[t] = true;
      if (!insn.isJump()) starts.add(t);
    }
    entries = starts.stream().mapToInt(Integer::intValue).toArray();
    depth = new int[entries.length];
    for (int i = 0, f = 0; i < n; i++) {
      if (f + 1 < entries.length && entries[f + 1] == i) f++;
      function[i] = f;
    }
    for (int i = 0; i < n; i++) {
      if (insns.get(i).isJump() && function[target[i]] != function[i])
        throw reject(i, "jump from the function at instruction " + entries[function[i]] + " into the function at instruction "
            + entries[function[target[i]]]);
    }
  }

  private void checkEncoding(int i, Insn insn) throws VerifyException {
    int code = insn.opcode();
    int cls = cls(code), op = op(code);
    boolean x = source(code) == X;
    if (insn.dst() > 10) throw reject(i, "invalid register r" + insn.dst());
    if (insn.src() > 10 && !(cls == LD && code == LDDW)) throw reject(i, "invalid register r" + insn.src());
    String bad = "invalid opcode 0x" + Integer.toHexString(code);
    String reserved = "reserved fields must be zero";
    switch (cls) {
      case ALU, ALU64 -> {
        if (op > END) throw reject(i, bad);
        if (op == END) {
          if (cls == ALU64 && x) throw reject(i, bad);
          if (insn.imm() != 16 && insn.imm() != 32 && insn.imm() != 64) throw reject(i, "byte swap width must be 16, 32 or 64, not " + insn.imm());
          if (insn.src() != 0 || insn.off() != 0) throw reject(i, reserved);
        } else if (op == NEG) {
          if (x) throw reject(i, bad);
          if (insn.src() != 0 || insn.off() != 0 || insn.imm() != 0) throw reject(i, reserved);
        } else {
          if (x ? insn.imm() != 0 : insn.src() != 0) throw reject(i, reserved);
          int off = insn.off();
          boolean okOff = switch (op) {
            case DIV, MOD -> off == 0 || off == 1;
            case MOV -> off == 0 || x && (off == 8 || off == 16 || (off == 32 && cls == ALU64));
            default -> off == 0;
          };
          if (!okOff) throw reject(i, "invalid offset " + off + " for this ALU operation");
        }
        if (insn.dst() == 10) throw reject(i, "r10 (the frame pointer) is read-only");
      }
      case LDX -> {
        int mode = mode(code);
        if (mode != MEM && mode != MEMSX) throw reject(i, bad);
        if (mode == MEMSX && (code & 0x18) == 0x18) throw reject(i, bad + ": there is no sign-extending 64-bit load");
        if (insn.imm() != 0) throw reject(i, reserved);
        if (insn.dst() == 10) throw reject(i, "r10 (the frame pointer) is read-only");
      }
      case ST -> {
        if (mode(code) != MEM) throw reject(i, bad);
        if (insn.src() != 0) throw reject(i, reserved);
      }
      case STX -> {
        if (mode(code) == MEM) {
          if (insn.imm() != 0) throw reject(i, reserved);
        } else if (mode(code) == ATOMIC) {
          int size = code & 0x18;
          if (size != 0x00 && size != 0x18) throw reject(i, "atomic operations are 32 or 64 bits wide");
          int a = (int) insn.imm();
          boolean known = switch (a & ~FETCH) { case ADD, OR, AND, XOR -> true; default -> a == XCHG || a == CMPXCHG; };
          if (!known) throw reject(i, "unknown atomic operation 0x" + Integer.toHexString(a));
        } else {
          throw reject(i, bad);
        }
      }
      case LD -> {
        if (mode(code) == ABS || mode(code) == IND)
          throw reject(i, "legacy packet access (BPF_ABS/BPF_IND) is not supported by the userspace VM");
        if (code != LDDW) throw reject(i, bad);
        switch (insn.src()) {
          case 0, PSEUDO_MAP_FD, PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX, PSEUDO_MAP_IDX_VALUE -> {}
          case PSEUDO_BTF_ID -> throw reject(i, "BTF object references (BPF_PSEUDO_BTF_ID) are not supported by the userspace VM");
          case PSEUDO_FUNC -> throw reject(i, "function references (BPF_PSEUDO_FUNC) are not supported by the userspace VM");
          default -> throw reject(i, "invalid lddw source " + insn.src());
        }
        if (insn.off() != 0) throw reject(i, reserved);
        if (insn.dst() == 10) throw reject(i, "r10 (the frame pointer) is read-only");
      }
      default -> {  // JMP, JMP32
        switch (op) {
          case JA -> {
            if (x || insn.src() != 0 || insn.dst() != 0) throw reject(i, reserved);
            if (cls == JMP ? insn.imm() != 0 : insn.off() != 0) throw reject(i, reserved);
          }
          case CALL -> {
            if (cls != JMP) throw reject(i, bad);
            if (insn.off() != 0) throw reject(i, reserved);
            if (x) {
              if (insn.src() != 0 || insn.imm() != 0) throw reject(i, reserved);
            } else {
              if (insn.dst() != 0) throw reject(i, reserved);
              if (insn.src() == PSEUDO_KFUNC_CALL) throw reject(i, "calls of kernel functions (kfuncs) are not supported by the userspace VM");
              if (insn.src() != 0 && insn.src() != PSEUDO_CALL) throw reject(i, "invalid call source " + insn.src());
            }
          }
          case EXIT -> {
            if (cls != JMP || x || insn.src() != 0 || insn.dst() != 0 || insn.off() != 0 || insn.imm() != 0) throw reject(i, bad);
          }
          case 0xe0, 0xf0 -> throw reject(i, bad);
          default -> {
            if (x ? insn.imm() != 0 : insn.src() != 0) throw reject(i, reserved);
          }
        }
      }
    }
  }

  // ---- abstract interpretation ---------------------------------------------------------------------------

  /** {@return the join of the states at the function's exits, or {@code null} if it never returns} */
  private State analyze(State entry, int entryIndex) throws VerifyException {
    Map<Integer, State> at = new HashMap<>();
    Map<Integer, Integer> visits = new HashMap<>();
    TreeSet<Integer> work = new TreeSet<>();
    at.put(entryIndex, entry);
    work.add(entryIndex);
    State exit = null;
    while (!work.isEmpty()) {
      int start = work.pollFirst();
      State s = at.get(start).copy();
      int i = start;
      boolean first = true;
      walk:
      while (true) {
        if (!first && isJoin[i]) {
          merge(at, visits, work, i, s);
          break;
        }
        first = false;
        if (++processed > MAX_PROCESSED) throw reject(i, "the program is too complex to verify (over " + MAX_PROCESSED + " instructions analysed)");
        reachable[i] = true;
        Insn insn = insns.get(i);
        int cls = insn.cls();
        if (cls == JMP || cls == JMP32) {
          int op = op(insn.opcode());
          if (op == EXIT) {
            if (!s.regs[0].isInit()) throw reject(i, "R0 is not initialised at exit");
            if (s.frames.length == 1 && s.refs.length > 0)
              throw reject(i, "the ring buffer record reserved at instruction " + (s.refs[0] - 1) + " is neither submitted nor discarded");
            exit = exit == null ? s : join(exit, s, false, i);
            break;
          } else if (op == CALL) {
            if (insn.src() == PSEUDO_CALL) {
              if (!callLocal(i, s)) break;
            } else if (source(insn.opcode()) == X) {
              Val r = s.regs[insn.dst()];
              if (!r.isConst()) throw reject(i, "callx needs R" + insn.dst() + " to hold a known helper number, not " + r.describe());
              callHelper(i, s, r.umin());
            } else {
              callHelper(i, s, insn.imm());
            }
          } else if (op == JA) {
            i = target[i];
            continue;
          } else {
            State taken = s.copy();
            boolean[] feasible = branch(i, insn, s, taken);
            if (feasible[0]) merge(at, visits, work, target[i], taken);
            if (!feasible[1]) break;
          }
        } else {
          step(i, insn, s);
        }
        int next = i + 1;
        if (next >= n) throw reject(i, "execution falls off the end of the program; the last instruction must be exit or a jump");
        if (function[next] != function[i]) throw reject(i, "execution falls through into the function at instruction " + next);
        i = next;
      }
    }
    return exit;
  }

  private void merge(Map<Integer, State> at, Map<Integer, Integer> visits, TreeSet<Integer> work, int i, State s) throws VerifyException {
    State old = at.get(i);
    if (old == null) {
      at.put(i, s);
      work.add(i);
      return;
    }
    int v = visits.merge(i, 1, Integer::sum);
    State j = join(old, s, v > WIDEN_AFTER, i);
    if (!j.equals(old)) {
      at.put(i, j);
      work.add(i);
    }
  }

  private State join(State a, State b, boolean widen, int i) throws VerifyException {
    if (!Arrays.equals(a.refs, b.refs)) {
      int[] only = a.refs.length > b.refs.length ? a.refs : b.refs;
      int tag = only.length > 0 ? only[0] : (a.refs.length > 0 ? a.refs[0] : b.refs[0]);
      throw reject(i, "the ring buffer record reserved at instruction " + (tag - 1)
          + " is held on some paths into this instruction and not on others; submit or discard it on every path, and not across a loop");
    }
    if (a.frames.length != b.frames.length) throw new IllegalStateException("joining states of different call depths");
    State j = a.copy();
    for (int r = 0; r < j.regs.length; r++) j.regs[r] = Val.join(a.regs[r], b.regs[r], widen);
    for (int f = 0; f < j.frames.length; f++) {
      Frame fa = a.frames[f], fb = b.frames[f], fj = j.frames[f];
      for (int k = 0; k < fj.spills.length; k++) {
        Val sa = fa.spills[k], sb = fb.spills[k];
        if (sa != null && sb != null) {
          fj.spills[k] = Val.join(sa, sb, widen);
          continue;
        }
        fj.spills[k] = null;
        for (int by = k * 8; by < k * 8 + 8; by++)
          fj.bytes[by] = fa.bytes[by] == State.UNINIT || fb.bytes[by] == State.UNINIT ? State.UNINIT : State.MISC;
      }
    }
    return j;
  }

  // ---- calls -----------------------------------------------------------------------------------------------

  private boolean callLocal(int i, State s) throws VerifyException {
    int callee = function[target[i]];
    if (s.frames.length >= MAX_FRAMES) throw reject(i, "calls nest deeper than " + MAX_FRAMES + " frames");
    for (Frame f : s.frames)
      if (f.function == callee) throw reject(i, "recursive call of the function at instruction " + entries[callee]);
    calls.computeIfAbsent(function[i], k -> new HashSet<>()).add(callee);
    int k = s.frames.length;
    State e = s.copy();
    e.frames = Arrays.copyOf(e.frames, k + 1);
    e.frames[k] = new Frame(callee);
    for (int r = 0; r < 11; r++) if (r < 1 || r > 5) e.regs[r] = Val.NOT_INIT;
    e.regs[10] = Val.pointer(Kind.STACK, k, 0, 0, 0);
    State r = analyze(e, target[i]);
    if (r == null) return false;
    s.frames = Arrays.copyOf(r.frames, k);
    s.refs = r.refs;
    s.regs[0] = r.regs[0];
    for (int a = 1; a <= 5; a++) s.regs[a] = Val.NOT_INIT;
    s.replace(v -> v.kind() == Kind.STACK && v.id() >= k, v -> Val.UNKNOWN);
    return true;
  }

  private void callHelper(int i, State s, long id) throws VerifyException {
    Helpers.Entry h = vm.helpers().get(id);
    if (h == null) {
      Helper known = Helper.byId(id);
      throw reject(i, known != null ? "helper bpf_" + known.kernelName() + "#" + id + " is not available in the userspace VM"
          : "call to unknown helper " + id);
    }
    helper[i] = id;
    HelperSignature sig = h.signature();
    List<Arg> args = sig.args();
    VmMap map = null;
    int mapFd = 0;
    long constSize = -1;
    int release = 0;
    for (int a = 0; a < args.size(); a++) {
      int reg = a + 1;
      Val v = s.regs[reg];
      Arg kind = args.get(a);
      String what = "R" + reg + " (argument " + reg + " of " + sig.name() + ")";
      if (!v.isInit()) throw reject(i, what + " is not initialised");
      switch (kind) {
        case ANYTHING, SIZE -> {}
        case MAP, RINGBUF -> {
          if (v.kind() != Kind.MAP) throw reject(i, what + " must be a map reference, not " + v.describe());
          map = vm.mapByFd(v.id());
          mapFd = v.id();
          if (kind == Arg.RINGBUF && !(map instanceof RingBuffer)) throw reject(i, what + " must be a ring buffer, not " + map);
          if (kind == Arg.MAP && map instanceof RingBuffer) throw reject(i, what + ": " + map + " has no keys or values");
        }
        case MAP_KEY, MAP_VALUE -> {
          if (map == null) throw new IllegalStateException("helper " + sig.name() + " has a key or value argument without a map");
          int size = kind == Arg.MAP_KEY ? map.spec().keySize() : map.spec().valueSize();
          memArg(i, s, reg, size, size, false, what);
        }
        case MEM, UNINIT_MEM -> {
          if (a + 1 >= args.size() || args.get(a + 1) != Arg.SIZE)
            throw new IllegalStateException("helper " + sig.name() + " has a memory argument without a size after it");
          Val size = s.regs[reg + 1];
          String sw = "R" + (reg + 1) + " (the size of " + what + ")";
          if (!size.isScalar()) throw reject(i, sw + " must be a number, not " + size.describe());
          if (Long.compareUnsigned(size.umax(), MAX_SIZE) > 0)
            throw reject(i, sw + " has no upper bound below " + MAX_SIZE + "; compare it with a limit first");
          memArg(i, s, reg, size.umin(), size.umax(), kind == Arg.UNINIT_MEM, what);
        }
        case CONST_SIZE -> {
          if (!v.isConst() || v.umin() == 0 || Long.compareUnsigned(v.umin(), MAX_SIZE) > 0)
            throw reject(i, what + " must be a constant size between 1 and " + MAX_SIZE + ", not " + v.describe());
          constSize = v.umin();
        }
        case RINGBUF_RECORD -> {
          if (v.kind() != Kind.MEM || v.tag() == 0) throw reject(i, what + " must be a record from ringbuf_reserve, not " + v.describe());
          if (v.smin() != 0 || v.smax() != 0) throw reject(i, what + " must point at the start of its record");
          release = v.tag();
        }
      }
    }
    if (release != 0) {
      int tag = release;
      s.release(tag);
      s.replace(v -> v.tag() == tag && (v.kind() == Kind.MEM || v.kind() == Kind.MEM_OR_NULL), v -> Val.UNKNOWN);
    }
    for (int r = 1; r <= 5; r++) s.regs[r] = Val.NOT_INIT;
    int tag = i + 1;
    s.regs[0] = switch (sig.ret()) {
      case INTEGER -> Val.UNKNOWN;
      case MAP_VALUE_OR_NULL -> {
        if (map == null) throw new IllegalStateException("helper " + sig.name() + " returns a map value but takes no map");
        s.replace(v -> v.tag() == tag && v.kind() == Kind.MAP_VALUE_OR_NULL, v -> Val.pointer(v.kind(), v.id(), 0, v.smin(), v.smax()));
        yield Val.pointer(Kind.MAP_VALUE_OR_NULL, mapFd, tag, 0, 0);
      }
      case RINGBUF_RECORD_OR_NULL -> {
        if (constSize < 0) throw new IllegalStateException("helper " + sig.name() + " returns a record but takes no constant size");
        for (int held : s.refs)
          if (held == tag) throw reject(i, "the ring buffer record reserved here is still held when this instruction runs again");
        s.acquire(tag);
        yield Val.pointer(Kind.MEM_OR_NULL, (int) constSize, tag, 0, 0);
      }
    };
  }

  /** Checks that {@code reg} points at {@code maxSize} accessible bytes, initialised unless {@code write}. */
  private void memArg(int i, State s, int reg, long minSize, long maxSize, boolean write, String what) throws VerifyException {
    if (maxSize == 0) return;
    Val p = s.regs[reg];
    Access a = region(i, s, reg, p, 0, maxSize, write, false, what);
    if (a.region() == Region.STACK) {
      Frame f = s.frames[p.id()];
      long lo = p.smin(), hi = p.smax() + maxSize;
      if (!write) {
        requireInit(i, f, lo, hi, s);
      } else {
        killSpills(f, lo, hi);
        if (p.smin() == p.smax()) markInit(f, lo, lo + minSize);
      }
    }
  }

  // ---- instructions ----------------------------------------------------------------------------------------

  private void step(int i, Insn insn, State s) throws VerifyException {
    int code = insn.opcode();
    switch (insn.cls()) {
      case ALU, ALU64 -> alu(i, insn, s);
      case LDX -> {
        int size = Size(code);
        Val loaded = memory(i, s, insn.src(), insn.off(), size, Mode.READ, null);
        if (loaded == null) loaded = mode(code) == MEMSX ? Val.signed(-(1L << (size * 8 - 1)), (1L << (size * 8 - 1)) - 1)
            : size == 8 ? Val.UNKNOWN : Val.range(0, (1L << (size * 8)) - 1);
        s.regs[insn.dst()] = loaded;
      }
      case ST -> {
        int size = Size(code);
        long v = insn.imm();
        memory(i, s, insn.dst(), insn.off(), size, Mode.WRITE, Val.constant(size == 8 ? v : v & ((1L << (size * 8)) - 1)));
      }
      case STX -> {
        int size = Size(code);
        Val src = s.regs[insn.src()];
        if (!src.isInit()) throw reject(i, "R" + insn.src() + " is not initialised");
        if (mode(code) == MEM) {
          memory(i, s, insn.dst(), insn.off(), size, Mode.WRITE, src);
        } else {
          int op = (int) insn.imm();
          if (op == CMPXCHG && !s.regs[0].isInit()) throw reject(i, "R0 (the expected value of cmpxchg) is not initialised");
          memory(i, s, insn.dst(), insn.off(), size, Mode.ATOMIC, null);
          Val old = size == 8 ? Val.UNKNOWN : Val.UNKNOWN32;
          if (op == CMPXCHG) s.regs[0] = old;
          else if ((op & FETCH) != 0) s.regs[insn.src()] = old;
        }
      }
      case LD -> s.regs[insn.dst()] = lddw(i, insn);
      default -> throw new IllegalStateException("unexpected class in step");
    }
  }

  private static int Size(int code) {
    return switch (code & 0x18) { case 0x00 -> 4; case 0x08 -> 2; case 0x10 -> 1; default -> 8; };
  }

  private Val lddw(int i, Insn insn) throws VerifyException {
    long imm = insn.imm();
    return switch (insn.src()) {
      case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> {
        if (vm.mapByFd((int) imm) == null) throw reject(i, "no map with descriptor " + (int) imm + " in this VM");
        yield Val.pointer(Kind.MAP, (int) imm, 0, 0, 0);
      }
      case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> {
        int fd = (int) imm;
        long off = imm >>> 32;
        VmMap map = vm.mapByFd(fd);
        if (map == null) throw reject(i, "no map with descriptor " + fd + " in this VM");
        if (map.spec().type() != MapType.ARRAY) throw reject(i, "a direct map value reference needs an ARRAY map, not " + map);
        if (off >= map.spec().valueSize()) throw reject(i, "offset " + off + " is beyond the " + map.spec().valueSize() + "-byte values of " + map);
        yield Val.pointer(Kind.MAP_VALUE, fd, 0, off, off);
      }
      default -> Val.constant(imm);
    };
  }

  private enum Mode { READ, WRITE, ATOMIC }

  /**
   * Checks a load, store or atomic operation of {@code size} bytes at {@code reg + off}, updates what is known
   * about the stack, and {@return the value loaded from a spilled register, or {@code null}}.
   */
  private Val memory(int i, State s, int reg, int off, int size, Mode mode, Val stored) throws VerifyException {
    Val p = s.regs[reg];
    String what = "R" + reg;
    Access a = region(i, s, reg, p, off, size, mode != Mode.READ, mode == Mode.ATOMIC, what);
    Access old = access[i];
    access[i] = old == null || old.equals(a) ? a : new Access(Region.GENERIC, 0);
    if (a.region() != Region.STACK) return null;
    Frame f = s.frames[p.id()];
    long lo = p.smin() + off, hi = p.smax() + off + size;
    boolean exact = p.smin() == p.smax();
    if (mode != Mode.WRITE) requireInit(i, f, lo, hi, s);
    if (mode == Mode.READ) {
      int k = (int) ((lo + State.STACK) / 8);
      if (exact && size == 8 && (lo & 7) == 0 && f.spills[k] != null) return f.spills[k];
      return null;
    }
    if (!exact) {
      killSpills(f, lo, hi);
      return null;
    }
    if (mode == Mode.WRITE && size == 8 && (lo & 7) == 0) {
      int k = (int) ((lo + State.STACK) / 8);
      f.spills[k] = stored;
      Arrays.fill(f.bytes, k * 8, k * 8 + 8, State.SPILL);
      return null;
    }
    killSpills(f, lo, hi);
    markInit(f, lo, hi);
    return null;
  }

  /** Checks that offsets {@code p + off .. p + off + size} lie in the pointed-at region; {@return the region} */
  private Access region(int i, State s, int reg, Val p, long off, long size, boolean write, boolean atomic, String what) throws VerifyException {
    switch (p.kind()) {
      case NOT_INIT -> throw reject(i, what + " is not initialised");
      case SCALAR -> throw reject(i, what + " is " + p.describe() + ", not a pointer");
      case MAP_VALUE_OR_NULL, MEM_OR_NULL -> throw reject(i, what + " may be NULL; compare it with 0 before using it");
      case MAP -> throw reject(i, what + " is a map reference, not a pointer to memory; use map_lookup_elem");
      default -> {}
    }
    if (!p.bounded()) throw reject(i, what + " is " + p.describe() + " with an unbounded offset; compare the offset with a limit first");
    long lo = p.smin() + off, hi = p.smax() + off + size;
    String range = p.smin() == p.smax() ? "bytes " + lo + ".." + (hi - 1) : "bytes " + lo + ".." + (hi - 1) + " (variable offset)";
    Access result;
    switch (p.kind()) {
      case CTX -> {
        if (lo < 0 || hi > ctx.size()) throw reject(i, "invalid context access: " + range + ", the context has " + ctx.size() + " bytes");
        if (write && !ctx.writable()) throw reject(i, "the context is read-only");
        if (atomic) throw reject(i, "atomic operations on the context are not supported; use the stack or a map value");
        result = new Access(Region.CTX, 0);
      }
      case STACK -> {
        if (lo < -State.STACK || hi > 0)
          throw reject(i, "invalid stack access: bytes fp" + lo + "..fp" + (hi - 1) + (p.smin() == p.smax() ? "" : " (variable offset)")
              + ", the stack frame is fp-512..fp-1");
        Frame f = s.frames[p.id()];
        depth[f.function] = (int) Math.max(depth[f.function], -lo);
        result = new Access(Region.STACK, 0);
      }
      case MAP_VALUE -> {
        VmMap map = vm.mapByFd(p.id());
        if (lo < 0 || hi > map.spec().valueSize())
          throw reject(i, "invalid access to a value of " + map + ": " + range + ", values have " + map.spec().valueSize() + " bytes");
        result = new Access(Region.MAP_VALUE, p.id());
      }
      case MEM -> {
        if (lo < 0 || hi > p.id()) throw reject(i, "invalid ring buffer record access: " + range + ", the record has " + p.id() + " bytes");
        result = new Access(Region.GENERIC, 0);
      }
      default -> throw new IllegalStateException("unexpected pointer kind " + p.kind());
    }
    if (atomic) {
      if (p.smin() != p.smax()) throw reject(i, "atomic operations need a constant offset");
      if (Math.floorMod(lo, size) != 0) throw reject(i, "misaligned atomic access: offset " + lo + " is not a multiple of " + size);
    }
    return result;
  }

  private void requireInit(int i, Frame f, long lo, long hi, State s) throws VerifyException {
    for (long b = lo; b < hi; b++) {
      if (f.bytes[(int) (b + State.STACK)] == State.UNINIT) {
        String whose = f == s.frame() ? "" : " in a caller's frame";
        throw reject(i, "read of uninitialised stack at fp" + b + whose);
      }
    }
  }

  private static void killSpills(Frame f, long lo, long hi) {
    for (long k = (lo + State.STACK) / 8; k <= (hi - 1 + State.STACK) / 8; k++) {
      if (f.spills[(int) k] != null) {
        f.spills[(int) k] = null;
        Arrays.fill(f.bytes, (int) k * 8, (int) k * 8 + 8, State.MISC);
      }
    }
  }

  private static void markInit(Frame f, long lo, long hi) {
    for (long b = lo; b < hi; b++) f.bytes[(int) (b + State.STACK)] = State.MISC;
  }

  // ---- ALU -------------------------------------------------------------------------------------------------

  private void alu(int i, Insn insn, State s) throws VerifyException {
    int code = insn.opcode();
    int op = op(code);
    boolean is64 = insn.cls() == ALU64;
    Val a = s.regs[insn.dst()];
    if (op != MOV && !a.isInit()) throw reject(i, "R" + insn.dst() + " is not initialised");
    Val b = null;
    if (op != NEG && op != END) {
      if (source(code) == X) {
        b = s.regs[insn.src()];
        if (!b.isInit()) throw reject(i, "R" + insn.src() + " is not initialised");
      } else {
        b = Val.constant(is64 ? insn.imm() : insn.imm() & 0xffff_ffffL);
      }
    }
    s.regs[insn.dst()] = aluResult(insn, is64, op, a, b);
  }

  private static Val aluResult(Insn insn, boolean is64, int op, Val a, Val b) {
    int off = insn.off();
    if (op == MOV) {
      if (b.isConst()) return Val.constant(Semantics.alu(insn.opcode(), off, insn.imm(), 0, b.umin()));
      if (!b.isScalar()) return is64 && off == 0 ? b : is64 ? Val.UNKNOWN : Val.UNKNOWN32;
      if (off == 0) return is64 ? b : trunc32(b);
      long half = 1L << (off - 1);
      if (Long.compareUnsigned(b.umax(), half - 1) <= 0) return b;
      return is64 ? Val.signed(-half, half - 1) : Val.UNKNOWN32;
    }
    if (a.isPointer() || (b != null && b.isPointer())) {
      if (is64 && op == ADD) {
        if (a.isPointer() && b.isScalar() && arithmetic(a)) return a.offsetBy(b.smin(), b.smax());
        if (a.isScalar() && b.isPointer() && arithmetic(b)) return b.offsetBy(a.smin(), a.smax());
      }
      if (is64 && op == SUB) {
        if (a.isPointer() && b.isScalar() && arithmetic(a)) {
          if (b.smin() == Long.MIN_VALUE) return a.offsetBy(Long.MIN_VALUE, Long.MAX_VALUE);
          return a.offsetBy(-b.smax(), -b.smin());
        }
        if (a.isPointer() && b.isPointer() && a.kind() == b.kind() && a.id() == b.id() && a.bounded() && b.bounded())
          return Val.signed(a.smin() - b.smax(), a.smax() - b.smin());
      }
      return is64 ? Val.UNKNOWN : Val.UNKNOWN32;
    }
    if (a.isConst() && (b == null || b.isConst()))
      return Val.constant(Semantics.alu(insn.opcode(), off, insn.imm(), a.umin(), b == null ? 0 : b.umin()));
    return is64 ? range64(op, off, insn.imm(), a, b) : range32(insn, op, off, a, b);
  }

  private static boolean arithmetic(Val p) {
    return p.kind() == Kind.CTX || p.kind() == Kind.STACK || p.kind() == Kind.MAP_VALUE || p.kind() == Kind.MEM;
  }

  private static Val or(Val v) { return v == null ? Val.UNKNOWN : v; }

  private static boolean ule(long a, long b) { return Long.compareUnsigned(a, b) <= 0; }

  private static long maxU(long a, long b) { return ule(a, b) ? b : a; }

  private static long minU(long a, long b) { return ule(a, b) ? a : b; }

  private static long orBound(long x) {
    if (x == 0) return 0;
    long hb = Long.highestOneBit(x);
    return hb < 0 ? -1 : (hb << 1) - 1;
  }

  private static Val range64(int op, int off, long imm, Val a, Val b) {
    switch (op) {
      case ADD -> {
        long smin, smax;
        try {
          smin = Math.addExact(a.smin(), b.smin());
          smax = Math.addExact(a.smax(), b.smax());
        } catch (ArithmeticException e) {
          smin = Long.MIN_VALUE;
          smax = Long.MAX_VALUE;
        }
        long umax = a.umax() + b.umax();
        boolean uOverflow = Long.compareUnsigned(umax, a.umax()) < 0;
        return or(uOverflow ? Val.signed(smin, smax) : Val.scalar(a.umin() + b.umin(), umax, smin, smax));
      }
      case SUB -> {
        long smin, smax;
        try {
          smin = Math.subtractExact(a.smin(), b.smax());
          smax = Math.subtractExact(a.smax(), b.smin());
        } catch (ArithmeticException e) {
          smin = Long.MIN_VALUE;
          smax = Long.MAX_VALUE;
        }
        if (ule(b.umax(), a.umin())) return or(Val.scalar(a.umin() - b.umax(), a.umax() - b.umin(), smin, smax));
        return or(Val.signed(smin, smax));
      }
      case MUL -> {
        if (ule(a.umax(), 0xffff_ffffL) && ule(b.umax(), 0xffff_ffffL)) return or(Val.range(a.umin() * b.umin(), a.umax() * b.umax()));
        return Val.UNKNOWN;
      }
      case DIV -> {
        if (off == 1) return Val.UNKNOWN;
        if (b.isConst()) return b.umin() == 0 ? Val.constant(0)
            : or(Val.range(Long.divideUnsigned(a.umin(), b.umin()), Long.divideUnsigned(a.umax(), b.umin())));
        if (b.umin() != 0) return or(Val.range(Long.divideUnsigned(a.umin(), b.umax()), Long.divideUnsigned(a.umax(), b.umin())));
        return or(Val.range(0, a.umax()));
      }
      case MOD -> {
        if (off == 1) return Val.UNKNOWN;
        if (b.umin() != 0) return or(Val.range(0, minU(a.umax(), b.umax() - 1)));
        return or(Val.range(0, a.umax()));
      }
      case AND -> { return or(Val.range(0, minU(a.umax(), b.umax()))); }
      case OR -> { return or(Val.range(maxU(a.umin(), b.umin()), orBound(maxU(a.umax(), b.umax())))); }
      case XOR -> { return or(Val.range(0, orBound(maxU(a.umax(), b.umax())))); }
      case LSH -> {
        if (!b.isConst()) return Val.UNKNOWN;
        int k = (int) (b.umin() & 63);
        if (ule(a.umax(), -1L >>> k)) return or(Val.range(a.umin() << k, a.umax() << k));
        return Val.UNKNOWN;
      }
      case RSH -> {
        if (!b.isConst()) return or(Val.range(0, a.umax()));
        int k = (int) (b.umin() & 63);
        return or(Val.range(a.umin() >>> k, a.umax() >>> k));
      }
      case ARSH -> {
        if (b.isConst()) {
          int k = (int) (b.umin() & 63);
          return or(Val.signed(a.smin() >> k, a.smax() >> k));
        }
        return or(Val.signed(Math.min(a.smin(), 0), Math.max(a.smax(), -1)));
      }
      case NEG -> { return a.smin() == Long.MIN_VALUE ? Val.UNKNOWN : or(Val.signed(-a.smax(), -a.smin())); }
      case END -> {
        return imm == 16 ? Val.range(0, 0xffff) : imm == 32 ? Val.UNKNOWN32 : Val.UNKNOWN;
      }
      default -> { return Val.UNKNOWN; }
    }
  }

  private static Val low32(Val v) {
    if (ule(v.umax(), 0xffff_ffffL)) return v;
    if (v.isConst()) return Val.constant(v.umin() & 0xffff_ffffL);
    return Val.UNKNOWN32;
  }

  private static Val trunc32(Val r) { return r.isScalar() && ule(r.umax(), 0xffff_ffffL) ? r : Val.UNKNOWN32; }

  private static Val range32(Insn insn, int op, int off, Val a, Val b) {
    Val x = low32(a);
    Val y = b == null ? null : low32(b);
    return switch (op) {
      case ADD, SUB, MUL, AND, OR, XOR -> trunc32(range64(op, 0, 0, x, y));
      case LSH -> y.isConst() ? trunc32(range64(LSH, 0, 0, x, Val.constant(y.umin() & 31))) : Val.UNKNOWN32;
      case RSH -> y.isConst() ? range64(RSH, 0, 0, x, Val.constant(y.umin() & 31)) : or(Val.range(0, x.umax()));
      case ARSH -> ule(x.umax(), 0x7fff_ffffL) && y.isConst() ? range64(RSH, 0, 0, x, Val.constant(y.umin() & 31)) : Val.UNKNOWN32;
      case DIV, MOD -> off == 1 ? Val.UNKNOWN32 : trunc32(range64(op, 0, 0, x, y));
      case END -> {
        boolean be = source(insn.opcode()) == TO_BE;
        long w = insn.imm();
        if (w == 16) yield be || !ule(a.umax(), 0xffff) ? Val.range(0, 0xffff) : a;
        if (w == 32) yield be ? Val.UNKNOWN32 : trunc32(a);
        yield be ? Val.UNKNOWN : a;
      }
      default -> Val.UNKNOWN32;
    };
  }

  // ---- branches --------------------------------------------------------------------------------------------

  private enum Cond { EQ, NE, GT, GE, LT, LE, SGT, SGE, SLT, SLE, SET, NSET;
    Cond negate() {
      return switch (this) {
        case EQ -> NE; case NE -> EQ; case GT -> LE; case LE -> GT; case GE -> LT; case LT -> GE;
        case SGT -> SLE; case SLE -> SGT; case SGE -> SLT; case SLT -> SGE; case SET -> NSET; case NSET -> SET;
      };
    }
  }

  private static Cond cond(int op) {
    return switch (op) {
      case JEQ -> Cond.EQ; case JNE -> Cond.NE; case JGT -> Cond.GT; case JGE -> Cond.GE; case JLT -> Cond.LT;
      case JLE -> Cond.LE; case JSGT -> Cond.SGT; case JSGE -> Cond.SGE; case JSLT -> Cond.SLT; case JSLE -> Cond.SLE;
      default -> Cond.SET;
    };
  }

  /** Refines {@code fall} and {@code taken} for a conditional jump; {@return {taken feasible, fall-through feasible}} */
  private boolean[] branch(int i, Insn insn, State fall, State taken) throws VerifyException {
    int code = insn.opcode();
    boolean x = source(code) == X;
    boolean is32 = insn.cls() == JMP32;
    int dst = insn.dst(), src = insn.src();
    Val a = fall.regs[dst];
    if (!a.isInit()) throw reject(i, "R" + dst + " is not initialised");
    Val b = x ? fall.regs[src] : is32 ? Val.constant(insn.imm() & 0xffff_ffffL) : Val.constant(insn.imm());
    if (!b.isInit()) throw reject(i, "R" + src + " is not initialised");
    int op = op(code);
    if (!is32 && (op == JEQ || op == JNE)) {
      int reg = -1;
      if (a.isNullable() && b.isConst() && b.umin() == 0) reg = dst;
      else if (x && b.isNullable() && a.isConst() && a.umin() == 0) reg = src;
      if (reg >= 0) {
        State isNull = op == JEQ ? taken : fall, notNull = op == JEQ ? fall : taken;
        Val p = fall.regs[reg];
        nullCheck(isNull, reg, p, true);
        nullCheck(notNull, reg, p, false);
        return new boolean[] {true, true};
      }
    }
    if (a.isPointer() || b.isPointer()) return new boolean[] {true, true};
    if (is32) {
      if (a.isConst() && b.isConst()) {
        boolean t = Semantics.cond(code, a.umin(), b.umin());
        return new boolean[] {t, !t};
      }
      if (!ule(a.umax(), 0x7fff_ffffL) || !ule(b.umax(), 0x7fff_ffffL)) return new boolean[] {true, true};
    }
    Cond c = cond(op);
    Val[] t = refine(c, a, b);
    Val[] f = refine(c.negate(), a, b);
    if (dst != src || !x) {
      if (t != null) {
        taken.regs[dst] = t[0];
        if (x) taken.regs[src] = t[1];
      }
      if (f != null) {
        fall.regs[dst] = f[0];
        if (x) fall.regs[src] = f[1];
      }
    }
    return new boolean[] {t != null, f != null};
  }

  private static void nullCheck(State s, int reg, Val p, boolean isNull) {
    int tag = p.tag();
    java.util.function.UnaryOperator<Val> to = v -> isNull ? Val.constant(0)
        : Val.pointer(v.kind() == Kind.MEM_OR_NULL ? Kind.MEM : Kind.MAP_VALUE, v.id(), v.tag(), v.smin(), v.smax());
    if (tag == 0) {
      s.regs[reg] = to.apply(p);
      return;
    }
    s.replace(v -> v.isNullable() && v.tag() == tag, to);
    if (isNull && p.kind() == Kind.MEM_OR_NULL) s.release(tag);
  }

  private static Val withU(Val v, long umin, long umax) { return Val.scalar(umin, umax, v.smin(), v.smax()); }

  private static Val withS(Val v, long smin, long smax) { return Val.scalar(v.umin(), v.umax(), smin, smax); }

  /** {@return {@code a} and {@code b} narrowed to values where {@code a c b} holds, or {@code null} if none do} */
  private static Val[] refine(Cond c, Val a, Val b) {
    switch (c) {
      case EQ -> {
        Val v = Val.scalar(maxU(a.umin(), b.umin()), minU(a.umax(), b.umax()), Math.max(a.smin(), b.smin()), Math.min(a.smax(), b.smax()));
        return v == null ? null : new Val[] {v, v};
      }
      case NE -> {
        if (a.isConst() && b.isConst()) return a.umin() == b.umin() ? null : new Val[] {a, b};
        return new Val[] {b.isConst() ? exclude(a, b.umin()) : a, a.isConst() ? exclude(b, a.umin()) : b};
      }
      case GT -> {
        if (b.umin() == -1 || a.umax() == 0) return null;
        Val na = withU(a, maxU(a.umin(), b.umin() + 1), a.umax());
        Val nb = withU(b, b.umin(), minU(b.umax(), a.umax() - 1));
        return na == null || nb == null ? null : new Val[] {na, nb};
      }
      case GE -> {
        Val na = withU(a, maxU(a.umin(), b.umin()), a.umax());
        Val nb = withU(b, b.umin(), minU(b.umax(), a.umax()));
        return na == null || nb == null ? null : new Val[] {na, nb};
      }
      case LT, LE, SLT, SLE -> {
        Cond swapped = switch (c) { case LT -> Cond.GT; case LE -> Cond.GE; case SLT -> Cond.SGT; default -> Cond.SGE; };
        Val[] r = refine(swapped, b, a);
        return r == null ? null : new Val[] {r[1], r[0]};
      }
      case SGT -> {
        if (b.smin() == Long.MAX_VALUE || a.smax() == Long.MIN_VALUE) return null;
        Val na = withS(a, Math.max(a.smin(), b.smin() + 1), a.smax());
        Val nb = withS(b, b.smin(), Math.min(b.smax(), a.smax() - 1));
        return na == null || nb == null ? null : new Val[] {na, nb};
      }
      case SGE -> {
        Val na = withS(a, Math.max(a.smin(), b.smin()), a.smax());
        Val nb = withS(b, b.smin(), Math.min(b.smax(), a.smax()));
        return na == null || nb == null ? null : new Val[] {na, nb};
      }
      case SET -> {
        if (a.isConst() && b.isConst()) return (a.umin() & b.umin()) != 0 ? new Val[] {a, b} : null;
        if (a.isConst() && a.umin() == 0 || b.isConst() && b.umin() == 0) return null;
        return new Val[] {a, b};
      }
      case NSET -> {
        if (a.isConst() && b.isConst()) return (a.umin() & b.umin()) == 0 ? new Val[] {a, b} : null;
        return new Val[] {a, b};
      }
    }
    throw new IllegalStateException("unreachable condition " + c);
  }

  /** {@return {@code v} without the value {@code k} when {@code k} is one of its range ends} */
  private static Val exclude(Val v, long k) {
    long umin = v.umin(), umax = v.umax(), smin = v.smin(), smax = v.smax();
    if (umin == k && umin != umax) umin++;
    else if (umax == k && umin != umax) umax--;
    if (smin == k && smin != smax) smin++;
    else if (smax == k && smin != smax) smax--;
    Val r = Val.scalar(umin, umax, smin, smax);
    return r == null ? v : r;
  }

  // ---- result ----------------------------------------------------------------------------------------------

  private Verification finish() throws VerifyException {
    int[] frameSize = new int[entries.length];
    for (int f = 0; f < entries.length; f++) frameSize[f] = (depth[f] + 7) & ~7;
    int stack = chain(0, frameSize, new HashMap<>());
    if (stack > State.STACK)
      throw reject(-1, "the deepest call chain needs " + stack + " bytes of stack, more than " + State.STACK);
    return new Verification(insns, ctx, slot, target, reachable, access, function, entries, frameSize, stack, helper);
  }

  private int chain(int f, int[] frameSize, Map<Integer, Integer> memo) {
    Integer known = memo.get(f);
    if (known != null) return known;
    int deepest = 0;
    for (int callee : calls.getOrDefault(f, Set.of())) deepest = Math.max(deepest, chain(callee, frameSize, memo));
    int total = frameSize[f] + deepest;
    memo.put(f, total);
    return total;
  }

}
