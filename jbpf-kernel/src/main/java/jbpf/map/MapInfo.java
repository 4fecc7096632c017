package jbpf.map;

/**
 * What the kernel reports about a loaded map ({@code struct bpf_map_info}).
 *
 * @param type bpftool's name of the map type, e.g. {@code percpu_hash}
 * @param name the name as the kernel keeps it (at most 15 bytes)
 */
public record MapInfo(int id, String name, String type, int keySize, int valueSize, int maxEntries, int flags) {}
