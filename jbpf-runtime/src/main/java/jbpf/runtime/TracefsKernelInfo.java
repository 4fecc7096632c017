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
import jbpf.btf.Btf;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;

/** The compiler's view of the running kernel, read from tracefs and sysfs as it is needed. */
public final class TracefsKernelInfo implements KernelInfo {
  private final java.util.function.Supplier<Path> root;
  private Path tracefs;
  private final int possibleCpus;
  private List<String> tracepoints;
  private final Map<String, Optional<TracepointFormat>> formats = new HashMap<>();

  /** {@return the running kernel, tracefs found (or mounted) when first needed} */
  public static KernelInfo live() {
    return new TracefsKernelInfo(() -> jbpf.perf.Tracefs.get().root(), jbpf.sys.Cpus.possibleCount());
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

  private static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");
  private Optional<BtfTypes> btf;

  @Override public Optional<BtfTypes> btf() {
    if (btf == null) {
      try {
        btf = Optional.of(new BtfTypes(Btf.read(VMLINUX_BTF)));
      } catch (NoSuchFileException e) {
        btf = Optional.empty();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("read " + VMLINUX_BTF + ": " + e.getMessage(), e);
      }
    }
    return btf;
  }
}
