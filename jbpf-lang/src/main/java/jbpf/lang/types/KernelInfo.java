package jbpf.lang.types;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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

  /**
   * {@return the BTF id of {@code name}, a kernel function that BPF programs may call (a kfunc), or empty if the
   * kernel has no such function} Asked only by scripts that need one, since reading the kernel's BTF costs time.
   */
  default OptionalInt kernelFunction(String name) { return OptionalInt.empty(); }
  /** {@return the address of the kernel symbol {@code name} ({@code /proc/kallsyms}), if there is one} */
  default OptionalLong kernelSymbol(String name) { return OptionalLong.empty(); }

  /** A symbol of an ELF file: its link-time address and its size in bytes. */
  record ElfSymbol(long address, long size) {}

  /** {@return the symbol {@code name} of the ELF file {@code binary}, if it has one} */
  default Optional<ElfSymbol> userSymbol(String binary, String name) { return Optional.empty(); }

  /** {@return the id of the cgroup v2 directory {@code path} (its inode number), if it is one} */
  default OptionalLong cgroupId(String path) { return OptionalLong.empty(); }

  /**
   * {@return the kernel's own types, from {@code /sys/kernel/btf/vmlinux}, or empty if the kernel has no BTF}
   * Asked only when a script names a kernel type or reads {@code curtask}, since reading BTF costs time.
   */
  default Optional<BtfTypes> btf() { return Optional.empty(); }
}
