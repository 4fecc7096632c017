package jbpf.vm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one program run: its context, its stack, and the maps of its {@link Vm}. Helper functions use it
 * to turn pointer arguments into memory.
 *
 * <p>A program sees memory through 64-bit VM addresses: the high 32 bits name a region, the low 32 bits are the
 * offset in it. Region 1 is the context ({@link #CTX_BASE}), region 2 the stack ({@link #STACK_BASE}), and the
 * map with descriptor {@code fd} is region {@code fd + 2}. Address 0 is null and belongs to no region.
 */
public final class Machine {
  /** The address {@code r1} holds at entry: offset 0 of the context. */
  public static final long CTX_BASE = 1L << 32;
  /** The address of the stack's offset 0; frames grow down from its end. */
  public static final long STACK_BASE = 2L << 32;
  static final int FIRST_MAP_REGION = 3;

  static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
  static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle ATOMIC32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final VarHandle ATOMIC64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final AtomicInteger NEXT_CPU = new AtomicInteger();
  private static final ThreadLocal<Integer> THREAD_CPU = ThreadLocal.withInitial(NEXT_CPU::getAndIncrement);

  private final Vm vm;
  private final MemorySegment ctx;
  private final boolean ctxWritable;
  private final MemorySegment stack;
  private long budget;

  /** Prepares a run; engines call this, not user code. */
  public Machine(Vm vm, MemorySegment ctx, boolean ctxWritable, MemorySegment stack) {
    this.vm = vm;
    this.ctx = ctx;
    this.ctxWritable = ctxWritable;
    this.stack = stack;
    this.budget = vm.budget();
  }

  /** {@return the VM whose maps and helpers this run uses} */
  public Vm vm() { return vm; }

  /** {@return the context segment} */
  public MemorySegment ctx() { return ctx; }

  /** {@return the stack segment} */
  public MemorySegment stack() { return stack; }

  /** {@return the CPU number of the calling thread, for per-CPU maps: threads are numbered round-robin} */
  public int cpu() { return Math.floorMod(THREAD_CPU.get(), vm.cpus()); }

  /** Counts one backward jump. @throws VmFault when the budget is spent */
  public void backEdge(int index) {
    if (--budget < 0)
      throw new VmFault(VmFault.Kind.BUDGET, "program exceeded its budget of " + vm.budget() + " backward jumps (at instruction " + index + ")");
  }

  private MemorySegment region(int region) {
    return switch (region) {
      case 1 -> ctx;
      case 2 -> stack;
      default -> {
        VmMap map = region >= FIRST_MAP_REGION ? vm.mapByFd(region - 2) : null;
        yield map == null ? null : map.region();
      }
    };
  }

  /**
   * {@return the {@code length} bytes at {@code addr} as a segment}
   *
   * @throws VmFault if they are not all inside one region, or {@code write} is asked of read-only memory
   */
  public MemorySegment memory(long addr, long length, boolean write) {
    MemorySegment s = tryMemory(addr, length);
    if (s == null) throw new VmFault(VmFault.Kind.MEMORY, "invalid memory access of " + length + " bytes at 0x" + Long.toHexString(addr));
    if (write && (int) (addr >>> 32) == 1 && !ctxWritable)
      throw new VmFault(VmFault.Kind.MEMORY, "write of " + length + " bytes into the read-only context at offset " + (int) addr);
    return s;
  }

  /** {@return the {@code length} bytes at {@code addr}, or {@code null} if they are not all inside one region} */
  public MemorySegment tryMemory(long addr, long length) {
    MemorySegment r = region((int) (addr >>> 32));
    long off = addr & 0xffff_ffffL;
    if (r == null || length < 0 || off + length > r.byteSize()) return null;
    return r.asSlice(off, length);
  }

  /** {@return the map a {@code lddw rN, map} reference names} @throws VmFault if {@code handle} is not one */
  public VmMap map(long handle) {
    int region = (int) (handle >>> 32);
    VmMap map = region >= FIRST_MAP_REGION && (int) handle == 0 ? vm.mapByFd(region - 2) : null;
    if (map == null) throw new VmFault(VmFault.Kind.HELPER, "0x" + Long.toHexString(handle) + " is not a map reference");
    return map;
  }

  /** {@return the address of offset {@code offset} in {@code map}'s values} */
  public long pointer(VmMap map, long offset) { return ((long) (vm.fdOf(map) + 2) << 32) + offset; }

  /** {@return the reference a program holds for {@code map}} */
  public long handle(VmMap map) { return (long) (vm.fdOf(map) + 2) << 32; }

  private MemorySegment access(long addr, int size, boolean write) {
    MemorySegment r = region((int) (addr >>> 32));
    long off = addr & 0xffff_ffffL;
    if (r == null || off + size > r.byteSize())
      throw new VmFault(VmFault.Kind.MEMORY, "invalid " + (write ? "store" : "load") + " of " + size + " bytes at 0x" + Long.toHexString(addr));
    if (write && r == ctx && !ctxWritable)
      throw new VmFault(VmFault.Kind.MEMORY, "store into the read-only context at offset " + off);
    return r;
  }

  /** {@return the {@code size}-byte value at {@code addr}, zero-extended} */
  public long load(long addr, int size) {
    return load(access(addr, size, false), addr & 0xffff_ffffL, size);
  }

  /** {@return the {@code size}-byte value at {@code addr}, sign-extended} */
  public long loadSigned(long addr, int size) {
    MemorySegment r = access(addr, size, false);
    long off = addr & 0xffff_ffffL;
    return switch (size) {
      case 1 -> r.get(U8, off);
      case 2 -> r.get(U16, off);
      case 4 -> r.get(U32, off);
      default -> r.get(U64, off);
    };
  }

  /** Stores the low {@code size} bytes of {@code value} at {@code addr}. */
  public void store(long addr, int size, long value) {
    store(access(addr, size, true), addr & 0xffff_ffffL, size, value);
  }

  /**
   * Performs an atomic read-modify-write ({@code op} is the instruction's {@code imm}) and {@return the old value},
   * zero-extended for 32-bit operations.
   */
  public long atomic(long addr, int size, int op, long src, long r0) {
    MemorySegment r = access(addr, size, true);
    long off = addr & 0xffff_ffffL;
    if ((off & (size - 1)) != 0) throw new VmFault(VmFault.Kind.MEMORY, "misaligned atomic access at 0x" + Long.toHexString(addr));
    return size == 8 ? atomic64(r, off, op, src, r0) : Integer.toUnsignedLong(atomic32(r, off, op, (int) src, (int) r0));
  }

  static long load(MemorySegment s, long off, int size) {
    return switch (size) {
      case 1 -> Byte.toUnsignedLong(s.get(U8, off));
      case 2 -> Short.toUnsignedLong(s.get(U16, off));
      case 4 -> Integer.toUnsignedLong(s.get(U32, off));
      default -> s.get(U64, off);
    };
  }

  static void store(MemorySegment s, long off, int size, long v) {
    switch (size) {
      case 1 -> s.set(U8, off, (byte) v);
      case 2 -> s.set(U16, off, (short) v);
      case 4 -> s.set(U32, off, (int) v);
      default -> s.set(U64, off, v);
    }
  }

  /** {@return the old value} of an atomic operation on 8 aligned bytes. */
  public static long atomic64(MemorySegment s, long off, int op, long v, long expected) {
    return switch (op) {
      case 0x00, 0x01 -> (long) ATOMIC64.getAndAdd(s, off, v);
      case 0x40, 0x41 -> (long) ATOMIC64.getAndBitwiseOr(s, off, v);
      case 0x50, 0x51 -> (long) ATOMIC64.getAndBitwiseAnd(s, off, v);
      case 0xa0, 0xa1 -> (long) ATOMIC64.getAndBitwiseXor(s, off, v);
      case 0xe1 -> (long) ATOMIC64.getAndSet(s, off, v);
      case 0xf1 -> (long) ATOMIC64.compareAndExchange(s, off, expected, v);
      default -> throw new IllegalStateException("unverified atomic operation 0x" + Integer.toHexString(op));
    };
  }

  /** {@return the old value} of an atomic operation on 4 aligned bytes. */
  public static int atomic32(MemorySegment s, long off, int op, int v, int expected) {
    return switch (op) {
      case 0x00, 0x01 -> (int) ATOMIC32.getAndAdd(s, off, v);
      case 0x40, 0x41 -> (int) ATOMIC32.getAndBitwiseOr(s, off, v);
      case 0x50, 0x51 -> (int) ATOMIC32.getAndBitwiseAnd(s, off, v);
      case 0xa0, 0xa1 -> (int) ATOMIC32.getAndBitwiseXor(s, off, v);
      case 0xe1 -> (int) ATOMIC32.getAndSet(s, off, v);
      case 0xf1 -> (int) ATOMIC32.compareAndExchange(s, off, expected, v);
      default -> throw new IllegalStateException("unverified atomic operation 0x" + Integer.toHexString(op));
    };
  }
}
