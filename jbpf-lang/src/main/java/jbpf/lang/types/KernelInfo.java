package jbpf.lang.types;

import java.util.List;
import java.util.Optional;

/**
 * The facts about the running kernel that the compiler needs: which probes exist and how their arguments
 * are laid out. The runtime implements it by reading tracefs, BTF and {@code /proc}; tests fake it. What other
 * probe types attach to is in {@link AttachTargets}.
 */
public interface KernelInfo extends AttachTargets {
  /** {@return the tracepoints as {@code category:name}, in tracefs order} */
  List<String> tracepoints();

  /** {@return the format of tracepoint {@code category:name}, or empty if there is no such tracepoint} */
  Optional<TracepointFormat> tracepointFormat(String category, String name);

  /** {@return the number of possible CPUs, for sizing per-CPU values} */
  int possibleCpus();
}
