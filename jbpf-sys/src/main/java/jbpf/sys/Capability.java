package jbpf.sys;

import java.util.Set;

/** A Linux capability, numbered as in include/uapi/linux/capability.h. */
public enum Capability {
  CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_SETGID, CAP_SETUID,
  CAP_SETPCAP, CAP_LINUX_IMMUTABLE, CAP_NET_BIND_SERVICE, CAP_NET_BROADCAST, CAP_NET_ADMIN, CAP_NET_RAW,
  CAP_IPC_LOCK, CAP_IPC_OWNER, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_CHROOT, CAP_SYS_PTRACE, CAP_SYS_PACCT,
  CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_SYS_NICE, CAP_SYS_RESOURCE, CAP_SYS_TIME, CAP_SYS_TTY_CONFIG, CAP_MKNOD,
  CAP_LEASE, CAP_AUDIT_WRITE, CAP_AUDIT_CONTROL, CAP_SETFCAP, CAP_MAC_OVERRIDE, CAP_MAC_ADMIN, CAP_SYSLOG,
  CAP_WAKE_ALARM, CAP_BLOCK_SUSPEND, CAP_AUDIT_READ, CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE;

  private static final Capability[] ALL = values();

  /** {@return the capability's number, e.g. 39 for {@code CAP_BPF}} */
  public int number() { return ordinal(); }

  /**
   * {@return the order capabilities are listed in messages: {@code CAP_BPF}, {@code CAP_PERFMON}, as in "CAP_BPF and
   * CAP_PERFMON", then the others by number}
   */
  public static java.util.Comparator<Capability> messageOrder() {
    return java.util.Comparator.comparingInt((Capability c) -> c == CAP_BPF ? 0 : c == CAP_PERFMON ? 1 : 2)
        .thenComparing(java.util.Comparator.naturalOrder());
  }

  /** {@return the capability numbered {@code n}, or {@code null} if this table does not know it} */
  public static Capability of(int n) { return n >= 0 && n < ALL.length ? ALL[n] : null; }

  /**
   * {@return whether a process with {@code effective} capabilities may do what this one allows}: the kernel's
   * {@code bpf_capable()} and {@code perfmon_capable()} also accept {@code CAP_SYS_ADMIN}
   * (include/linux/capability.h).
   */
  public boolean grantedBy(Set<Capability> effective) {
    if (effective.contains(this)) return true;
    return (this == CAP_BPF || this == CAP_PERFMON) && effective.contains(CAP_SYS_ADMIN);
  }
}
