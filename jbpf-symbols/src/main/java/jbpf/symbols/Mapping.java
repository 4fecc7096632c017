package jbpf.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/PID/maps}:
 * <pre>
 * 7f3c2a028000-7f3c2a1bd000 r-xp 00028000 fe:01 1317278                    /usr/lib/x86_64-linux-gnu/libc.so.6
 * 7ffd5b5f3000-7ffd5b5f5000 r-xp 00000000 00:00 0                          [vdso]
 * 7f3c29e00000-7f3c29e21000 rwxp 00000000 00:00 0
 * 55d0c8a00000-55d0c8a01000 r-xp 00000000 fe:01 42                         /tmp/a.out (deleted)
 * </pre>
 *
 * @param start first address
 * @param end one past the last address
 * @param perms e.g. {@code r-xp}
 * @param offset the file offset mapped at {@code start}
 * @param device {@code major:minor} in hex
 * @param inode the file's inode, 0 for anonymous memory
 * @param path the file as the process sees it (without {@code " (deleted)"}), a pseudo name like {@code [vdso]},
 *     or empty for anonymous memory
 * @param deleted whether the file was deleted or replaced after it was mapped
 */
public record Mapping(long start, long end, String perms, long offset, String device, long inode, String path, boolean deleted) {
  /** {@return whether the memory is executable} */
  public boolean executable() { return perms.length() > 2 && perms.charAt(2) == 'x'; }

  /** {@return whether a file backs this mapping} */
  public boolean isFile() { return inode != 0 && path.startsWith("/"); }

  /** {@return whether {@code address} lies in this mapping} */
  public boolean contains(long address) { return Long.compareUnsigned(address - start, end - start) < 0; }

  /**
   * {@return the mappings of process {@code pid}}
   * @throws IOException if the process does not exist or its maps cannot be read
   */
  public static List<Mapping> read(int pid) throws IOException {
    Path p = Path.of("/proc", Integer.toString(pid), "maps");
    try {
      return parse(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException("read memory map of process " + pid + ": " + (Files.exists(p.getParent()) ? e.getMessage() : "no such process"), e);
    }
  }

  /** {@return the mappings in {@code text}, in {@code /proc/PID/maps} format; malformed lines are skipped} */
  public static List<Mapping> parse(String text) {
    List<Mapping> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      Mapping m = parseLine(line);
      if (m != null) out.add(m);
    }
    return out;
  }

  private static Mapping parseLine(String line) {
    try {
      int dash = line.indexOf('-'), sp = line.indexOf(' ', dash);
      if (dash <= 0 || sp < 0) return null;
      long start = Long.parseUnsignedLong(line, 0, dash, 16), end = Long.parseUnsignedLong(line, dash + 1, sp, 16);
      int p1 = sp + 1, p2 = line.indexOf(' ', p1);
      String perms = line.substring(p1, p2);
      int o2 = line.indexOf(' ', p2 + 1);
      long off = Long.parseUnsignedLong(line, p2 + 1, o2, 16);
      int d2 = line.indexOf(' ', o2 + 1);
      String dev = line.substring(o2 + 1, d2);
      int i2 = line.indexOf(' ', d2 + 1);
      if (i2 < 0) i2 = line.length();
      long inode = Long.parseLong(line, d2 + 1, i2, 10);
      String path = i2 < line.length() ? line.substring(i2).strip() : "";
      boolean deleted = path.endsWith(" (deleted)");
      if (deleted) path = path.substring(0, path.length() - " (deleted)".length());
      return new Mapping(start, end, perms, off, dev, inode, path, deleted);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
