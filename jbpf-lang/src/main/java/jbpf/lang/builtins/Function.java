package jbpf.lang.builtins;

/**
 * The functions a program computes in the kernel, as {@link jbpf.lang.typed.TExpr.Call} nodes name them.
 * Functions evaluated at compile time ({@code kaddr}, {@code cgroupid}, {@code sizeof}...) become constants and
 * asynchronous ones ({@code system}, {@code cat}...) become events; neither appears here.
 */
public enum Function {
  /** {@code str(ptr[, len])}: args {@code (source, length)}; {@code imm} holds the {@link Read} flags. */
  STR,
  /** {@code buf(ptr, len)}: args {@code (source, length)}; {@code imm} holds the {@link Read} flags. */
  BUF,
  /** {@code ksym(addr)}. */
  KSYM,
  /** {@code strerror(errno)}: the number, described by userspace. */
  STRERROR,
  /** {@code usym(addr)}: the address with the current process's pid. */
  USYM,
  /** {@code ntop([af, ]addr)}: args {@code (af, addr)}. */
  NTOP,
  /** {@code pton("addr")}: the address bytes, little-endian in the {@code Const} args (two for IPv6). */
  PTON,
  /** {@code macaddr(addr)}; {@code imm} holds the {@link Read} flags when {@code addr} is a pointer. */
  MACADDR,
  /** {@code reg("name")}: {@code imm} is the register's offset in {@code struct pt_regs}. */
  REG,
  /** {@code kstack}, {@code kstack(mode, depth)}. */
  KSTACK,
  /** {@code ustack}, {@code ustack(mode, depth)}. */
  USTACK,
  /** {@code nsecs(clock)}: {@code imm} is the {@link Clock}'s ordinal. */
  NSECS,
  /** {@code username}. */
  USERNAME,
  /** {@code usermode}: whether the probe fired in user mode, from the probe's registers. */
  USERMODE,
  /** {@code strftime(fmt, ns)}: the format is in the result type. */
  STRFTIME,
  /** {@code cgroup_path(id[, filter])}: the filter is in the result type. */
  CGROUP_PATH,
  /** {@code signal(sig)}. */
  SIGNAL,
  /** {@code override(rc)}. */
  OVERRIDE,
  /** {@code strncmp(a, b, n)}: 0 when the first {@code imm} characters are equal, else 1. */
  STRNCMP,
  /** {@code strcontains(haystack, needle)}: 1 or 0. */
  STRCONTAINS,
  /** {@code bswap(x)}: the bytes of an integer reversed. */
  BSWAP,
  /** {@code len(string)}: the bytes before the first NUL. */
  STRLEN,
  /** {@code len(stack)}: the frames of a stack. */
  STACKLEN,
  /** {@code path(struct path *)}: {@code bpf_d_path}. */
  PATH,
  /** The strings of {@code join(array)}: up to {@code imm} elements read from a {@code char *[]}. */
  JOIN_ARGS,
  /** {@code skboutput(path, skb, len, offset)}: {@code imm} is the capture's index; args {@code (skb, len, offset)}. */
  SKBOUTPUT,
  /** {@code debugf(fmt, args...)}: {@code bpf_trace_printk}; the format is the first arg, a string constant. */
  DEBUGF;

  /** Flags of a memory read ({@code imm} of {@link #STR}, {@link #BUF}, {@link #MACADDR}). */
  public static final class Read {
    private Read() {}

    /** The source is in user memory ({@code probe_read_user}). */
    public static final long USER = 1;
    /**
     * The source is in kernel memory ({@code probe_read_kernel}). Without this flag or {@link #USER} the address
     * space is unknown (an integer used as an address) and the read uses {@code probe_read}, which on x86-64 reads
     * either, as bpftrace 0.17 does.
     */
    public static final long KERNEL = 8;
    /** The length is a run-time value, to be clamped to the buffer. */
    public static final long DYNAMIC_LENGTH = 4;
  }

  /** The clocks of {@code nsecs(clock)}. */
  public enum Clock {
    /** {@code CLOCK_MONOTONIC}: {@code bpf_ktime_get_ns}. */
    MONOTONIC,
    /** {@code CLOCK_BOOTTIME}: {@code bpf_ktime_get_boot_ns}. */
    BOOT,
    /** {@code CLOCK_TAI}: {@code bpf_ktime_get_tai_ns} (Linux 6.1). */
    TAI,
    /** TAI computed as boot time plus the offset between the clocks when the script started. */
    SW_TAI
  }
}
