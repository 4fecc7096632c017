package jbpf.vm.jit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jbpf.vm.VmFault;

/** Operations the generated code calls: small enough for C2 to inline, so they cost what their bodies cost. */
final class Rt {
  private Rt() {}

  static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
  static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  static void enter(MemorySegment ctx, long size, boolean writable) {
    if (ctx.byteSize() < size)
      throw new VmFault(VmFault.Kind.CONTEXT, "the context has " + ctx.byteSize() + " bytes; the program was verified for " + size);
    if (writable && ctx.isReadOnly())
      throw new VmFault(VmFault.Kind.CONTEXT, "the context segment is read-only; the program was verified to write it");
  }

  static long ldB(MemorySegment s, long off) { return Byte.toUnsignedLong(s.get(U8, off)); }
  static long ldH(MemorySegment s, long off) { return Short.toUnsignedLong(s.get(U16, off)); }
  static long ldW(MemorySegment s, long off) { return Integer.toUnsignedLong(s.get(U32, off)); }
  static long ldDW(MemorySegment s, long off) { return s.get(U64, off); }
  static long ldsB(MemorySegment s, long off) { return s.get(U8, off); }
  static long ldsH(MemorySegment s, long off) { return s.get(U16, off); }
  static long ldsW(MemorySegment s, long off) { return s.get(U32, off); }
  static void stB(MemorySegment s, long off, long v) { s.set(U8, off, (byte) v); }
  static void stH(MemorySegment s, long off, long v) { s.set(U16, off, (short) v); }
  static void stW(MemorySegment s, long off, long v) { s.set(U32, off, (int) v); }
  static void stDW(MemorySegment s, long off, long v) { s.set(U64, off, v); }

  static long udiv64(long a, long b) { return b == 0 ? 0 : Long.divideUnsigned(a, b); }
  static long umod64(long a, long b) { return b == 0 ? a : Long.remainderUnsigned(a, b); }
  static long sdiv64(long a, long b) { return b == 0 ? 0 : a / b; }
  static long smod64(long a, long b) { return b == 0 ? a : a % b; }
  static int udiv32(int a, int b) { return b == 0 ? 0 : Integer.divideUnsigned(a, b); }
  static int umod32(int a, int b) { return b == 0 ? a : Integer.remainderUnsigned(a, b); }
  static int sdiv32(int a, int b) { return b == 0 ? 0 : a / b; }
  static int smod32(int a, int b) { return b == 0 ? a : a % b; }

  static long swap16(long v) { return Short.toUnsignedLong(Short.reverseBytes((short) v)); }
  static long swap32(long v) { return Integer.toUnsignedLong(Integer.reverseBytes((int) v)); }

  static IllegalStateException unreachable(int index) {
    return new IllegalStateException("the verifier found instruction " + index + " unreachable, yet it ran");
  }
}
