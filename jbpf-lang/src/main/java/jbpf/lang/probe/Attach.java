package jbpf.lang.probe;

/**
 * One concrete place a probe attaches to, after aliases and wildcards are resolved. {@link #name()} is the
 * full probe name bpftrace shows for it, e.g. {@code tracepoint:syscalls:sys_enter_openat}.
 */
public sealed interface Attach {
  /** {@return the full probe name} */
  String name();

  /** {@return the probe type} */
  ProbeType type();

  /** {@code BEGIN} or {@code END}: run once, in userspace's order. */
  record Special(ProbeType type) implements Attach {
    @Override public String name() { return type.canonical(); }
  }

  /** {@code tracepoint:CATEGORY:EVENT}. */
  record Tracepoint(String category, String event) implements Attach {
    @Override public String name() { return "tracepoint:" + category + ":" + event; }
    @Override public ProbeType type() { return ProbeType.TRACEPOINT; }
  }

  /**
   * {@code interval:UNIT:N} or {@code profile:UNIT:N}: a timer firing every {@code periodNanos}, or
   * {@code hz} times a second when {@code hz > 0}; interval runs on one CPU, profile on every CPU.
   *
   * @param spec the unit and count as written after the provider, for the full name
   */
  record Timer(ProbeType type, String spec, long periodNanos, long hz) implements Attach {
    @Override public String name() { return type.canonical() + ":" + spec; }
  }
}
