package jbpf.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import jbpf.lang.types.Type;
import jbpf.output.Value;

/**
 * Reads values that BPF programs wrote (map keys and values, event payloads) back into {@link Value}s,
 * following the layouts of {@link Type}.
 */
final class ValueDecoder {
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;


  private final List<String> probeNames;
  private final ValueResolver resolver;

  /** @param resolver turns stacks, symbols and other resolved values into text; {@code null} if the script has none */
  ValueDecoder(List<String> probeNames, ValueResolver resolver) {
    this.probeNames = List.copyOf(probeNames);
    this.resolver = resolver;
  }

  ValueDecoder(List<String> probeNames) { this(probeNames, null); }

  /** {@return the value of type {@code t} stored at {@code off} in {@code mem}} */
  Value decode(Type t, MemorySegment mem, long off) {
    return switch (t) {
      case Type.Int i -> new Value.Int(readInt(mem, off, i.bytes(), i.signed()), i.bytes(), i.signed());
      case Type.Bool b -> new Value.Int(mem.get(ValueLayout.JAVA_BYTE, off) & 0xff, 8, false);
      case Type.Str s -> new Value.Str(string(mem, off, s.size()));
      case Type.Probe p -> {
        long idx = mem.get(U64, off);
        yield Value.str(idx >= 0 && idx < probeNames.size() ? probeNames.get((int) idx) : "?");
      }
      case Type.Ptr p -> new Value.Ptr(mem.get(U64, off));
      case Type.Tuple tt -> {
        List<Value> out = new ArrayList<>(tt.elements().size());
        List<Integer> offs = tt.offsets();
        for (int k = 0; k < tt.elements().size(); k++) out.add(decode(tt.elements().get(k), mem, off + offs.get(k)));
        yield new Value.Tuple(out);
      }
      case Type.Array a -> {
        List<Value> out = new ArrayList<>(a.length());
        for (int k = 0; k < a.length(); k++) out.add(decode(a.element(), mem, off + (long) k * a.element().size()));
        yield new Value.Array(out);
      }
      case Type.Record r -> {
        List<Value.Field> out = new ArrayList<>();
        for (Type.Field f : r.fields()) out.add(new Value.Field(f.name(), decode(f.type(), mem, off + f.offset())));
        yield new Value.Record(out);
      }
      case Type.Buf b -> {
        int len = Math.min(b.capacity(), mem.get(ValueLayout.JAVA_BYTE, off) & 0xff);
        yield new Value.Buf(mem.asSlice(off + 8, len).toArray(ValueLayout.JAVA_BYTE));
      }
      case Type.Void v -> throw new IllegalStateException("decode of void");
      case Type.Ctx c -> new Value.Ptr(mem.get(U64, off));
      case Type.Stack st -> st.user() ? resolver().stack(st, mem.get(U32, off), mem.get(U32, off + 4)) : resolver().stack(st, mem.get(U64, off), 0);
      case Type.Resolved r -> resolved(r, mem, off);
      case Type.Agg a -> throw new IllegalStateException("aggregations are combined per CPU, not decoded");
    };
  }

  private ValueResolver resolver() {
    if (resolver == null) throw new IllegalStateException("a stack or symbol to decode, but no resolver");
    return resolver;
  }

  private Value resolved(Type.Resolved r, MemorySegment mem, long off) {
    return switch (r.kind()) {
      case KSYM -> resolver().ksym(mem.get(U64, off));
      case USYM -> resolver().usym(mem.get(U64, off), (int) mem.get(U64, off + 8));
      case USERNAME -> resolver().username(mem.get(U64, off));
      case INET -> ValueResolver.inet(mem.get(U64, off), mem.asSlice(off + 8, 16).toArray(ValueLayout.JAVA_BYTE));
      case MACADDR -> ValueResolver.macaddr(mem.asSlice(off, 6).toArray(ValueLayout.JAVA_BYTE));
      case CGROUP_PATH -> resolver().cgroupPath(mem.get(U64, off), r.detail());
      case TIMESTAMP -> resolver().timestamp(r.detail(), mem.get(U64, off));
      case ERRNO -> ValueResolver.strerror(mem.get(U64, off));
    };
  }

  /** {@return a string's bytes, up to its terminator or the end of its buffer; bpftrace 0.17 marks no truncation} */
  static byte[] string(MemorySegment mem, long off, int size) { return cString(mem, off, size); }

  static long readInt(MemorySegment mem, long off, int bytes, boolean signed) {
    return switch (bytes) {
      case 1 -> signed ? mem.get(ValueLayout.JAVA_BYTE, off) : mem.get(ValueLayout.JAVA_BYTE, off) & 0xffL;
      case 2 -> signed ? mem.get(U16, off) : mem.get(U16, off) & 0xffffL;
      case 4 -> signed ? mem.get(U32, off) : mem.get(U32, off) & 0xffff_ffffL;
      default -> mem.get(U64, off);
    };
  }

  /** {@return the bytes before the first NUL of the {@code size}-byte buffer at {@code off}} */
  static byte[] cString(MemorySegment mem, long off, int size) {
    int n = 0;
    while (n < size && mem.get(ValueLayout.JAVA_BYTE, off + n) != 0) n++;
    return mem.asSlice(off, n).toArray(ValueLayout.JAVA_BYTE);
  }

  /** {@return a key as the list of values the formatter prints, one per index expression} */
  List<Value> keyValues(Type key, MemorySegment mem, long off, boolean multiKey) {
    if (key instanceof Type.Void) return List.of();
    Value v = decode(key, mem, off);
    if (multiKey && v instanceof Value.Tuple t) return t.elements();
    return List.of(v);
  }
}
