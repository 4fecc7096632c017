package jbpf.vm.interp;

import static jbpf.asm.Opcode.*;

import java.lang.foreign.MemorySegment;
import java.util.List;
import jbpf.asm.Insn;
import jbpf.vm.Context;
import jbpf.vm.Engine;
import jbpf.vm.HelperFunction;
import jbpf.vm.Helpers;
import jbpf.vm.Machine;
import jbpf.vm.Vm;
import jbpf.vm.VmFault;
import jbpf.vm.VmProgram;
import jbpf.vm.verify.Verification;

/**
 * Runs a verified program one instruction at a time. Instructions are decoded once into parallel arrays, jump
 * targets into instruction indexes and {@code lddw} map references into VM addresses; the loop is one switch
 * on the opcode. Memory goes through {@link Machine}, which checks every access again.
 */
public final class Interpreter implements Engine {
  private static final int MAX_DEPTH = 8;
  private static final MemorySegment NO_STACK = MemorySegment.ofArray(new long[0]);

  private final Vm vm;
  private final Context context;
  private final int stackSize;
  private final int[] op, dst, src, off, target, frameSize;
  private final long[] imm;
  private final HelperFunction[] helpers;
  private final String[] helperNames;
  private final boolean calls;

  /** Decodes {@code program}. */
  public Interpreter(VmProgram program) {
    Verification v = program.verification();
    this.vm = program.vm();
    this.context = program.context();
    this.stackSize = v.stackSize();
    List<Insn> insns = v.insns();
    int n = insns.size();
    op = new int[n];
    dst = new int[n];
    src = new int[n];
    off = new int[n];
    target = new int[n];
    frameSize = new int[n];
    imm = new long[n];
    helpers = new HelperFunction[n];
    helperNames = new String[n];
    this.calls = v.functions() > 1;
    for (int i = 0; i < n; i++) {
      Insn insn = insns.get(i);
      op[i] = insn.opcode();
      dst[i] = insn.dst();
      src[i] = insn.src();
      off[i] = insn.off();
      imm[i] = insn.imm();
      target[i] = v.target(i);
      frameSize[i] = v.frameSize(v.function(i));
      if (insn.opcode() == LDDW) imm[i] = lddwValue(insn);
      if (insn.opcode() == (JMP | CALL) && insn.src() == 0 && v.reachable(i)) {
        Helpers.Entry h = vm.helpers().get(insn.imm());
        helpers[i] = h.function();
        helperNames[i] = h.signature().name();
      }
    }
  }

  /** {@return the value {@code lddw} loads: the constant, or the VM address of a map or map value} */
  public static long lddwValue(Insn insn) {
    return switch (insn.src()) {
      case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> (insn.imm() & 0xffff_ffffL) + 2 << 32;
      case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> (((insn.imm() & 0xffff_ffffL) + 2) << 32) + (insn.imm() >>> 32);
      default -> insn.imm();
    };
  }

  /** {@return the machine for a run on {@code ctx}, after checking {@code ctx} fits the verified context} */
  public static Machine prepare(Vm vm, Context context, int stackSize, MemorySegment ctx) {
    if (ctx.byteSize() < context.size())
      throw new VmFault(VmFault.Kind.CONTEXT, "the context has " + ctx.byteSize() + " bytes; the program was verified for " + context.size());
    if (context.writable() && ctx.isReadOnly())
      throw new VmFault(VmFault.Kind.CONTEXT, "the context segment is read-only; the program was verified to write it");
    MemorySegment stack = stackSize == 0 ? NO_STACK : MemorySegment.ofArray(new long[stackSize / 8]);
    return new Machine(vm, ctx, context.writable(), stack);
  }

  /** {@return r0 of {@code f(m, r1..r5)}}, turning an unexpected exception of a helper into a {@link VmFault}. */
  public static long callHelper(HelperFunction f, String name, Machine m, long r1, long r2, long r3, long r4, long r5) {
    try {
      return f.call(m, r1, r2, r3, r4, r5);
    } catch (VmFault e) {
      throw e;
    } catch (RuntimeException e) {
      throw new VmFault(VmFault.Kind.HELPER, "helper " + name + " failed: " + e.getMessage(), e);
    }
  }

  @Override public long run(MemorySegment ctx) {
    return exec(prepare(vm, context, stackSize, ctx), ctx.byteSize());
  }

  private int jump(Machine m, int pc) {
    int t = target[pc];
    if (t <= pc) m.backEdge(pc);
    return t;
  }

  private long exec(Machine m, long len) {
    final int[] op = this.op, dst = this.dst, src = this.src, off = this.off;
    final long[] imm = this.imm;
    long[] r = new long[11];
    r[1] = Machine.CTX_BASE;
    r[2] = len;
    r[10] = Machine.STACK_BASE + stackSize;
    int[] returnTo = calls ? new int[MAX_DEPTH] : null;
    long[] saved = calls ? new long[MAX_DEPTH * 5] : null;
    int depth = 0;
    int pc = 0;
    while (true) {
      switch (op[pc]) {
        case 0x07 -> r[dst[pc]] = r[dst[pc]] + imm[pc];
        case 0x0f -> r[dst[pc]] = r[dst[pc]] + r[src[pc]];
        case 0x17 -> r[dst[pc]] = r[dst[pc]] - imm[pc];
        case 0x1f -> r[dst[pc]] = r[dst[pc]] - r[src[pc]];
        case 0x27 -> r[dst[pc]] = r[dst[pc]] * imm[pc];
        case 0x2f -> r[dst[pc]] = r[dst[pc]] * r[src[pc]];
        case 0x47 -> r[dst[pc]] = r[dst[pc]] | imm[pc];
        case 0x4f -> r[dst[pc]] = r[dst[pc]] | r[src[pc]];
        case 0x57 -> r[dst[pc]] = r[dst[pc]] & imm[pc];
        case 0x5f -> r[dst[pc]] = r[dst[pc]] & r[src[pc]];
        case 0x67 -> r[dst[pc]] = r[dst[pc]] << imm[pc];
        case 0x6f -> r[dst[pc]] = r[dst[pc]] << r[src[pc]];
        case 0x77 -> r[dst[pc]] = r[dst[pc]] >>> imm[pc];
        case 0x7f -> r[dst[pc]] = r[dst[pc]] >>> r[src[pc]];
        case 0xa7 -> r[dst[pc]] = r[dst[pc]] ^ imm[pc];
        case 0xaf -> r[dst[pc]] = r[dst[pc]] ^ r[src[pc]];
        case 0xc7 -> r[dst[pc]] = r[dst[pc]] >> imm[pc];
        case 0xcf -> r[dst[pc]] = r[dst[pc]] >> r[src[pc]];
        case 0x04 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] + (int) imm[pc]);
        case 0x0c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] + (int) r[src[pc]]);
        case 0x14 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] - (int) imm[pc]);
        case 0x1c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] - (int) r[src[pc]]);
        case 0x24 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] * (int) imm[pc]);
        case 0x2c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] * (int) r[src[pc]]);
        case 0x44 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] | (int) imm[pc]);
        case 0x4c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] | (int) r[src[pc]]);
        case 0x54 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] & (int) imm[pc]);
        case 0x5c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] & (int) r[src[pc]]);
        case 0x64 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] << (int) imm[pc]);
        case 0x6c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] << (int) r[src[pc]]);
        case 0x74 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] >>> (int) imm[pc]);
        case 0x7c -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] >>> (int) r[src[pc]]);
        case 0xa4 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] ^ (int) imm[pc]);
        case 0xac -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] ^ (int) r[src[pc]]);
        case 0xc4 -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] >> (int) imm[pc]);
        case 0xcc -> r[dst[pc]] = Integer.toUnsignedLong((int) r[dst[pc]] >> (int) r[src[pc]]);        case 0x37 -> r[dst[pc]] = Semantics.alu(op[pc], off[pc], 0, r[dst[pc]], imm[pc]);
        case 0x3f -> r[dst[pc]] = Semantics.alu(op[pc], off[pc], 0, r[dst[pc]], r[src[pc]]);
        case 0x97 -> r[dst[pc]] = Semantics.alu(op[pc], off[pc], 0, r[dst[pc]], imm[pc]);
        case 0x9f -> r[dst[pc]] = Semantics.alu(op[pc], off[pc], 0, r[dst[pc]], r[src[pc]]);
        case 0x34, 0x94 -> r[dst[pc]] = Semantics.alu(op[pc], off[pc], 0, r[dst[pc]], imm[pc] & 0xffff_ffffL);
        case 0x3c, 0x9c -> r[dst[pc]] = Semantics.alu(op[pc], off[pc], 0, r[dst[pc]], r[src[pc]]);
        case 0x87 -> r[dst[pc]] = -r[dst[pc]];
        case 0x84 -> r[dst[pc]] = Integer.toUnsignedLong(-(int) r[dst[pc]]);
        case 0xb7 -> r[dst[pc]] = imm[pc];
        case 0xbf -> {
          long v = r[src[pc]];
          r[dst[pc]] = switch (off[pc]) { case 8 -> (byte) v; case 16 -> (short) v; case 32 -> (int) v; default -> v; };
        }
        case 0xb4 -> r[dst[pc]] = imm[pc] & 0xffff_ffffL;
        case 0xbc -> {
          int v = (int) r[src[pc]];
          r[dst[pc]] = Integer.toUnsignedLong(switch (off[pc]) { case 8 -> (byte) v; case 16 -> (short) v; default -> v; });
        }
        case 0xd4, 0xdc, 0xd7 -> r[dst[pc]] = Semantics.alu(op[pc], 0, imm[pc], r[dst[pc]], 0);
        case 0x61 -> r[dst[pc]] = m.load(r[src[pc]] + off[pc], 4);
        case 0x69 -> r[dst[pc]] = m.load(r[src[pc]] + off[pc], 2);
        case 0x71 -> r[dst[pc]] = m.load(r[src[pc]] + off[pc], 1);
        case 0x79 -> r[dst[pc]] = m.load(r[src[pc]] + off[pc], 8);
        case 0x81 -> r[dst[pc]] = m.loadSigned(r[src[pc]] + off[pc], 4);
        case 0x89 -> r[dst[pc]] = m.loadSigned(r[src[pc]] + off[pc], 2);
        case 0x91 -> r[dst[pc]] = m.loadSigned(r[src[pc]] + off[pc], 1);
        case 0x62 -> m.store(r[dst[pc]] + off[pc], 4, imm[pc]);
        case 0x6a -> m.store(r[dst[pc]] + off[pc], 2, imm[pc]);
        case 0x72 -> m.store(r[dst[pc]] + off[pc], 1, imm[pc]);
        case 0x7a -> m.store(r[dst[pc]] + off[pc], 8, imm[pc]);
        case 0x63 -> m.store(r[dst[pc]] + off[pc], 4, r[src[pc]]);
        case 0x6b -> m.store(r[dst[pc]] + off[pc], 2, r[src[pc]]);
        case 0x73 -> m.store(r[dst[pc]] + off[pc], 1, r[src[pc]]);
        case 0x7b -> m.store(r[dst[pc]] + off[pc], 8, r[src[pc]]);
        case 0xc3, 0xdb -> {
          int a = (int) imm[pc];
          int size = op[pc] == 0xdb ? 8 : 4;
          long old = m.atomic(r[dst[pc]] + off[pc], size, a, r[src[pc]], r[0]);
          if (a == CMPXCHG) r[0] = old;
          else if ((a & FETCH) != 0) r[src[pc]] = old;
        }
        case 0x18 -> r[dst[pc]] = imm[pc];
        case 0x15 -> { if (r[dst[pc]] == imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x1d -> { if (r[dst[pc]] == r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x16 -> { if ((int) r[dst[pc]] == (int) imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x1e -> { if ((int) r[dst[pc]] == (int) r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x25 -> { if (Long.compareUnsigned(r[dst[pc]], imm[pc]) > 0) { pc = jump(m, pc); continue; } }
        case 0x2d -> { if (Long.compareUnsigned(r[dst[pc]], r[src[pc]]) > 0) { pc = jump(m, pc); continue; } }
        case 0x26 -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) imm[pc]) > 0) { pc = jump(m, pc); continue; } }
        case 0x2e -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) r[src[pc]]) > 0) { pc = jump(m, pc); continue; } }
        case 0x35 -> { if (Long.compareUnsigned(r[dst[pc]], imm[pc]) >= 0) { pc = jump(m, pc); continue; } }
        case 0x3d -> { if (Long.compareUnsigned(r[dst[pc]], r[src[pc]]) >= 0) { pc = jump(m, pc); continue; } }
        case 0x36 -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) imm[pc]) >= 0) { pc = jump(m, pc); continue; } }
        case 0x3e -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) r[src[pc]]) >= 0) { pc = jump(m, pc); continue; } }
        case 0x45 -> { if ((r[dst[pc]] & imm[pc]) != 0) { pc = jump(m, pc); continue; } }
        case 0x4d -> { if ((r[dst[pc]] & r[src[pc]]) != 0) { pc = jump(m, pc); continue; } }
        case 0x46 -> { if (((int) r[dst[pc]] & (int) imm[pc]) != 0) { pc = jump(m, pc); continue; } }
        case 0x4e -> { if (((int) r[dst[pc]] & (int) r[src[pc]]) != 0) { pc = jump(m, pc); continue; } }
        case 0x55 -> { if (r[dst[pc]] != imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x5d -> { if (r[dst[pc]] != r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x56 -> { if ((int) r[dst[pc]] != (int) imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x5e -> { if ((int) r[dst[pc]] != (int) r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x65 -> { if (r[dst[pc]] > imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x6d -> { if (r[dst[pc]] > r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x66 -> { if ((int) r[dst[pc]] > (int) imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x6e -> { if ((int) r[dst[pc]] > (int) r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x75 -> { if (r[dst[pc]] >= imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x7d -> { if (r[dst[pc]] >= r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x76 -> { if ((int) r[dst[pc]] >= (int) imm[pc]) { pc = jump(m, pc); continue; } }
        case 0x7e -> { if ((int) r[dst[pc]] >= (int) r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0xa5 -> { if (Long.compareUnsigned(r[dst[pc]], imm[pc]) < 0) { pc = jump(m, pc); continue; } }
        case 0xad -> { if (Long.compareUnsigned(r[dst[pc]], r[src[pc]]) < 0) { pc = jump(m, pc); continue; } }
        case 0xa6 -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) imm[pc]) < 0) { pc = jump(m, pc); continue; } }
        case 0xae -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) r[src[pc]]) < 0) { pc = jump(m, pc); continue; } }
        case 0xb5 -> { if (Long.compareUnsigned(r[dst[pc]], imm[pc]) <= 0) { pc = jump(m, pc); continue; } }
        case 0xbd -> { if (Long.compareUnsigned(r[dst[pc]], r[src[pc]]) <= 0) { pc = jump(m, pc); continue; } }
        case 0xb6 -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) imm[pc]) <= 0) { pc = jump(m, pc); continue; } }
        case 0xbe -> { if (Integer.compareUnsigned((int) r[dst[pc]], (int) r[src[pc]]) <= 0) { pc = jump(m, pc); continue; } }
        case 0xc5 -> { if (r[dst[pc]] < imm[pc]) { pc = jump(m, pc); continue; } }
        case 0xcd -> { if (r[dst[pc]] < r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0xc6 -> { if ((int) r[dst[pc]] < (int) imm[pc]) { pc = jump(m, pc); continue; } }
        case 0xce -> { if ((int) r[dst[pc]] < (int) r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0xd5 -> { if (r[dst[pc]] <= imm[pc]) { pc = jump(m, pc); continue; } }
        case 0xdd -> { if (r[dst[pc]] <= r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0xd6 -> { if ((int) r[dst[pc]] <= (int) imm[pc]) { pc = jump(m, pc); continue; } }
        case 0xde -> { if ((int) r[dst[pc]] <= (int) r[src[pc]]) { pc = jump(m, pc); continue; } }
        case 0x05, 0x06 -> {
          pc = jump(m, pc);
          continue;
        }
        case 0x85 -> {
          if (src[pc] == PSEUDO_CALL) {
            if (depth == MAX_DEPTH) throw new IllegalStateException("unverified call depth");
            returnTo[depth] = pc + 1;
            System.arraycopy(r, 6, saved, depth * 5, 5);
            depth++;
            r[10] -= frameSize[pc];
            pc = target[pc];
            continue;
          }
          r[0] = callHelper(helpers[pc], helperNames[pc], m, r[1], r[2], r[3], r[4], r[5]);
        }
        case 0x8d -> {
          Helpers.Entry h = vm.helpers().get(r[dst[pc]]);
          r[0] = callHelper(h.function(), h.signature().name(), m, r[1], r[2], r[3], r[4], r[5]);
        }
        case 0x95 -> {
          if (depth == 0) return r[0];
          depth--;
          System.arraycopy(saved, depth * 5, r, 6, 5);
          pc = returnTo[depth];
          continue;
        }
        default -> throw new IllegalStateException("unverified opcode 0x" + Integer.toHexString(op[pc]) + " at instruction " + pc);
      }
      pc++;
    }
  }
}
