package jbpf.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import jbpf.demangle.Demangler;
import jbpf.elf.DwarfFunctions;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfFormatException;
import jbpf.elf.ElfSymbol;
import jbpf.elf.UsdtProbe;
import jbpf.lang.types.AttachTargets.KernelFunction;
import jbpf.lang.types.AttachTargets.NotFoundException;
import jbpf.lang.types.AttachTargets.UserFunction;
import jbpf.symbols.ElfSymbols;
import jbpf.symbols.Mapping;
import jbpf.symbols.ProbeTarget;
import jbpf.symbols.ProbeTargets;
import jbpf.symbols.Symbol;
import jbpf.symbols.TargetResolver;

/**
 * The lookups behind uprobe, USDT and kprobe attach points on this machine: which files a target names, their
 * functions, symbols and USDT notes, and the kernel's traceable functions. ELF files are read once each.
 */
final class ProbeTargetLookup {
  private TargetResolver resolver;
  private final Map<String, Elf> files = new HashMap<>();
  private List<KernelFunction> kernelFunctions;

  /** What is read of one ELF file. */
  private record Elf(List<ElfSymbol> symbols, List<ElfSymbol> dynamicSymbols, List<UsdtProbe> usdt, ElfSymbols table,
                     Map<String, List<ProbeTarget>> matches) {}

  List<String> binaries(String target, int pid) throws NotFoundException {
    if (resolver == null) resolver = TargetResolver.system();
    try {
      List<String> out = new ArrayList<>();
      for (Path p : resolver.resolve(target, pid)) out.add(p.toString());
      return out;
    } catch (IOException e) {
      throw new NotFoundException(e.getMessage());
    }
  }

  private Elf elf(String file) throws NotFoundException {
    Elf e = files.get(file);
    if (e != null) return e;
    try (ElfFile f = ElfFile.open(Path.of(file))) {
      e = new Elf(f.symbols(), f.dynamicSymbols(), f.usdtProbes(), ElfSymbols.of(f, Path.of(file), Path.of("/")), new HashMap<>());
    } catch (ElfFormatException ex) {
      throw new NotFoundException(file + " is not an ELF file jbpf can probe: " + ex.getMessage());
    } catch (IOException ex) {
      throw new NotFoundException("read " + file + ": " + (Files.exists(Path.of(file)) ? ex.getMessage() : "no such file"));
    }
    files.put(file, e);
    return e;
  }

  List<UserFunction> userFunctions(String file, String pattern) throws NotFoundException {
    Elf e = elf(file);
    List<ProbeTarget> targets = e.matches().get(pattern);
    if (targets == null) {
      try (ElfFile f = ElfFile.open(Path.of(file))) {
        targets = ProbeTargets.match(f, pattern);
      } catch (IOException | ElfFormatException ex) {
        throw new NotFoundException("read " + file + ": " + ex.getMessage());
      }
      e.matches().put(pattern, targets);
    }
    Map<String, Long> sizes = new HashMap<>();
    for (List<ElfSymbol> table : List.of(e.symbols(), e.dynamicSymbols()))
      for (ElfSymbol s : table) if (s.isFunction()) sizes.putIfAbsent(s.name(), s.size());
    List<UserFunction> out = new ArrayList<>();
    for (ProbeTarget t : targets)
      out.add(new UserFunction(t.symbol(), t.demangled(), t.address(), t.fileOffset(), sizes.getOrDefault(t.symbol(), 0L)));
    return out;
  }

  Optional<UserFunction> userAddress(String file, long address) throws NotFoundException {
    Elf e = elf(file);
    OptionalLong fileOffset;
    try (ElfFile f = ElfFile.open(Path.of(file))) {
      fileOffset = f.fileOffset(address);
    } catch (IOException | ElfFormatException ex) {
      throw new NotFoundException("read " + file + ": " + ex.getMessage());
    }
    if (fileOffset.isEmpty()) return Optional.empty();
    Optional<Symbol> s = e.table().lookup(address);
    if (s.isEmpty()) return Optional.of(new UserFunction("", "", address, fileOffset.getAsLong(), 0));
    Symbol sym = s.get();
    long start = fileOffset.getAsLong() - (address - sym.address());
    return Optional.of(new UserFunction(sym.name(), Demangler.demangleOrSelf(sym.name()), sym.address(), start, sym.size()));
  }

  Optional<List<DwarfFunctions.Param>> userParameters(String file, long functionOffset) throws NotFoundException {
    try (ElfFile f = ElfFile.open(Path.of(file))) {
      OptionalLong address = f.virtualAddress(functionOffset);
      if (address.isEmpty() || !DwarfFunctions.hasDebugInfo(f)) return Optional.empty();
      return DwarfFunctions.parameters(f, address.getAsLong());
    } catch (IOException | ElfFormatException e) {
      throw new NotFoundException("read the debug information of " + file + ": " + e.getMessage());
    }
  }

  /** Decodes x86-64 code from the function's start; other machines have instructions of fixed size (4 bytes). */
  boolean instructionBoundary(String file, long functionOffset, long offset) throws NotFoundException {
    if (offset < 0 || offset > 1 << 20) return false;
    try (ElfFile f = ElfFile.open(Path.of(file)); java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file, "r")) {
      if (f.machine() != ElfFile.EM_X86_64) return offset % 4 == 0;
      byte[] code = new byte[(int) Math.min(offset + 16, Math.max(0, raf.length() - functionOffset))];
      raf.seek(functionOffset);
      raf.readFully(code);
      return X86Length.isBoundary(code, (int) offset);
    } catch (IOException | ElfFormatException e) {
      throw new NotFoundException("read " + file + ": " + e.getMessage());
    }
  }

  OptionalLong symbolAddress(String file, String name) {
    try {
      Elf e = elf(file);
      for (List<ElfSymbol> table : List.of(e.symbols(), e.dynamicSymbols()))
        for (ElfSymbol s : table) if (s.isDefined() && s.name().equals(name)) return OptionalLong.of(s.value());
    } catch (NotFoundException ex) {
      // no such file: no such symbol
    }
    return OptionalLong.empty();
  }

  List<UsdtProbe> usdtProbes(String file) throws NotFoundException {
    return elf(file).usdt();
  }

  /** {@return the executable files process {@code pid} maps, through its root directory} */
  List<String> mappedFiles(int pid) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    try {
      for (Mapping m : Mapping.read(pid)) {
        if (!m.isFile() || !m.executable() || m.deleted()) continue;
        out.add(pid == ProcessHandle.current().pid() ? m.path() : "/proc/" + pid + "/root" + m.path());
      }
    } catch (IOException e) {
      // the process is gone: it maps nothing
    }
    return List.copyOf(out);
  }

  /**
   * {@return the kernel functions kprobes can attach to: {@code available_filter_functions} when it is readable
   * ({@code vfs_read} or {@code nfs_open [nfs]} per line), else the text symbols of {@code /proc/kallsyms}}
   */
  List<KernelFunction> kprobeFunctions(Path tracefs) {
    if (kernelFunctions != null) return kernelFunctions;
    List<KernelFunction> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(tracefs.resolve("available_filter_functions"))) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("__ftrace_invalid_address__")) continue;
        int sp = l.indexOf(' ');
        String name = sp < 0 ? l : l.substring(0, sp);
        String module = sp < 0 ? null : l.substring(sp).strip().replace("[", "").replace("]", "");
        out.add(new KernelFunction(name, module));
      }
    } catch (IOException | RuntimeException e) {
      out.clear();
      try {
        for (String line : Files.readAllLines(Path.of("/proc/kallsyms"))) {
          // ffffffff81234560 T vfs_read
          // ffffffffc0a01000 t nfs_open	[nfs]
          String[] f = line.split("\\s+");
          if (f.length < 3 || !(f[1].equals("t") || f[1].equals("T"))) continue;
          out.add(new KernelFunction(f[2], f.length > 3 ? f[3].replace("[", "").replace("]", "") : null));
        }
      } catch (IOException ex) {
        // neither is readable: no wildcard matches anything
      }
    }
    kernelFunctions = List.copyOf(out);
    return kernelFunctions;
  }
}
