package jbpf.vm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jbpf.spec.MapSpec;

/** An array map ({@code BPF_MAP_TYPE_ARRAY} or {@code PERCPU_ARRAY}): u32 keys 0..maxEntries-1, all present. */
public final class ArrayMap extends VmMap {
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private final MemorySegment values;
  private final int stride;
  private final int cpus;

  ArrayMap(MapSpec spec, int cpus) {
    super(spec);
    if (spec.keySize() != 4) throw new IllegalArgumentException("create map " + spec.name() + ": array maps need 4-byte keys, not " + spec.keySize());
    if (spec.valueSize() == 0) throw new IllegalArgumentException("create map " + spec.name() + ": value size is 0");
    this.stride = stride(spec.valueSize());
    this.cpus = cpus;
    this.values = allocate(spec.name(), (long) stride * cpus * spec.maxEntries());
  }

  @Override public MemorySegment region() { return values; }

  private long offset(long index, int cpu) { return (index * cpus + cpu) * stride; }

  @Override long lookupOffset(MemorySegment key, int cpu) {
    long index = Integer.toUnsignedLong(key.get(U32, 0));
    return index < spec().maxEntries() ? offset(index, cpu) : -1;
  }

  @Override int update(MemorySegment key, MemorySegment value, long flags, int cpu) {
    if (flags > BPF_EXIST) return -EINVAL;
    long index = Integer.toUnsignedLong(key.get(U32, 0));
    if (index >= spec().maxEntries()) return -E2BIG;
    if (flags == BPF_NOEXIST) return -EEXIST;
    MemorySegment.copy(value, 0, values, offset(index, cpu), spec().valueSize());
    return 0;
  }

  @Override int delete(MemorySegment key) { return -EINVAL; }

  private long index(byte[] key) {
    checkSize("key", key, 4);
    return Integer.toUnsignedLong(MemorySegment.ofArray(key).get(U32, 0));
  }

  @Override public byte[] lookup(byte[] key) {
    long i = index(key);
    return i < spec().maxEntries() ? values.asSlice(offset(i, 0), spec().valueSize()).toArray(ValueLayout.JAVA_BYTE) : null;
  }

  @Override public List<byte[]> lookupPerCpu(byte[] key) {
    long i = index(key);
    if (i >= spec().maxEntries()) return null;
    List<byte[]> out = new ArrayList<>(cpus);
    for (int c = 0; c < cpus; c++) out.add(values.asSlice(offset(i, c), spec().valueSize()).toArray(ValueLayout.JAVA_BYTE));
    return out;
  }

  @Override public void update(byte[] key, byte[] value) {
    long i = index(key);
    checkSize("value", value, spec().valueSize());
    if (i >= spec().maxEntries()) throw new IllegalArgumentException("map " + name() + ": index " + i + " is beyond its " + spec().maxEntries() + " entries");
    for (int c = 0; c < cpus; c++) MemorySegment.copy(MemorySegment.ofArray(value), 0, values, offset(i, c), value.length);
  }

  @Override public boolean delete(byte[] key) {
    throw new UnsupportedOperationException("map " + name() + ": array map elements cannot be deleted");
  }

  @Override public List<byte[]> keys() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < spec().maxEntries(); i++) {
      byte[] k = new byte[4];
      MemorySegment.ofArray(k).set(U32, 0, i);
      out.add(k);
    }
    return out;
  }
}
