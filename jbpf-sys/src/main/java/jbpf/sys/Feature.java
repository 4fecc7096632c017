package jbpf.sys;

/**
 * A kernel or machine feature that jbpf probes for before relying on it, with what it needs: a minimum Linux
 * version, a kernel configuration option, or hardware. {@code jbpf.features.Features} runs the probes;
 * {@link #notSupported} words the error when one fails.
 */
public enum Feature {
  RINGBUF("ring buffer maps", 5, 8, null, null),
  PERF_LINK("BPF links for perf events", 5, 15, null, null),
  ATTACH_COOKIE("the bpf_get_attach_cookie helper", 5, 15, null, null),
  KPROBES("kprobes", 4, 17, "CONFIG_KPROBES", "this kernel cannot attach kprobes"),
  UPROBES("uprobes", 4, 17, "CONFIG_UPROBE_EVENTS", "this kernel cannot attach uprobes"),
  FENTRY("fentry/fexit programs", 5, 5, "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", "this kernel cannot attach fentry/fexit programs"),
  KPROBE_MULTI("kprobe_multi links", 5, 18, "CONFIG_FPROBE", "this kernel cannot create kprobe_multi links"),
  UPROBE_MULTI("uprobe_multi links", 6, 6, "CONFIG_UPROBES", "this kernel cannot create uprobe_multi links"),
  HARDWARE_PMU("hardware performance counters", 0, 0, null, "this machine has no hardware performance counters"),
  BREAKPOINTS("hardware breakpoints", 0, 0, "CONFIG_HAVE_HW_BREAKPOINT", "this machine cannot set hardware breakpoints"),
  RAW_TP_TEST_RUN("test runs of raw tracepoint programs", 5, 10, null, null),
  BOUNDED_LOOPS("bounded loops", 5, 3, null, null),
  BPF_LOOP("the bpf_loop helper", 5, 17, null, null),
  BATCH_OPS("batch map operations", 5, 6, null, null),
  RUN_STATS("BPF run-time statistics", 5, 8, null, null),
  BTF("kernel BTF", 5, 4, "CONFIG_DEBUG_INFO_BTF", "this kernel has no BTF"),
  TRACEFS("tracefs", 4, 1, "CONFIG_TRACING", "this kernel has no tracefs"),
  OVERRIDE_RETURN("the bpf_override_return helper", 4, 16, "CONFIG_BPF_KPROBE_OVERRIDE", "this kernel cannot override return values");

  private final String description;
  private final int major;
  private final int minor;
  private final String config;
  private final String cannot;

  Feature(String description, int major, int minor, String config, String cannot) {
    this.description = description;
    this.major = major;
    this.minor = minor;
    this.config = config;
    this.cannot = cannot;
  }

  /** {@return what the feature is, e.g. {@code ring buffer maps}} */
  public String description() { return description; }

  /** {@return the first Linux version that has the feature, or {@code null} if it depends on hardware only} */
  public KernelVersion minimumVersion() { return major == 0 ? null : KernelVersion.of(major, minor); }

  /** {@return the kernel configuration option it also needs, or {@code null}} */
  public String configOption() { return config; }

  /**
   * {@return whether a kernel at {@code running} must have this feature}: true when only the version gates it,
   * so that a failing probe there is a bug rather than a property of the machine.
   */
  public boolean expectedOn(KernelVersion running) {
    return config == null && cannot == null && major != 0 && running.atLeast(major, minor);
  }

  /**
   * {@return the exception saying the feature is missing on {@code running}}: a version too old gives
   * {@code ring buffer maps not supported (requires Linux >= 5.8; running 5.4.0)}; otherwise the feature's own
   * sentence with {@code detail} in parentheses, e.g. {@code this kernel cannot attach kprobes (CONFIG_KPROBES
   * is not set)}.
   *
   * @param detail what the probe found, or {@code null} to name the configuration option
   */
  public NotSupportedException notSupported(KernelVersion running, String detail) {
    if (major != 0 && !running.atLeast(major, minor))
      return new NotSupportedException(this,
          description + " not supported (requires Linux >= " + major + "." + minor + "; running " + running + ")", detail);
    String why = detail != null ? detail : config != null ? config + " is not set" : "probe failed on Linux " + running;
    String head = cannot != null ? cannot : description + " not supported";
    return new NotSupportedException(this, head + " (" + why + ")", detail);
  }
}
