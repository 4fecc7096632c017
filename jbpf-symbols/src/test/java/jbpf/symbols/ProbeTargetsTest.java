package jbpf.symbols;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfSymbol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeTargetsTest {
  @TempDir static Path tmp;
  static Path lib;

  @BeforeAll
  static void build() throws Exception {
    lib = Toolchain.gxx(tmp, "libklass.so", """
        namespace ns {
          struct Klass {
            void method();
            int method(int x) const;
            static long other(long);
          };
          void Klass::method() {}
          int Klass::method(int x) const { return x; }
          long Klass::other(long y) { return y + 1; }
          template <typename T> T twice(T t) { return t + t; }
          template int twice<int>(int);
        }
        extern "C" int plain_c(int x) { return x; }
        int global_cxx(int x) { return x; }
        """, "-shared", "-fPIC", "-O1");
  }

  private static List<String> symbols(String pattern) throws IOException {
    return ProbeTargets.match(lib, pattern).stream().map(ProbeTarget::symbol).sorted().toList();
  }

  @Test
  void matchesBySymbolWildcardAndDemangledName() throws Exception {
    assertEquals(List.of("plain_c"), symbols("plain_c"));
    assertEquals(List.of("plain_c"), symbols("plain_?"));
    assertEquals(List.of("_ZN2ns5Klass6methodEv", "_ZNK2ns5Klass6methodEi"), symbols("ns::Klass::method"));
    assertEquals(List.of("_ZNK2ns5Klass6methodEi"), symbols("ns::Klass::method(int) const"));
    assertEquals(List.of("_ZN2ns5Klass6methodEv"), symbols("ns::Klass::method()"));
    assertEquals(List.of("_ZN2ns5Klass5otherEl", "_ZN2ns5Klass6methodEv", "_ZNK2ns5Klass6methodEi"), symbols("ns::Klass::*"));
    assertEquals(List.of("_ZN2ns5twiceIiEET_S1_"), symbols("ns::twice<int>"));
    assertEquals(List.of("_Z10global_cxxi"), symbols("global_cxx"));
    assertEquals(List.of("_Z10global_cxxi"), symbols("_Z10global_cxxi"));
    assertEquals(List.of(), symbols("ns::Klass::missing"));
  }

  @Test
  void reportsFileOffsetsOfTheSymbols() throws Exception {
    ProbeTarget t = ProbeTargets.match(lib, "ns::Klass::method(int) const").getFirst();
    assertEquals("ns::Klass::method(int) const", t.demangled());
    try (ElfFile elf = ElfFile.open(lib)) {
      ElfSymbol s = elf.dynamicSymbols().stream().filter(x -> x.name().equals(t.symbol())).findFirst().orElseThrow();
      assertEquals(s.value(), t.address());
      assertEquals(elf.fileOffset(s.value()).orElseThrow(), t.fileOffset());
    }
  }

  @Test
  void libcMallocThroughTheLinkerCache() throws Exception {
    TargetResolver r = TargetResolver.system();
    Path libc = r.resolve("libc", 0).getFirst();
    assertEquals("libc.so.6", libc.getFileName().toString());
    assertEquals(libc, r.resolve("c", 0).getFirst());
    LdSoCache cache = LdSoCache.load();
    assertTrue(cache.entries().stream().anyMatch(e -> e.name().equals("libc.so.6") && Path.of(e.path()).equals(libc)));
    ProbeTarget malloc = ProbeTargets.match(libc, "malloc").getFirst();
    try (ElfFile elf = ElfFile.open(libc)) {
      assertEquals(elf.fileOffset(malloc.address()).orElseThrow(), malloc.fileOffset());
    }
    // the offset is where this JVM's libc has malloc's code: the same bytes in memory and in the file
    UserSymbolizer self = UserSymbolizer.of((int) ProcessHandle.current().pid(), UserSymbolizer.Options.BPFTRACE);
    Mapping text = self.mappings().stream()
        .filter(m -> m.isFile() && m.path().endsWith("/libc.so.6") && m.contains(m.start()) && m.offset() <= malloc.fileOffset()
            && malloc.fileOffset() < m.offset() + (m.end() - m.start()))
        .findFirst().orElseThrow();
    long runtime = text.start() + malloc.fileOffset() - text.offset();
    assertEquals("malloc+0", self.format(runtime));
  }

  @Test
  void resolvesProgramsOnPathAndPathsWithWildcards() throws Exception {
    TargetResolver r = new TargetResolver("/nonexistent:/usr/bin:/bin", null);
    Path sh = r.resolve("sh", 0).getFirst();
    assertTrue(Files.isExecutable(sh));
    assertEquals(List.of(lib), r.resolve(tmp + "/libkl*.so", 0));
    IOException e = assertThrows(IOException.class, () -> r.resolve("no_such_thing_xyz", 0));
    assertTrue(e.getMessage().startsWith("uprobe target no_such_thing_xyz: no program called no_such_thing_xyz on PATH and no library called libno_such_thing_xyz.so* in "), e.getMessage());
    assertEquals("uprobe target /no/such/file: no such file", assertThrows(IOException.class, () -> r.resolve("/no/such/file", 0)).getMessage());
  }

  @Test
  void prefersTheLibraryAProcessHasMapped() throws Exception {
    Path libc = TargetResolver.system().resolve("libc", 0).getFirst();
    List<Path> mine = TargetResolver.system().resolve("libc", (int) ProcessHandle.current().pid());
    assumeTrue(!mine.isEmpty());
    assertEquals(libc.toRealPath(), mine.getFirst().toRealPath());
  }
}
