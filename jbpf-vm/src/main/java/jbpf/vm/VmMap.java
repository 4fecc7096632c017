package jbpf.vm;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import jbpf.spec.MapSpec;

/**
 * A map that lives in userspace, shared by the programs of one {@link Vm} and by Java code. Values live in one
 * memory region per map, so a program's pointer to a value is an address inside that region.
 *
 * <p>Error results of the program-side operations are negative errno values, as the kernel's helpers return.
 */
public abstract sealed class VmMap permits ArrayMap, HashTableMap, RingBuffer {
  static final int EPERM = 1, ENOENT = 2, E2BIG = 7, EAGAIN = 11, EFAULT = 14, EEXIST = 17, EINVAL = 22, ENOSPC = 28;
  static final long BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2;

  private final MapSpec spec;

  VmMap(MapSpec spec) { this.spec = Objects.requireNonNull(spec); }

  /**
   * {@return a new empty map made from {@code spec}}
   *
   * @param cpus the number of per-CPU copies for per-CPU map types
   * @throws IllegalArgumentException if the map type is not supported in userspace or its sizes are invalid
   */
  public static VmMap create(MapSpec spec, int cpus) {
    return switch (spec.type()) {
      case ARRAY, PERCPU_ARRAY -> new ArrayMap(spec, spec.type().perCpu() ? cpus : 1);
      case HASH, PERCPU_HASH -> new HashTableMap(spec, spec.type().perCpu() ? cpus : 1);
      case RINGBUF -> new RingBuffer(spec);
      default -> throw new IllegalArgumentException("create map " + spec.name() + ": map type " + spec.type()
          + " is not supported by the userspace VM (supported: ARRAY, PERCPU_ARRAY, HASH, PERCPU_HASH, RINGBUF)");
    };
  }

  /** {@return the blueprint this map was made from} */
  public MapSpec spec() { return spec; }

  /** {@return the map's name} */
  public String name() { return spec.name(); }

  /** {@return the memory holding the map's values (or a ring buffer's records), as programs address it} */
  public abstract MemorySegment region();

  /** {@return the offset in {@link #region()} of the value for {@code key} on {@code cpu}, or -1 if absent} */
  abstract long lookupOffset(MemorySegment key, int cpu);

  /** {@return 0, or a negative errno} */
  abstract int update(MemorySegment key, MemorySegment value, long flags, int cpu);

  /** {@return 0, or a negative errno} */
  abstract int delete(MemorySegment key);

  /** {@return the value for {@code key} (the first CPU's copy for per-CPU maps), or {@code null}} */
  public abstract byte[] lookup(byte[] key);

  /** {@return one value per CPU for {@code key}, or {@code null}; a single value for maps that are not per-CPU} */
  public abstract List<byte[]> lookupPerCpu(byte[] key);

  /**
   * Sets the value for {@code key}; for per-CPU maps on every CPU.
   *
   * @throws IllegalArgumentException if the key or value has the wrong size, or the map is full
   */
  public abstract void update(byte[] key, byte[] value);

  /** {@return whether {@code key} was present and is now removed} @throws UnsupportedOperationException for arrays */
  public abstract boolean delete(byte[] key);

  /** {@return the keys present, in no particular order} */
  public abstract List<byte[]> keys();

  void checkSize(String what, byte[] b, int size) {
    if (b.length != size) throw new IllegalArgumentException(
        "map " + name() + ": " + what + " is " + b.length + " bytes, the map's " + what + " size is " + size);
  }

  static int stride(int valueSize) { return (valueSize + 7) & ~7; }

  static MemorySegment allocate(String name, long bytes) {
    if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("create map " + name + ": " + bytes + " bytes of values exceed 2 GiB");
    return MemorySegment.ofArray(new long[(int) ((bytes + 7) / 8)]);
  }

  @Override public String toString() { return spec.type() + " map " + name(); }
}
