package jbpf.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The dynamic linker's cache {@code /etc/ld.so.cache} in glibc's {@code glibc-ld.so.cache1.1} format
 * (elf/cache.c, sysdeps/generic/dl-cache.h), possibly preceded by the old {@code ld.so-1.7.0} table:
 * <pre>
 * struct cache_file_new { char magic[17] "glibc-ld.so.cache"; char version[3] "1.1"; uint32_t nlibs;
 *   uint32_t len_strings; uint8_t flags; uint8_t padding[3]; uint32_t extension_offset; uint32_t unused[3];
 *   struct file_entry_new libs[nlibs]; }     // 48-byte header
 * struct file_entry_new { int32_t flags; uint32_t key, value; uint32_t osversion; uint64_t hwcap; }   // 24 bytes
 * </pre>
 * String offsets ({@code key}: the soname, {@code value}: the path) count from the start of the new header.
 */
public final class LdSoCache {
  /** One library: its soname ({@code libc.so.6}), path, and {@code FLAG_*} bits of the entry. */
  public record Entry(String name, String path, int flags) {
    /** {@return whether the entry is for x86-64 ({@code FLAG_ELF_LIBC6 | FLAG_X8664_LIB64})} */
    public boolean x8664() { return (flags & 0xff) == 0x03 && (flags & 0xff00) == 0x0300; }

    /** {@return whether the entry is for AArch64 ({@code FLAG_ELF_LIBC6 | FLAG_AARCH64_LIB64})} */
    public boolean aarch64() { return (flags & 0xff) == 0x03 && (flags & 0xff00) == 0x0a00; }
  }

  private static final String OLD_MAGIC = "ld.so-1.7.0", NEW_MAGIC = "glibc-ld.so.cache1.1";

  private final List<Entry> entries;

  private LdSoCache(List<Entry> entries) { this.entries = List.copyOf(entries); }

  /** {@return {@code /etc/ld.so.cache}} */
  public static LdSoCache load() throws IOException { return load(Path.of("/etc/ld.so.cache")); }

  /**
   * {@return the cache in {@code file}}
   * @throws IOException if it cannot be read or is not in a format this reader knows
   */
  public static LdSoCache load(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    try {
      return parse(data);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException("read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@return the cache in {@code data}} */
  public static LdSoCache parse(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int start = 0;
    if (startsWith(data, 0, OLD_MAGIC)) {
      int nlibs = b.getInt(12);                               // struct file_entry { int flags; uint32 key, value; }
      start = (16 + nlibs * 12 + 7) & ~7;
    }
    if (!startsWith(data, start, NEW_MAGIC)) throw new IllegalArgumentException("not a glibc-ld.so.cache1.1 file");
    int nlibs = b.getInt(start + 20);
    if (nlibs < 0 || (long) nlibs * 24 > data.length) throw new IllegalArgumentException("library count " + nlibs + " exceeds the file");
    List<Entry> out = new ArrayList<>(nlibs);
    for (int i = 0; i < nlibs; i++) {
      int e = start + 48 + i * 24;
      int flags = b.getInt(e);
      String key = string(data, start + b.getInt(e + 4)), value = string(data, start + b.getInt(e + 8));
      out.add(new Entry(key, value, flags));
    }
    return new LdSoCache(out);
  }

  private static boolean startsWith(byte[] d, int at, String s) {
    if (at + s.length() > d.length) return false;
    for (int i = 0; i < s.length(); i++) if (d[at + i] != s.charAt(i)) return false;
    return true;
  }

  private static String string(byte[] d, int at) {
    if (at < 0 || at >= d.length) throw new IllegalArgumentException("string offset " + at + " outside the file");
    int end = at;
    while (end < d.length && d[end] != 0) end++;
    return new String(d, at, end - at, StandardCharsets.UTF_8);
  }

  /** {@return every entry, in cache order (the linker's preference order)} */
  public List<Entry> entries() { return entries; }
}
