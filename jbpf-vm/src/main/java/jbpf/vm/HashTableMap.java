package jbpf.vm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import jbpf.spec.MapSpec;

/**
 * A hash map ({@code BPF_MAP_TYPE_HASH} or {@code PERCPU_HASH}) with preallocated value slots, as the kernel's
 * default: a deleted element's slot is reused, so a program still holding a pointer to it sees the new value.
 */
public final class HashTableMap extends VmMap {
  /** A key compared by content. */
  private record Key(byte[] bytes) {
    @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(bytes, k.bytes); }
    @Override public int hashCode() { return Arrays.hashCode(bytes); }
  }

  private final MemorySegment values;
  private final int stride;
  private final int cpus;
  private final ConcurrentHashMap<Key, Integer> index = new ConcurrentHashMap<>();
  private final ArrayDeque<Integer> free = new ArrayDeque<>();

  HashTableMap(MapSpec spec, int cpus) {
    super(spec);
    if (spec.keySize() == 0 || spec.valueSize() == 0) throw new IllegalArgumentException("create map " + spec.name() + ": key and value sizes must be positive");
    this.stride = stride(spec.valueSize());
    this.cpus = cpus;
    this.values = allocate(spec.name(), (long) stride * cpus * spec.maxEntries());
    for (int i = 0; i < spec.maxEntries(); i++) free.add(i);
  }

  @Override public MemorySegment region() { return values; }

  private long offset(int slot, int cpu) { return ((long) slot * cpus + cpu) * stride; }

  @Override long lookupOffset(MemorySegment key, int cpu) {
    Integer slot = index.get(new Key(key.toArray(ValueLayout.JAVA_BYTE)));
    return slot == null ? -1 : offset(slot, cpu);
  }

  @Override int update(MemorySegment key, MemorySegment value, long flags, int cpu) {
    if (flags > BPF_EXIST) return -EINVAL;
    return put(new Key(key.toArray(ValueLayout.JAVA_BYTE)), value, flags, cpu);
  }

  /** Writes the value into the element's slot, allocating one for a new key; {@code cpu < 0} writes every CPU. */
  private synchronized int put(Key k, MemorySegment value, long flags, int cpu) {
    Integer slot = index.get(k);
    if (slot != null && flags == BPF_NOEXIST) return -EEXIST;
    if (slot == null && flags == BPF_EXIST) return -ENOENT;
    boolean fresh = slot == null;
    if (fresh) {
      slot = free.poll();
      if (slot == null) return -E2BIG;
    }
    for (int c = 0; c < cpus; c++) {
      long at = offset(slot, c);
      if (cpu < 0 || c == cpu) MemorySegment.copy(value, 0, values, at, spec().valueSize());
      else if (fresh) values.asSlice(at, stride).fill((byte) 0);
    }
    if (fresh) index.put(k, slot);
    return 0;
  }

  @Override synchronized int delete(MemorySegment key) {
    Integer slot = index.remove(new Key(key.toArray(ValueLayout.JAVA_BYTE)));
    if (slot == null) return -ENOENT;
    free.add(slot);
    return 0;
  }

  @Override public byte[] lookup(byte[] key) {
    checkSize("key", key, spec().keySize());
    Integer slot = index.get(new Key(key.clone()));
    return slot == null ? null : values.asSlice(offset(slot, 0), spec().valueSize()).toArray(ValueLayout.JAVA_BYTE);
  }

  @Override public List<byte[]> lookupPerCpu(byte[] key) {
    checkSize("key", key, spec().keySize());
    Integer slot = index.get(new Key(key.clone()));
    if (slot == null) return null;
    List<byte[]> out = new ArrayList<>(cpus);
    for (int c = 0; c < cpus; c++) out.add(values.asSlice(offset(slot, c), spec().valueSize()).toArray(ValueLayout.JAVA_BYTE));
    return out;
  }

  @Override public void update(byte[] key, byte[] value) {
    checkSize("key", key, spec().keySize());
    checkSize("value", value, spec().valueSize());
    int r = put(new Key(key.clone()), MemorySegment.ofArray(value), BPF_ANY, -1);
    if (r == -E2BIG) throw new IllegalArgumentException("map " + name() + ": full (" + spec().maxEntries() + " entries)");
  }

  @Override public boolean delete(byte[] key) {
    checkSize("key", key, spec().keySize());
    return delete(MemorySegment.ofArray(key)) == 0;
  }

  @Override public List<byte[]> keys() {
    List<byte[]> out = new ArrayList<>();
    for (Key k : index.keySet()) out.add(k.bytes().clone());
    return out;
  }
}
