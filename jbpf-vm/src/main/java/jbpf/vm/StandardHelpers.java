package jbpf.vm;

import static jbpf.vm.HelperSignature.Arg.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ThreadLocalRandom;
import jbpf.asm.Helper;
import jbpf.vm.HelperSignature.Arg;
import jbpf.vm.HelperSignature.Ret;

/** The standard helpers, with the semantics a userspace program can give them. */
final class StandardHelpers {
  private StandardHelpers() {}

  static final Helpers TABLE = build();

  private static Helpers build() {
    Helpers h = Helpers.none();
    h = add(h, Helper.MAP_LOOKUP_ELEM, Ret.MAP_VALUE_OR_NULL, StandardHelpers::lookup, MAP, MAP_KEY);
    h = add(h, Helper.MAP_UPDATE_ELEM, Ret.INTEGER, StandardHelpers::update, MAP, MAP_KEY, MAP_VALUE, ANYTHING);
    h = add(h, Helper.MAP_DELETE_ELEM, Ret.INTEGER, StandardHelpers::delete, MAP, MAP_KEY);
    for (Helper p : new Helper[] {Helper.PROBE_READ, Helper.PROBE_READ_USER, Helper.PROBE_READ_KERNEL})
      h = add(h, p, Ret.INTEGER, StandardHelpers::probeRead, UNINIT_MEM, SIZE, ANYTHING);
    for (Helper p : new Helper[] {Helper.PROBE_READ_STR, Helper.PROBE_READ_USER_STR, Helper.PROBE_READ_KERNEL_STR})
      h = add(h, p, Ret.INTEGER, StandardHelpers::probeReadStr, UNINIT_MEM, SIZE, ANYTHING);
    h = add(h, Helper.KTIME_GET_NS, Ret.INTEGER, (m, a, b, c, d, e) -> System.nanoTime());
    h = add(h, Helper.TRACE_PRINTK, Ret.INTEGER, StandardHelpers::printk, MEM, SIZE, ANYTHING, ANYTHING, ANYTHING);
    h = add(h, Helper.GET_PRANDOM_U32, Ret.INTEGER, (m, a, b, c, d, e) -> ThreadLocalRandom.current().nextInt() & 0xffff_ffffL);
    h = add(h, Helper.GET_SMP_PROCESSOR_ID, Ret.INTEGER, (m, a, b, c, d, e) -> m.cpu());
    h = add(h, Helper.RINGBUF_OUTPUT, Ret.INTEGER, StandardHelpers::ringbufOutput, RINGBUF, MEM, SIZE, ANYTHING);
    h = add(h, Helper.RINGBUF_RESERVE, Ret.RINGBUF_RECORD_OR_NULL, StandardHelpers::ringbufReserve, RINGBUF, CONST_SIZE, ANYTHING);
    h = add(h, Helper.RINGBUF_SUBMIT, Ret.INTEGER, (m, a, b, c, d, e) -> commit(m, a, false), RINGBUF_RECORD, ANYTHING);
    h = add(h, Helper.RINGBUF_DISCARD, Ret.INTEGER, (m, a, b, c, d, e) -> commit(m, a, true), RINGBUF_RECORD, ANYTHING);
    h = add(h, Helper.RINGBUF_QUERY, Ret.INTEGER, (m, a, b, c, d, e) -> ring(m, a).query(b), RINGBUF, ANYTHING);
    return h;
  }

  private static Helpers add(Helpers h, Helper id, Ret ret, HelperFunction f, Arg... args) {
    return h.with(id.id(), HelperSignature.of(id.kernelName(), ret, args), f);
  }

  private static long lookup(Machine m, long map, long key, long c, long d, long e) {
    VmMap vm = m.map(map);
    long off = vm.lookupOffset(m.memory(key, vm.spec().keySize(), false), m.cpu());
    return off < 0 ? 0 : m.pointer(vm, off);
  }

  private static long update(Machine m, long map, long key, long value, long flags, long e) {
    VmMap vm = m.map(map);
    return vm.update(m.memory(key, vm.spec().keySize(), false), m.memory(value, vm.spec().valueSize(), false), flags, m.cpu());
  }

  private static long delete(Machine m, long map, long key, long c, long d, long e) {
    VmMap vm = m.map(map);
    return vm.delete(m.memory(key, vm.spec().keySize(), false));
  }

  private static long probeRead(Machine m, long dst, long size, long src, long d, long e) {
    MemorySegment to = m.memory(dst, size, true);
    MemorySegment from = m.tryMemory(src, size);
    if (from == null) {
      to.fill((byte) 0);
      return -VmMap.EFAULT;
    }
    MemorySegment.copy(from, 0, to, 0, size);
    return 0;
  }

  private static long probeReadStr(Machine m, long dst, long size, long src, long d, long e) {
    MemorySegment to = m.memory(dst, size, true);
    if (size == 0) return 0;
    long n = 0;
    while (n < size - 1) {
      MemorySegment b = m.tryMemory(src + n, 1);
      if (b == null) {
        if (n == 0) {
          to.fill((byte) 0);
          return -VmMap.EFAULT;
        }
        break;
      }
      byte c = b.get(ValueLayout.JAVA_BYTE, 0);
      if (c == 0) break;
      to.set(ValueLayout.JAVA_BYTE, n++, c);
    }
    to.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
    return n + 1;
  }

  private static RingBuffer ring(Machine m, long handle) {
    if (m.map(handle) instanceof RingBuffer r) return r;
    throw new VmFault(VmFault.Kind.HELPER, m.map(handle) + " is not a ring buffer");
  }

  private static long ringbufOutput(Machine m, long map, long data, long size, long flags, long e) {
    RingBuffer r = ring(m, map);
    MemorySegment from = m.memory(data, size, false);
    long at = r.reserve(size);
    if (at < 0) return -VmMap.EAGAIN;
    MemorySegment.copy(from, 0, r.region(), at, size);
    r.commit(at, false);
    return 0;
  }

  private static long ringbufReserve(Machine m, long map, long size, long flags, long d, long e) {
    RingBuffer r = ring(m, map);
    long at = r.reserve(size);
    return at < 0 ? 0 : m.pointer(r, at);
  }

  private static long commit(Machine m, long record, boolean discard) {
    VmMap map = m.vm().mapByFd((int) (record >>> 32) - 2);
    if (!(map instanceof RingBuffer r) || !r.commit(record & 0xffff_ffffL, discard))
      throw new VmFault(VmFault.Kind.HELPER, "0x" + Long.toHexString(record) + " is not a pending ring buffer record");
    return 0;
  }

  /** bpf_trace_printk: %d %i %u %x %X %c %s %p with l/ll modifiers and a width; output goes to the trace sink. */
  private static long printk(Machine m, long fmt, long size, long a1, long a2, long a3) {
    MemorySegment f = m.memory(fmt, size, false);
    StringBuilder raw = new StringBuilder();
    for (long i = 0; i < size; i++) {
      byte b = f.get(ValueLayout.JAVA_BYTE, i);
      if (b == 0) break;
      raw.append((char) (b & 0xff));
    }
    long[] args = {a1, a2, a3};
    int next = 0;
    StringBuilder out = new StringBuilder();
    String s = raw.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') { out.append(c); continue; }
      int j = i + 1;
      StringBuilder spec = new StringBuilder("%");
      while (j < s.length() && "-0123456789".indexOf(s.charAt(j)) >= 0) spec.append(s.charAt(j++));
      boolean wide = false;
      while (j < s.length() && s.charAt(j) == 'l') { wide = true; j++; }
      if (j >= s.length()) break;
      char conv = s.charAt(j);
      if (conv == '%') { out.append('%'); i = j; continue; }
      if (next >= 3) throw new VmFault(VmFault.Kind.HELPER, "trace_printk: more than 3 arguments in \"" + s + "\"");
      long v = args[next++];
      String body = switch (conv) {
        case 'd', 'i' -> Long.toString(wide ? v : (int) v);
        case 'u' -> Long.toUnsignedString(wide ? v : v & 0xffff_ffffL);
        case 'x' -> Long.toHexString(wide ? v : v & 0xffff_ffffL);
        case 'X' -> Long.toHexString(wide ? v : v & 0xffff_ffffL).toUpperCase(java.util.Locale.ROOT);
        case 'p' -> "0x" + Long.toHexString(v);
        case 'c' -> String.valueOf((char) (v & 0xff));
        case 's' -> cString(m, v);
        default -> throw new VmFault(VmFault.Kind.HELPER, "trace_printk: unsupported conversion %" + conv + " in \"" + s + "\"");
      };
      out.append(String.format(spec + "s", body));
      i = j;
    }
    String line = out.toString();
    m.vm().trace(line);
    return line.length();
  }

  private static String cString(Machine m, long addr) {
    StringBuilder b = new StringBuilder();
    for (int n = 0; n < 4096; n++) {
      MemorySegment c = m.tryMemory(addr + n, 1);
      if (c == null) return n == 0 ? "(fault)" : b.toString();
      byte v = c.get(ValueLayout.JAVA_BYTE, 0);
      if (v == 0) break;
      b.append((char) (v & 0xff));
    }
    return b.toString();
  }
}
