package jbpf.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The CPUs of this machine. Per-CPU map values come one per <em>possible</em> CPU, in order of CPU number
 * ({@code for_each_possible_cpu} in kernel/bpf/hashtab.c), so their count is that of
 * {@code /sys/devices/system/cpu/possible}, which may exceed the online CPUs.
 */
public final class Cpus {
  private Cpus() {}

  private static final class Possible {
    static final int[] IDS = read("/sys/devices/system/cpu/possible");
  }

  private static int[] read(String file) {
    try {
      return parseList(Files.readString(Path.of(file)));
    } catch (IOException | IllegalArgumentException e) {
      int n = Math.max(1, Runtime.getRuntime().availableProcessors());
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) ids[i] = i;
      return ids;
    }
  }

  /** {@return the number of possible CPUs, the count of values of a per-CPU map entry} */
  public static int possibleCount() { return Possible.IDS.length; }

  /** {@return the numbers of the possible CPUs, ascending; entry {@code i} of a per-CPU value belongs to CPU {@code ids[i]}} */
  public static int[] possible() { return Possible.IDS.clone(); }

  /** {@return the numbers of the CPUs online now, from {@code /sys/devices/system/cpu/online}} */
  public static int[] online() { return read("/sys/devices/system/cpu/online"); }

  /**
   * {@return the CPU numbers in a kernel cpu list such as {@code 0-3,8,10-11}} (the format of
   * {@code /sys/devices/system/cpu/possible}; a trailing newline is allowed).
   * @throws IllegalArgumentException if the text is not such a list
   */
  public static int[] parseList(String text) {
    BitSet set = new BitSet();
    String t = text.strip();
    if (t.isEmpty()) throw new IllegalArgumentException("empty cpu list");
    for (String part : t.split(",")) {
      try {
        int dash = part.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
        if (lo < 0 || hi < lo) throw new IllegalArgumentException("bad cpu range in list: " + text);
        set.set(lo, hi + 1);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad cpu list: " + text.strip());
      }
    }
    return set.stream().toArray();
  }
}
