package jbpf.lang.codegen;

import jbpf.lang.typed.MapInfo;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;

/**
 * How a script map is kept in the kernel.
 *
 * <ul>
 *   <li>A {@code count()} map without keys is a per-CPU array of one u64, as in bpftrace: its lookup never fails
 *       (the kernel inlines it), it reads 0 before the first count, and {@code clear()} zeroes it.</li>
 *   <li>A {@code hist()} or {@code lhist()} map without keys is a per-CPU array indexed by bucket.</li>
 *   <li>Other aggregations are per-CPU hash maps; hist and lhist keys are the user's key followed by a u64 bucket
 *       index at the next 8-byte boundary. Plain values are in hash maps.</li>
 * </ul>
 *
 * @param keySize key bytes; 4 (the index) for arrays
 * @param valueSize value bytes of one CPU's slot for per-CPU maps
 * @param entries capacity: {@code max_map_keys} for hash maps with keys, the bucket count for bucket arrays
 */
record MapStorage(MapType type, int keySize, int valueSize, int entries) {
  /** {@return the storage of {@code m}, whose hash maps hold at most {@code maxKeys} entries} */
  static MapStorage of(MapInfo m, int maxKeys) {
    AggKind agg = m.agg();
    if (agg != null && !m.keyed()) {
      if (agg == AggKind.COUNT) return new MapStorage(MapType.PERCPU_ARRAY, 4, 8, 1);
      if (agg.bucketed()) return new MapStorage(MapType.PERCPU_ARRAY, 4, 8, buckets((Type.Agg) m.value()));
    }
    if (agg != null) return new MapStorage(MapType.PERCPU_HASH, m.keySize(), agg.valueSize(), maxKeys);
    int valueSize = Math.max(8, Type.alignUp(m.value().size(), 8));
    return new MapStorage(MapType.HASH, m.keySize(), valueSize, m.keyed() ? maxKeys : 1);
  }

  /** {@return the blueprint of the map named {@code name}} */
  MapSpec spec(String name) { return new MapSpec(name, type, keySize, valueSize, entries); }

  /** {@return whether the map is an array, whose entries always exist and cannot be deleted} */
  boolean isArray() { return type == MapType.PERCPU_ARRAY || type == MapType.ARRAY; }

  /**
   * {@return the number of buckets of a hist or lhist value: the largest index {@link AggregateGen} computes,
   * plus one} For {@code hist(x, k)} that is (64 - k)·2<sup>k</sup> + 1: positive 64-bit values have at most
   * 63 significant bits. For {@code lhist(x, min, max, step)} it is (max - min) / step + 2.
   */
  static int buckets(Type.Agg agg) {
    if (agg.kind() == AggKind.LHIST) return (int) ((agg.max() - agg.min()) / agg.step() + 2);
    int k = (int) agg.step();
    return (64 - k) * (1 << k) + 1;
  }
}
