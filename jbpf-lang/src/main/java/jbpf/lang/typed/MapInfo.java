package jbpf.lang.typed;

import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;

/**
 * A map of the script: its name as written ({@code @opens}, {@code @} for the unnamed one), key and value
 * types, and, for aggregation maps, the aggregation.
 *
 * @param specName the name its {@code MapSpec} and the programs' map references use
 * @param key the key type, {@link Type.Void} for a map without keys
 * @param agg the aggregation, or {@code null} for a map assigned plain values
 * @param multiKey whether it is indexed by several expressions ({@code @x[a, b]}), whose tuple is the key
 */
public record MapInfo(String name, String specName, Type key, Type value, AggKind agg, boolean multiKey) {
  /** {@return whether the map has keys} */
  public boolean keyed() { return !(key instanceof Type.Void); }

  /** {@return the key size in bytes, including the bucket index of hist/lhist maps; at least 8} */
  public int keySize() {
    int k = keyed() ? key.size() : 0;
    if (agg != null && agg.bucketed()) k = Type.alignUp(k, 8) + 8;
    return Math.max(k, 8);
  }
}
