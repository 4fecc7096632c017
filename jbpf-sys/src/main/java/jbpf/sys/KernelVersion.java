package jbpf.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel version, as in the release string of {@code uname -r} ({@code 6.18.44-fc-v669}).
 *
 * @param release the whole release string
 */
public record KernelVersion(int major, int minor, int patch, String release) implements Comparable<KernelVersion> {
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** {@return the version in {@code release}} @throws IllegalArgumentException if it does not start with {@code N.N} */
  public static KernelVersion parse(String release) {
    Matcher m = VERSION.matcher(release);
    if (!m.find()) throw new IllegalArgumentException("not a kernel release: " + release);
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch, release);
  }

  /** {@return the version {@code major.minor.0}} */
  public static KernelVersion of(int major, int minor) { return new KernelVersion(major, minor, 0, major + "." + minor); }

  private static final class Current {
    static final KernelVersion VALUE = read();

    private static KernelVersion read() {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment buf = arena.allocate(Sys.UTSNAME);
        MemorySegment state = Sys.callState(arena);
        Sys.check(Sys.uname(state, buf), state, "uname");
        return parse(buf.asSlice(2 * 65, 65).getString(0));
      }
    }
  }

  /** {@return the running kernel's version, from {@code uname(2)}} */
  public static KernelVersion current() { return Current.VALUE; }

  /** {@return whether this is {@code major.minor} or newer} */
  public boolean atLeast(int major, int minor) {
    return this.major != major ? this.major > major : this.minor >= minor;
  }

  /** {@return the {@code KERNEL_VERSION(a, b, c)} code of {@code kern_version}, the patch level capped at 255} */
  public int code() { return (major << 16) + (minor << 8) + Math.min(patch, 255); }

  @Override public int compareTo(KernelVersion o) {
    if (major != o.major) return Integer.compare(major, o.major);
    if (minor != o.minor) return Integer.compare(minor, o.minor);
    return Integer.compare(patch, o.patch);
  }

  /** {@return {@code major.minor.patch}} */
  @Override public String toString() { return major + "." + minor + "." + patch; }
}
