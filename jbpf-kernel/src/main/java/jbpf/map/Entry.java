package jbpf.map;

/**
 * A copied map entry. For a per-CPU map, {@code value} holds every possible CPU's value, each padded to
 * {@link BpfMap#valueStride()} bytes.
 */
public record Entry(byte[] key, byte[] value) {}
