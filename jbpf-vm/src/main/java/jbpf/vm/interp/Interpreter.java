package jbpf.vm.interp;

import static jbpf.asm.Opcode.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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
 * Runs a verified program one instruction at a time.
 *
 * <p>Instructions are decoded once into one {@code long[]}, two words each: the first holds the opcode (bits 0–7),
 * {@code dst} (8–11), {@code src} (12–15) and, in its high half, the jump target or the offset; the second holds the
 * immediate, already widened ({@code lddw} values and map references resolved). The loop is one dense switch on the
 * opcode. Registers live in a {@code long[16]} indexed by 4-bit fields, so the JVM needs no bounds check for them.
 * Loads and stores the verifier pinned to the context or the stack get opcodes of their own (in {@code 0xe0–0xff},
 * which RFC 9669 leaves unused) that go straight to that segment; only the others go through {@link Machine}, which
 * checks again. A run allocates its registers, its stack, and a {@link Machine} only when the program calls
 * helpers, loops, or makes accesses the verifier could not pin.
 */
public final class Interpreter implements Engine {
  private static final int MAX_DEPTH = 8;
  private static final MemorySegment NO_STACK = MemorySegment.ofArray(new long[0]);

  // Loads and stores pinned to one region: base + size (0 = B, 1 = H, 2 = W, 3 = DW).
  private static final int LDX_CTX = 0xe0, LDXS_CTX = 0xe4, LDX_STACK = 0xe8, LDXS_STACK = 0xec;
  private static final int STX_STACK = 0xf0, ST_STACK = 0xf4, STX_CTX = 0xf8, ST_CTX = 0xfc;

  private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Vm vm;
  private final Context context;
  private final int stackSize;
  private final long[] code;
  private final HelperFunction[] helpers;
  private final String[] helperNames;
  private final boolean calls;
  private final boolean needsMachine;

  /** Decodes {@code program}. */
  public Interpreter(VmProgram program) {
    Verification v = program.verification();
    this.vm = program.vm();
    this.context = program.context();
    this.stackSize = v.stackSize();
    List<Insn> insns = v.insns();
    int n = insns.size();
    code = new long[2 * n];
    helpers = new HelperFunction[n];
    helperNames = new String[n];
    this.calls = v.functions() > 1;
    boolean machine = false;
    for (int i = 0; i < n; i++) {
      Insn insn = insns.get(i);
      int op = insn.opcode();
      long aux = insn.off();
      long imm = insn.imm();
      if (op == LDDW) imm = lddwValue(insn);
      if (v.target(i) >= 0) aux = v.target(i);
      if (v.reachable(i)) {
        if (insn.isJump() && v.target(i) >= 0 && v.target(i) <= i && op != (JMP | CALL)) machine = true;
        if (op == (JMP | CALL) && insn.src() == PSEUDO_CALL) {
          imm = v.frameSize(v.function(i));
        } else if (op == (JMP | CALL) || op == (JMP | CALL | X)) {
          machine = true;
          if (op == (JMP | CALL)) {
            Helpers.Entry h = vm.helpers().get(insn.imm());
            helpers[i] = h.function();
            helperNames[i] = h.signature().name();
          }
        }
        Verification.Access a = v.access(i);
        if (a != null) {
          int pinned = pinned(op, a.region());
          if (pinned >= 0) op = pinned;
          else machine = true;
        }
      }
      code[2 * i] = op | insn.dst() << 8 | insn.src() << 12 | aux << 32;
      code[2 * i + 1] = imm;
    }
    this.needsMachine = machine;
  }

  /** {@return the opcode for memory instruction {@code op} on {@code region}, or -1 if it goes through the machine} */
  private static int pinned(int op, Verification.Region region) {
    int size = switch (op & 0x18) { case 0x10 -> 0; case 0x08 -> 1; case 0x00 -> 2; default -> 3; };
    int mode = op & 0xe0;
    boolean ctx = region == Verification.Region.CTX, stack = region == Verification.Region.STACK;
    if (!ctx && !stack) return -1;
    return switch (op & 0x07) {
      case LDX -> mode == MEM ? (ctx ? LDX_CTX : LDX_STACK) + size : mode == MEMSX && size < 3 ? (ctx ? LDXS_CTX : LDXS_STACK) + size : -1;
      case STX -> mode == MEM ? (ctx ? STX_CTX : STX_STACK) + size : -1;
      case ST -> mode == MEM ? (ctx ? ST_CTX : ST_STACK) + size : -1;
      default -> -1;
    };
  }

  /** {@return the value {@code lddw} loads: the constant, or the VM address of a map or map value} */
  public static long lddwValue(Insn insn) {
    return switch (insn.src()) {
      case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> (insn.imm() & 0xffff_ffffL) + 2 << 32;
      case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> (((insn.imm() & 0xffff_ffffL) + 2) << 32) + (insn.imm() >>> 32);
      default -> insn.imm();
    };
  }

  /** Checks that {@code ctx} fits a program verified for {@code context}. @throws VmFault if it does not */
  private static void check(Context context, MemorySegment ctx) {
    if (ctx.byteSize() < context.size())
      throw new VmFault(VmFault.Kind.CONTEXT, "the context has " + ctx.byteSize() + " bytes; the program was verified for " + context.size());
    if (context.writable() && ctx.isReadOnly())
      throw new VmFault(VmFault.Kind.CONTEXT, "the context segment is read-only; the program was verified to write it");
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
    check(context, ctx);
    MemorySegment stack = stackSize == 0 ? NO_STACK : MemorySegment.ofArray(new long[stackSize / 8]);
    Machine m = needsMachine ? new Machine(vm, ctx, context.writable(), stack) : null;
    return exec(m, ctx, stack);
  }

  private static int jump(Machine m, int pc, long w) {
    int t = (int) (w >>> 32);
    if (t <= pc) m.backEdge(pc);
    return t;
  }

  private long exec(Machine m, MemorySegment ctx, MemorySegment stack) {
    final long[] code = this.code;
    final long[] r = new long[16];
    r[1] = Machine.CTX_BASE;
    r[2] = ctx.byteSize();
    r[10] = Machine.STACK_BASE + stackSize;
    int[] returnTo = calls ? new int[MAX_DEPTH] : null;
    long[] saved = calls ? new long[MAX_DEPTH * 5] : null;
    int depth = 0;
    int pc = 0;
    while (true) {
      int i = pc << 1;
      long w = code[i];
      long k = code[i + 1];
      int d = (int) w >>> 8 & 15, s = (int) w >>> 12 & 15;
      switch ((int) w & 0xff) {
        case 0x07 -> r[d] += k;
        case 0x0f -> r[d] += r[s];
        case 0x17 -> r[d] -= k;
        case 0x1f -> r[d] -= r[s];
        case 0x27 -> r[d] *= k;
        case 0x2f -> r[d] *= r[s];
        case 0x47 -> r[d] |= k;
        case 0x4f -> r[d] |= r[s];
        case 0x57 -> r[d] &= k;
        case 0x5f -> r[d] &= r[s];
        case 0x67 -> r[d] <<= k;
        case 0x6f -> r[d] <<= r[s];
        case 0x77 -> r[d] >>>= k;
        case 0x7f -> r[d] >>>= r[s];
        case 0xa7 -> r[d] ^= k;
        case 0xaf -> r[d] ^= r[s];
        case 0xc7 -> r[d] >>= k;
        case 0xcf -> r[d] >>= r[s];
        case 0x87 -> r[d] = -r[d];
        case 0xb7 -> r[d] = k;
        case 0xbf -> {
          long x = r[s];
          r[d] = switch ((int) (w >> 32)) { case 8 -> (byte) x; case 16 -> (short) x; case 32 -> (int) x; default -> x; };
        }
        case 0x04 -> r[d] = Integer.toUnsignedLong((int) r[d] + (int) k);
        case 0x0c -> r[d] = Integer.toUnsignedLong((int) r[d] + (int) r[s]);
        case 0x14 -> r[d] = Integer.toUnsignedLong((int) r[d] - (int) k);
        case 0x1c -> r[d] = Integer.toUnsignedLong((int) r[d] - (int) r[s]);
        case 0x24 -> r[d] = Integer.toUnsignedLong((int) r[d] * (int) k);
        case 0x2c -> r[d] = Integer.toUnsignedLong((int) r[d] * (int) r[s]);
        case 0x44 -> r[d] = Integer.toUnsignedLong((int) r[d] | (int) k);
        case 0x4c -> r[d] = Integer.toUnsignedLong((int) r[d] | (int) r[s]);
        case 0x54 -> r[d] = Integer.toUnsignedLong((int) r[d] & (int) k);
        case 0x5c -> r[d] = Integer.toUnsignedLong((int) r[d] & (int) r[s]);
        case 0x64 -> r[d] = Integer.toUnsignedLong((int) r[d] << (int) k);
        case 0x6c -> r[d] = Integer.toUnsignedLong((int) r[d] << (int) r[s]);
        case 0x74 -> r[d] = Integer.toUnsignedLong((int) r[d] >>> (int) k);
        case 0x7c -> r[d] = Integer.toUnsignedLong((int) r[d] >>> (int) r[s]);
        case 0xa4 -> r[d] = Integer.toUnsignedLong((int) r[d] ^ (int) k);
        case 0xac -> r[d] = Integer.toUnsignedLong((int) r[d] ^ (int) r[s]);
        case 0xc4 -> r[d] = Integer.toUnsignedLong((int) r[d] >> (int) k);
        case 0xcc -> r[d] = Integer.toUnsignedLong((int) r[d] >> (int) r[s]);
        case 0x84 -> r[d] = Integer.toUnsignedLong(-(int) r[d]);
        case 0xb4 -> r[d] = k & 0xffff_ffffL;
        case 0xbc -> {
          int x = (int) r[s];
          r[d] = Integer.toUnsignedLong(switch ((int) (w >> 32)) { case 8 -> (byte) x; case 16 -> (short) x; default -> x; });
        }
        case 0x37, 0x97 -> r[d] = Semantics.alu((int) w & 0xff, (int) (w >> 32), 0, r[d], k);
        case 0x3f, 0x9f -> r[d] = Semantics.alu((int) w & 0xff, (int) (w >> 32), 0, r[d], r[s]);
        case 0x34, 0x94 -> r[d] = Semantics.alu((int) w & 0xff, (int) (w >> 32), 0, r[d], k & 0xffff_ffffL);
        case 0x3c, 0x9c -> r[d] = Semantics.alu((int) w & 0xff, (int) (w >> 32), 0, r[d], r[s]);
        case 0xd4, 0xdc, 0xd7 -> r[d] = Semantics.alu((int) w & 0xff, 0, k, r[d], 0);
        case 0x18 -> r[d] = k;
        case LDX_CTX -> r[d] = Byte.toUnsignedLong(ctx.get(U8, r[s] - Machine.CTX_BASE + (int) (w >> 32)));
        case LDX_CTX + 1 -> r[d] = Short.toUnsignedLong(ctx.get(U16, r[s] - Machine.CTX_BASE + (int) (w >> 32)));
        case LDX_CTX + 2 -> r[d] = Integer.toUnsignedLong(ctx.get(U32, r[s] - Machine.CTX_BASE + (int) (w >> 32)));
        case LDX_CTX + 3 -> r[d] = ctx.get(U64, r[s] - Machine.CTX_BASE + (int) (w >> 32));
        case LDXS_CTX -> r[d] = ctx.get(U8, r[s] - Machine.CTX_BASE + (int) (w >> 32));
        case LDXS_CTX + 1 -> r[d] = ctx.get(U16, r[s] - Machine.CTX_BASE + (int) (w >> 32));
        case LDXS_CTX + 2 -> r[d] = ctx.get(U32, r[s] - Machine.CTX_BASE + (int) (w >> 32));
        case LDX_STACK -> r[d] = Byte.toUnsignedLong(stack.get(U8, r[s] - Machine.STACK_BASE + (int) (w >> 32)));
        case LDX_STACK + 1 -> r[d] = Short.toUnsignedLong(stack.get(U16, r[s] - Machine.STACK_BASE + (int) (w >> 32)));
        case LDX_STACK + 2 -> r[d] = Integer.toUnsignedLong(stack.get(U32, r[s] - Machine.STACK_BASE + (int) (w >> 32)));
        case LDX_STACK + 3 -> r[d] = stack.get(U64, r[s] - Machine.STACK_BASE + (int) (w >> 32));
        case LDXS_STACK -> r[d] = stack.get(U8, r[s] - Machine.STACK_BASE + (int) (w >> 32));
        case LDXS_STACK + 1 -> r[d] = stack.get(U16, r[s] - Machine.STACK_BASE + (int) (w >> 32));
        case LDXS_STACK + 2 -> r[d] = stack.get(U32, r[s] - Machine.STACK_BASE + (int) (w >> 32));
        case STX_STACK -> stack.set(U8, r[d] - Machine.STACK_BASE + (int) (w >> 32), (byte) r[s]);
        case STX_STACK + 1 -> stack.set(U16, r[d] - Machine.STACK_BASE + (int) (w >> 32), (short) r[s]);
        case STX_STACK + 2 -> stack.set(U32, r[d] - Machine.STACK_BASE + (int) (w >> 32), (int) r[s]);
        case STX_STACK + 3 -> stack.set(U64, r[d] - Machine.STACK_BASE + (int) (w >> 32), r[s]);
        case ST_STACK -> stack.set(U8, r[d] - Machine.STACK_BASE + (int) (w >> 32), (byte) k);
        case ST_STACK + 1 -> stack.set(U16, r[d] - Machine.STACK_BASE + (int) (w >> 32), (short) k);
        case ST_STACK + 2 -> stack.set(U32, r[d] - Machine.STACK_BASE + (int) (w >> 32), (int) k);
        case ST_STACK + 3 -> stack.set(U64, r[d] - Machine.STACK_BASE + (int) (w >> 32), k);
        case STX_CTX -> ctx.set(U8, r[d] - Machine.CTX_BASE + (int) (w >> 32), (byte) r[s]);
        case STX_CTX + 1 -> ctx.set(U16, r[d] - Machine.CTX_BASE + (int) (w >> 32), (short) r[s]);
        case STX_CTX + 2 -> ctx.set(U32, r[d] - Machine.CTX_BASE + (int) (w >> 32), (int) r[s]);
        case STX_CTX + 3 -> ctx.set(U64, r[d] - Machine.CTX_BASE + (int) (w >> 32), r[s]);
        case ST_CTX -> ctx.set(U8, r[d] - Machine.CTX_BASE + (int) (w >> 32), (byte) k);
        case ST_CTX + 1 -> ctx.set(U16, r[d] - Machine.CTX_BASE + (int) (w >> 32), (short) k);
        case ST_CTX + 2 -> ctx.set(U32, r[d] - Machine.CTX_BASE + (int) (w >> 32), (int) k);
        case ST_CTX + 3 -> ctx.set(U64, r[d] - Machine.CTX_BASE + (int) (w >> 32), k);
        case 0x61 -> r[d] = m.load(r[s] + (int) (w >> 32), 4);
        case 0x69 -> r[d] = m.load(r[s] + (int) (w >> 32), 2);
        case 0x71 -> r[d] = m.load(r[s] + (int) (w >> 32), 1);
        case 0x79 -> r[d] = m.load(r[s] + (int) (w >> 32), 8);
        case 0x81 -> r[d] = m.loadSigned(r[s] + (int) (w >> 32), 4);
        case 0x89 -> r[d] = m.loadSigned(r[s] + (int) (w >> 32), 2);
        case 0x91 -> r[d] = m.loadSigned(r[s] + (int) (w >> 32), 1);
        case 0x62 -> m.store(r[d] + (int) (w >> 32), 4, k);
        case 0x6a -> m.store(r[d] + (int) (w >> 32), 2, k);
        case 0x72 -> m.store(r[d] + (int) (w >> 32), 1, k);
        case 0x7a -> m.store(r[d] + (int) (w >> 32), 8, k);
        case 0x63 -> m.store(r[d] + (int) (w >> 32), 4, r[s]);
        case 0x6b -> m.store(r[d] + (int) (w >> 32), 2, r[s]);
        case 0x73 -> m.store(r[d] + (int) (w >> 32), 1, r[s]);
        case 0x7b -> m.store(r[d] + (int) (w >> 32), 8, r[s]);
        case 0xc3, 0xdb -> {
          int a = (int) k;
          long old = m.atomic(r[d] + (int) (w >> 32), (w & 0xff) == 0xdb ? 8 : 4, a, r[s], r[0]);
          if (a == CMPXCHG) r[0] = old;
          else if ((a & FETCH) != 0) r[s] = old;
        }
        case 0x15 -> { if (r[d] == k) { pc = jump(m, pc, w); continue; } }
        case 0x1d -> { if (r[d] == r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x16 -> { if ((int) r[d] == (int) k) { pc = jump(m, pc, w); continue; } }
        case 0x1e -> { if ((int) r[d] == (int) r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x25 -> { if (Long.compareUnsigned(r[d], k) > 0) { pc = jump(m, pc, w); continue; } }
        case 0x2d -> { if (Long.compareUnsigned(r[d], r[s]) > 0) { pc = jump(m, pc, w); continue; } }
        case 0x26 -> { if (Integer.compareUnsigned((int) r[d], (int) k) > 0) { pc = jump(m, pc, w); continue; } }
        case 0x2e -> { if (Integer.compareUnsigned((int) r[d], (int) r[s]) > 0) { pc = jump(m, pc, w); continue; } }
        case 0x35 -> { if (Long.compareUnsigned(r[d], k) >= 0) { pc = jump(m, pc, w); continue; } }
        case 0x3d -> { if (Long.compareUnsigned(r[d], r[s]) >= 0) { pc = jump(m, pc, w); continue; } }
        case 0x36 -> { if (Integer.compareUnsigned((int) r[d], (int) k) >= 0) { pc = jump(m, pc, w); continue; } }
        case 0x3e -> { if (Integer.compareUnsigned((int) r[d], (int) r[s]) >= 0) { pc = jump(m, pc, w); continue; } }
        case 0x45 -> { if ((r[d] & k) != 0) { pc = jump(m, pc, w); continue; } }
        case 0x4d -> { if ((r[d] & r[s]) != 0) { pc = jump(m, pc, w); continue; } }
        case 0x46 -> { if (((int) r[d] & (int) k) != 0) { pc = jump(m, pc, w); continue; } }
        case 0x4e -> { if (((int) r[d] & (int) r[s]) != 0) { pc = jump(m, pc, w); continue; } }
        case 0x55 -> { if (r[d] != k) { pc = jump(m, pc, w); continue; } }
        case 0x5d -> { if (r[d] != r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x56 -> { if ((int) r[d] != (int) k) { pc = jump(m, pc, w); continue; } }
        case 0x5e -> { if ((int) r[d] != (int) r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x65 -> { if (r[d] > k) { pc = jump(m, pc, w); continue; } }
        case 0x6d -> { if (r[d] > r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x66 -> { if ((int) r[d] > (int) k) { pc = jump(m, pc, w); continue; } }
        case 0x6e -> { if ((int) r[d] > (int) r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x75 -> { if (r[d] >= k) { pc = jump(m, pc, w); continue; } }
        case 0x7d -> { if (r[d] >= r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x76 -> { if ((int) r[d] >= (int) k) { pc = jump(m, pc, w); continue; } }
        case 0x7e -> { if ((int) r[d] >= (int) r[s]) { pc = jump(m, pc, w); continue; } }
        case 0xa5 -> { if (Long.compareUnsigned(r[d], k) < 0) { pc = jump(m, pc, w); continue; } }
        case 0xad -> { if (Long.compareUnsigned(r[d], r[s]) < 0) { pc = jump(m, pc, w); continue; } }
        case 0xa6 -> { if (Integer.compareUnsigned((int) r[d], (int) k) < 0) { pc = jump(m, pc, w); continue; } }
        case 0xae -> { if (Integer.compareUnsigned((int) r[d], (int) r[s]) < 0) { pc = jump(m, pc, w); continue; } }
        case 0xb5 -> { if (Long.compareUnsigned(r[d], k) <= 0) { pc = jump(m, pc, w); continue; } }
        case 0xbd -> { if (Long.compareUnsigned(r[d], r[s]) <= 0) { pc = jump(m, pc, w); continue; } }
        case 0xb6 -> { if (Integer.compareUnsigned((int) r[d], (int) k) <= 0) { pc = jump(m, pc, w); continue; } }
        case 0xbe -> { if (Integer.compareUnsigned((int) r[d], (int) r[s]) <= 0) { pc = jump(m, pc, w); continue; } }
        case 0xc5 -> { if (r[d] < k) { pc = jump(m, pc, w); continue; } }
        case 0xcd -> { if (r[d] < r[s]) { pc = jump(m, pc, w); continue; } }
        case 0xc6 -> { if ((int) r[d] < (int) k) { pc = jump(m, pc, w); continue; } }
        case 0xce -> { if ((int) r[d] < (int) r[s]) { pc = jump(m, pc, w); continue; } }
        case 0xd5 -> { if (r[d] <= k) { pc = jump(m, pc, w); continue; } }
        case 0xdd -> { if (r[d] <= r[s]) { pc = jump(m, pc, w); continue; } }
        case 0xd6 -> { if ((int) r[d] <= (int) k) { pc = jump(m, pc, w); continue; } }
        case 0xde -> { if ((int) r[d] <= (int) r[s]) { pc = jump(m, pc, w); continue; } }
        case 0x05, 0x06 -> {
          pc = jump(m, pc, w);
          continue;
        }
        case 0x85 -> {
          if (s == PSEUDO_CALL) {
            if (depth == MAX_DEPTH) throw new IllegalStateException("unverified call depth");
            returnTo[depth] = pc + 1;
            System.arraycopy(r, 6, saved, depth * 5, 5);
            depth++;
            r[10] -= k;
            pc = (int) (w >>> 32);
            continue;
          }
          r[0] = callHelper(helpers[pc], helperNames[pc], m, r[1], r[2], r[3], r[4], r[5]);
        }
        case 0x8d -> {
          Helpers.Entry h = vm.helpers().get(r[d]);
          r[0] = callHelper(h.function(), h.signature().name(), m, r[1], r[2], r[3], r[4], r[5]);
        }
        case 0x95 -> {
          if (depth == 0) return r[0];
          depth--;
          System.arraycopy(saved, depth * 5, r, 6, 5);
          pc = returnTo[depth];
          continue;
        }
        default -> throw new IllegalStateException("unverified opcode 0x" + Long.toHexString(w & 0xff) + " at instruction " + pc);
      }
      pc++;
    }
  }
}
