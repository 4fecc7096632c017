package jbpf.lang.types;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The facts about the running kernel that the compiler needs: which probes exist and how their arguments
 * are laid out. The runtime implements it by reading tracefs, BTF and {@code /proc}; tests fake it.
 */
public interface KernelInfo {
  /** {@return the tracepoints as {@code category:name}, in tracefs order} */
  List<String> tracepoints();

  /** {@return the format of tracepoint {@code category:name}, or empty if there is no such tracepoint} */
  Optional<TracepointFormat> tracepointFormat(String category, String name);

  /** {@return the number of possible CPUs, for sizing per-CPU values} */
  int possibleCpus();

  /**
   * {@return the BTF id of {@code name}, a kernel function that BPF programs may call (a kfunc), or empty if the
   * kernel has no such function} Asked only by scripts that need one, since reading the kernel's BTF costs time.
   */
  default OptionalInt kernelFunction(String name) { return OptionalInt.empty(); }
}
