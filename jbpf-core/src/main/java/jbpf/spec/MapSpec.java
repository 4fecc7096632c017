package jbpf.spec;

import java.util.Objects;

/**
 * A blueprint of a kernel map, identical on every machine; {@code jbpf.map.BpfMap} creates the live map.
 *
 * @param name the name programs refer to it by ({@code Ref.Map}); the kernel sees at most 15 bytes of it
 * @param keySize key size in bytes (0 for ring buffers)
 * @param valueSize value size in bytes (0 for ring buffers)
 * @param maxEntries capacity; for a ring buffer, its size in bytes (a power of two, a multiple of the page size)
 * @param flags {@code BPF_F_*} map flags
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {
  /** {@code BPF_F_NO_PREALLOC}: allocate hash entries on insert rather than at creation. */
  public static final int NO_PREALLOC = 1;

  public MapSpec {
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
    if (keySize < 0 || valueSize < 0 || maxEntries <= 0) throw new IllegalArgumentException("bad map " + name + " sizes");
  }

  public MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries) {
    this(name, type, keySize, valueSize, maxEntries, 0);
  }

  /** {@return a ring buffer of {@code bytes} bytes} */
  public static MapSpec ringBuffer(String name, int bytes) { return new MapSpec(name, MapType.RINGBUF, 0, 0, bytes); }
}
