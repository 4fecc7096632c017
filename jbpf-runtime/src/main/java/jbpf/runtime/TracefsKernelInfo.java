package jbpf.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import jbpf.btf.Btf;
import jbpf.elf.UsdtProbe;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;

/** The compiler's view of the running kernel, read from tracefs and sysfs as it is needed. */
public final class TracefsKernelInfo implements KernelInfo {
  private final java.util.function.Supplier<Path> root;
  private Path tracefs;
  private final int possibleCpus;
  private List<String> tracepoints;
  private final Map<String, Optional<TracepointFormat>> formats = new HashMap<>();
  private final ProbeTargetLookup targets = new ProbeTargetLookup();
  private Target target;
  private Optional<Btf> vmlinuxBtf;

  /** {@return the running kernel, tracefs found (or mounted) when first needed} */
  public static KernelInfo live() { return live(null); }

  /** {@return the running kernel, tracing {@code target} (from {@code -p} or {@code -c}), or every process if {@code null}} */
  public static KernelInfo live(Target target) {
    TracefsKernelInfo k = new TracefsKernelInfo(() -> jbpf.perf.Tracefs.get().root(), jbpf.sys.Cpus.possibleCount());
    k.target = target;
    return k;
  }

  /** @param root finds (and if need be mounts) tracefs; called once, when the first tracepoint is looked up */
  TracefsKernelInfo(java.util.function.Supplier<Path> root, int possibleCpus) {
    this.root = root;
    this.possibleCpus = possibleCpus;
  }

  private Path tracefs() {
    if (tracefs == null) tracefs = root.get();
    return tracefs;
  }

  @Override public List<String> tracepoints() {
    if (tracepoints == null) {
      List<String> out = new ArrayList<>();
      try {
        // available_events lists "category:event" one per line, in the kernel's registration order.
        for (String line : Files.readAllLines(tracefs().resolve("available_events"))) {
          if (!line.isBlank()) out.add(line.strip());
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("read " + tracefs().resolve("available_events") + ": " + e.getMessage(), e);
      }
      tracepoints = List.copyOf(out);
    }
    return tracepoints;
  }

  @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) {
    return formats.computeIfAbsent(category + ":" + name, k -> {
      Path f = tracefs().resolve("events").resolve(category).resolve(name).resolve("format");
      try {
        return Optional.of(TracepointFormat.parse(category, Files.readString(f)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("read " + f + ": " + e.getMessage(), e);
      }
    });
  }

  @Override public int possibleCpus() { return possibleCpus; }

  @Override public Optional<Target> target() { return Optional.ofNullable(target); }

  /** Reads {@code /sys/kernel/btf/vmlinux} the first time it is asked for; a kernel without it has none. */
  @Override public Optional<Btf> btf() {
    if (vmlinuxBtf == null) {
      Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
      try {
        vmlinuxBtf = Optional.of(Btf.read(vmlinux));
      } catch (NoSuchFileException e) {
        vmlinuxBtf = Optional.empty();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("read " + vmlinux + ": " + e.getMessage(), e);
      }
    }
    return vmlinuxBtf;
  }

  @Override public List<KernelFunction> kprobeFunctions() { return targets.kprobeFunctions(tracefs()); }

  @Override public List<String> binaries(String target, int pid) throws NotFoundException { return targets.binaries(target, pid); }

  @Override public List<UserFunction> userFunctions(String file, String pattern) throws NotFoundException {
    return targets.userFunctions(file, pattern);
  }

  @Override public Optional<List<jbpf.elf.DwarfFunctions.Param>> userParameters(String file, long functionOffset) throws NotFoundException {
    return targets.userParameters(file, functionOffset);
  }

  @Override public boolean instructionBoundary(String file, long functionOffset, long offset) throws NotFoundException {
    return targets.instructionBoundary(file, functionOffset, offset);
  }

  @Override public Optional<UserFunction> userAddress(String file, long address) throws NotFoundException {
    return targets.userAddress(file, address);
  }

  @Override public OptionalLong symbolAddress(String file, String name) { return targets.symbolAddress(file, name); }

  @Override public List<UsdtProbe> usdtProbes(String file) throws NotFoundException { return targets.usdtProbes(file); }

  @Override public List<String> mappedFiles(int pid) { return targets.mappedFiles(pid); }
}
