package jbpf.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** The capabilities of this process, read from {@code /proc/self/status}. */
public final class Capabilities {
  private Capabilities() {}

  /** {@return the effective capabilities of this process} */
  public static Set<Capability> effective() {
    try {
      return parseEffective(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException e) {
      throw new UncheckedIOException("read /proc/self/status", e);
    }
  }

  /**
   * {@return the effective set in the text of a {@code /proc/PID/status} file}, from its line
   * {@code CapEff:\t000001ffffffffff} (a hexadecimal bit mask, bit n for capability n; unknown bits are ignored).
   * @throws IllegalArgumentException if the text has no well-formed {@code CapEff} line
   */
  public static Set<Capability> parseEffective(String status) {
    for (String line : status.split("\n")) {
      if (!line.startsWith("CapEff:")) continue;
      String hex = line.substring("CapEff:".length()).strip();
      long mask;
      try {
        mask = Long.parseUnsignedLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed CapEff line: " + line);
      }
      return fromMask(mask);
    }
    throw new IllegalArgumentException("no CapEff line in the status text");
  }

  /** {@return the capabilities whose bits are set in {@code mask}} */
  public static Set<Capability> fromMask(long mask) {
    EnumSet<Capability> out = EnumSet.noneOf(Capability.class);
    for (Capability c : Capability.values())
      if (c.number() < 64 && (mask & (1L << c.number())) != 0) out.add(c);
    return out;
  }

  /** {@return whether {@code effective} grants every capability in {@code needed}}, see {@link Capability#grantedBy} */
  public static boolean grants(Set<Capability> effective, Set<Capability> needed) {
    for (Capability c : needed) if (!c.grantedBy(effective)) return false;
    return true;
  }

  /**
   * {@return what a process needs on {@code kernel} for work that needs {@code modern} on Linux 5.8 and later}:
   * {@code modern} itself there, {@code CAP_SYS_ADMIN} before, when {@code CAP_BPF} and {@code CAP_PERFMON} did
   * not exist yet.
   */
  public static Set<Capability> needed(KernelVersion kernel, Set<Capability> modern) {
    return kernel.atLeast(5, 8) ? EnumSet.copyOf(modern) : EnumSet.of(Capability.CAP_SYS_ADMIN);
  }
}
