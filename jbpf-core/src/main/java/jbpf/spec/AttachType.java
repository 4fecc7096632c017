package jbpf.spec;

/** A kernel attach type, numbered as in {@code enum bpf_attach_type} (include/uapi/linux/bpf.h). */
public enum AttachType {
  TRACE_RAW_TP(23), TRACE_FENTRY(24), TRACE_FEXIT(25), MODIFY_RETURN(26), PERF_EVENT(41), TRACE_KPROBE_MULTI(42),
  TRACE_UPROBE_MULTI(48), TRACE_KPROBE_SESSION(56), TRACE_UPROBE_SESSION(57);

  private final int value;

  AttachType(int value) { this.value = value; }

  /** {@return the kernel's number for this attach type} */
  public int value() { return value; }
}
