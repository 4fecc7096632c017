package jbpf.spec;

/** A kernel program type, numbered as in {@code enum bpf_prog_type} (include/uapi/linux/bpf.h). */
public enum ProgramType {
  SOCKET_FILTER(1), KPROBE(2), TRACEPOINT(5), PERF_EVENT(7), RAW_TRACEPOINT(17), RAW_TRACEPOINT_WRITABLE(24),
  TRACING(26), LSM(29), SYSCALL(31);

  private final int value;

  ProgramType(int value) { this.value = value; }

  /** {@return the kernel's number for this type} */
  public int value() { return value; }
}
