package jbpf.elf;

/**
 * The contents of a {@code .gnu_debuglink} section: where the separate debug file is and its checksum.
 *
 * @param fileName the debug file's name, looked for next to the binary and under {@code /usr/lib/debug}
 * @param crc32 the CRC-32 (as {@link java.util.zip.CRC32} computes it) of the whole debug file
 */
public record DebugLink(String fileName, int crc32) {}
