package jbpf.kernel.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jbpf.sys.BpfException;
import jbpf.sys.Capabilities;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.KernelVersion;
import jbpf.sys.Memlock;
import jbpf.sys.PermissionException;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/** How jbpf.kernel calls {@code bpf(2)} and words its failures. */
public final class BpfCall {
  private BpfCall() {}

  /**
   * Runs {@code bpf(cmd, attr)}. {@return the non-negative result}
   * @throws BpfException from {@link #error} on failure
   */
  public static long run(int cmd, MemorySegment attr, MemorySegment state, String operation, String activity, Capability... needs) {
    long r = Sys.bpf(state, cmd, attr);
    if (r < 0) throw error(operation, Errno.from(state), activity, needs);
    return r;
  }

  /**
   * {@return the exception for {@code operation} failing with {@code errno}}. {@code EPERM} becomes a
   * {@link PermissionException} for {@code activity} when this process lacks {@code needs}; with the
   * capabilities present, on a kernel before 5.11 it is the {@code RLIMIT_MEMLOCK} charge instead.
   */
  public static BpfException error(String operation, Errno errno, String activity, Capability... needs) {
    if (errno != Errno.EPERM) return new SyscallException(operation, errno);
    KernelVersion kernel = KernelVersion.current();
    return eperm(operation, activity, Capabilities.needed(kernel, needs.length == 0 ? EnumSet.of(Capability.CAP_BPF)
        : EnumSet.copyOf(List.of(needs))), Capabilities.effective(), kernel, Memlock.charged() ? Memlock.current() : -1);
  }

  /**
   * {@return the exception for {@code EPERM} from {@code operation}}: a {@link PermissionException} when
   * {@code effective} lacks {@code needed}; with every capability present, on a kernel before 5.11, the
   * {@code RLIMIT_MEMLOCK} limit ({@code memlock} bytes, -1 for unlimited) instead.
   */
  static BpfException eperm(String operation, String activity, Set<Capability> needed, Set<Capability> effective,
                            KernelVersion kernel, long memlock) {
    if (!Capabilities.grants(effective, needed)) return new PermissionException(activity, needed, effective).withContext(operation);
    // EPERM with every capability, often with an empty verifier log: before Linux 5.11 BPF objects were charged
    // to RLIMIT_MEMLOCK, not a missing capability.
    if (!kernel.atLeast(5, 11))
      return new SyscallException(operation + ": RLIMIT_MEMLOCK (" + (memlock < 0 ? "unlimited" : memlock / 1024 + " KiB")
          + ") is too low for BPF on Linux " + kernel + "; raise it, e.g. ulimit -l unlimited", Errno.EPERM);
    return new SyscallException(operation, Errno.EPERM);
  }

  /**
   * Writes {@code name} as a kernel object name at {@code offset}: at most 15 bytes and a NUL, with every byte the
   * kernel refuses (anything but letters, digits, {@code _} and {@code .}, see bpf_obj_name_cpy in
   * kernel/bpf/syscall.c) replaced by {@code _}.
   */
  public static void putName(MemorySegment attr, long offset, String name) {
    String n = objectName(name);
    for (int i = 0; i < n.length(); i++) attr.set(JAVA_BYTE, offset + i, (byte) n.charAt(i));
    attr.set(JAVA_BYTE, offset + n.length(), (byte) 0);
  }

  /** {@return {@code name} as the kernel will store it: sanitized and cut to 15 bytes} */
  public static String objectName(String name) {
    StringBuilder b = new StringBuilder(15);
    for (int i = 0; i < name.length() && b.length() < 15; i++) {
      char c = name.charAt(i);
      b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.') ? c : '_');
    }
    return b.toString();
  }
}
