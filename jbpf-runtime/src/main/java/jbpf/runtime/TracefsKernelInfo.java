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
import java.util.OptionalInt;
import java.util.OptionalLong;
import jbpf.btf.Btf;
import jbpf.btf.BtfKind;
import jbpf.elf.UsdtProbe;
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
  private final Map<String, OptionalInt> kfuncs = new HashMap<>();
  private Optional<BtfTypes> btf;
  private final ProbeTargetLookup targets = new ProbeTargetLookup();
  private Target target;

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

  private static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");

  /** Reads {@code /sys/kernel/btf/vmlinux} once; {@link #kernelFunction} looks its functions up in the same types. */
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

  @Override public OptionalInt kernelFunction(String name) {
    return kfuncs.computeIfAbsent(name, n -> btf().map(t -> t.btf().findType(BtfKind.FUNC, n)).orElse(OptionalInt.empty()));
  }

  /** Reads {@code /proc/kallsyms}, lines like {@code ffffffff82a4e640 D avenrun}, for a symbol of any type. */
  @Override public OptionalLong kernelSymbol(String name) {
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/kallsyms"), java.nio.charset.StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("[ \t]+");
        if (f.length < 3 || !f[2].equals(name)) continue;
        long addr = Long.parseUnsignedLong(f[0], 16);
        if (addr != 0) return OptionalLong.of(addr);
      }
    } catch (IOException | NumberFormatException e) {
      // unreadable: no symbol
    }
    return OptionalLong.empty();
  }

  /** Reads the symbol tables of the ELF file {@code binary} (functions and objects, static and dynamic). */
  @Override public Optional<ElfSymbol> userSymbol(String binary, String name) {
    try (jbpf.elf.ElfFile elf = jbpf.elf.ElfFile.open(Path.of(binary))) {
      for (List<jbpf.elf.ElfSymbol> table : List.of(elf.symbols(), elf.dynamicSymbols()))
        for (jbpf.elf.ElfSymbol sym : table)
          if (sym.name().equals(name) && sym.value() != 0) return Optional.of(new ElfSymbol(sym.value(), sym.size()));
    } catch (IOException | RuntimeException e) {
      // an unreadable binary has no symbols
    }
    return Optional.empty();
  }

  /** A cgroup v2 id is the inode number of its directory. */
  @Override public OptionalLong cgroupId(String path) {
    try {
      Path p = Path.of(path);
      if (!Files.isDirectory(p) || !Files.getFileStore(p).type().equals("cgroup2")) return OptionalLong.empty();
      return OptionalLong.of(((Number) Files.getAttribute(p, "unix:ino")).longValue());
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  @Override public Optional<Target> target() { return Optional.ofNullable(target); }

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
