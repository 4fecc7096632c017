package jbpf.symbols;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jbpf.demangle.ItaniumDemangler;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfSymbol;

/**
 * Times the symbol work a tracer does at start-up and per stack frame, on this machine's own files. Run with
 * {@code dev/bench-symbols}; prints the median of several rounds after warm-up. Not a test.
 */
public final class SymbolsBenchmark {
  private SymbolsBenchmark() {}

  interface Work { long run() throws Exception; }

  static void time(String what, int rounds, Work w) throws Exception {
    for (int i = 0; i < 3; i++) w.run();
    double[] ms = new double[rounds];
    long sink = 0;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      sink += w.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(ms);
    System.out.printf("%-58s median %9.3f ms  (min %.3f, max %.3f)%s%n", what, ms[rounds / 2], ms[0], ms[rounds - 1], sink == 42 ? " " : "");
  }

  public static void main(String[] args) throws Exception {
    Path libjvm = Path.of(System.getProperty("java.home"), "lib/server/libjvm.so");
    Path libc = TargetResolver.system().resolve("libc", 0).getFirst();
    time("open libjvm.so (header only)", 21, () -> {
      try (ElfFile e = ElfFile.open(libjvm)) {
        return e.type();
      }
    });
    time("read libjvm.so .symtab", 11, () -> {
      try (ElfFile e = ElfFile.open(libjvm)) {
        return e.symbols().size();
      }
    });
    time("build libjvm.so function table (ElfSymbols)", 11, () -> ElfSymbols.load(libjvm, Path.of("/")).table().size());
    time("find libc malloc file offset (ld.so.cache + .dynsym)", 11, () -> ProbeTargets.match(libc, "malloc").getFirst().fileOffset());
    time("load /proc/kallsyms", 5, () -> KernelSymbols.load().size());
    KernelSymbols k = KernelSymbols.load();
    long vfsRead = k.address("vfs_read").orElse(0);
    time("1M kernel address lookups", 5, () -> {
      long s = 0;
      for (int i = 0; i < 1_000_000; i++) s += k.format(vfsRead + (i & 63)).length();
      return s;
    });
    UserSymbolizer self = UserSymbolizer.of((int) ProcessHandle.current().pid(), UserSymbolizer.Options.BPFTRACE);
    Mapping text = self.mappings().stream().filter(m -> m.path().endsWith("libjvm.so") && m.executable()).findFirst().orElseThrow();
    time("1M user address lookups in libjvm.so", 5, () -> {
      long s = 0;
      for (int i = 0; i < 1_000_000; i++) s += self.resolve(text.start() + (i * 4099L) % (text.end() - text.start())).offset();
      return s;
    });
    List<String> names = new ArrayList<>();
    try (ElfFile e = ElfFile.open(libjvm)) {
      for (ElfSymbol s : e.symbols()) if (s.name().startsWith("_Z")) names.add(s.name());
    }
    time("demangle " + names.size() + " libjvm.so C++ names", 5, () -> {
      long s = 0;
      for (String n : names) {
        String d = ItaniumDemangler.demangle(n);
        s += d == null ? 0 : d.length();
      }
      return s;
    });
    if (args.length > 0 && Files.exists(Path.of(args[0]))) System.out.println("extra argument ignored: " + args[0]);
  }
}
