package jbpf.symbols;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symbolizes addresses of real processes built here with g++ (frame pointers on, PIE as Debian builds by default). */
class UserSymbolizerTest {
  @TempDir Path tmp;
  private Process process;

  static final String PROGRAM = """
      #include <stdio.h>
      #include <stdlib.h>
      #include <unistd.h>
      namespace ns { __attribute__((noinline)) int compute(int x) { return x * 3 + 1; } }
      extern "C" __attribute__((noinline)) int leaf(int x) { return ns::compute(x) + 2; }
      static __attribute__((noinline)) int local_helper(int x) { return leaf(x) - 1; }
      int main() {
        printf("%lx %lx %lx %lx\\n", (unsigned long) &leaf, (unsigned long) &local_helper, (unsigned long) &ns::compute,
               (unsigned long) &malloc);
        fflush(stdout);
        sleep(120);
        return local_helper(1);
      }
      """;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  private long[] start(Path exe) throws Exception {
    process = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    assertNotNull(line, "the test program printed its addresses");
    String[] f = line.trim().split(" ");
    long[] out = new long[f.length];
    for (int i = 0; i < f.length; i++) out[i] = Long.parseUnsignedLong(f[i], 16);
    return out;
  }

  @Test
  void resolvesFunctionsOfAPieExecutableAndLibc() throws Exception {
    Path exe = Toolchain.gxx(tmp, "prog", PROGRAM, "-O1", "-fno-omit-frame-pointer");
    long[] a = start(exe);
    UserSymbolizer s = UserSymbolizer.of((int) process.pid(), UserSymbolizer.Options.BPFTRACE);
    assertEquals("leaf+0", s.format(a[0]));
    assertEquals("leaf+3", s.format(a[0] + 3));
    assertEquals("_ZL12local_helperi+0", s.format(a[1]));      // a local symbol from .symtab
    assertEquals("_ZN2ns7computeEi+0", s.format(a[2]));          // bpftrace prints mangled names
    assertEquals("malloc+0", s.format(a[3]));                    // resolved in libc with libc's load bias
    Frame f = s.resolve(a[0] + 1);
    assertEquals(exe.toString(), f.module());
    assertEquals(Long.toHexString(a[0] + 1) + " leaf+1 (" + exe + ")", f.formatPerf());
    assertEquals("0x10", s.format(0x10));                        // in no mapping

    UserSymbolizer demangling = UserSymbolizer.of((int) process.pid(), new UserSymbolizer.Options(true, false));
    assertEquals("ns::compute(int)+0", demangling.format(a[2]));
    assertEquals("local_helper(int)+4", demangling.format(a[1] + 4));
  }

  @Test
  void resolvesDeletedExecutablesThroughMapFiles() throws Exception {
    Toolchain.requireRoot("reading /proc/PID/map_files");
    Path exe = Toolchain.gxx(tmp, "gone", PROGRAM, "-O1");
    long[] a = start(exe);
    Files.delete(exe);
    UserSymbolizer s = UserSymbolizer.of((int) process.pid(), UserSymbolizer.Options.BPFTRACE);
    assertTrue(s.mappings().stream().anyMatch(m -> m.deleted() && m.path().equals(exe.toString())), "the map says (deleted)");
    assertEquals("leaf+0", s.format(a[0]));
  }

  @Test
  void resolvesStrippedExecutablesThroughTheirDebugFile() throws Exception {
    Toolchain.require("objcopy", "binutils");
    Path exe = Toolchain.gxx(tmp, "stripped", PROGRAM, "-O1", "-g");
    Toolchain.run(tmp, "objcopy", "--only-keep-debug", "stripped", "stripped.debug");
    Toolchain.run(tmp, "objcopy", "--strip-all", "--add-gnu-debuglink=stripped.debug", "stripped");
    long[] a = start(exe);
    UserSymbolizer s = UserSymbolizer.of((int) process.pid(), UserSymbolizer.Options.BPFTRACE);
    assertEquals("_ZL12local_helperi+0", s.format(a[1]), "only the debug file has local symbols");
    ElfSymbols es = ElfSymbols.load(exe, Path.of("/"));
    assertEquals(tmp.resolve("stripped.debug").toString(), es.debugFile().orElseThrow());
  }

  @Test
  void resolvesStrippedExecutablesThroughMiniDebugInfo() throws Exception {
    Toolchain.require("objcopy", "binutils");
    Toolchain.require("xz", "xz-utils");
    Path exe = Toolchain.gxx(tmp, "mini", PROGRAM, "-O1");
    // the recipe of Fedora's find-debuginfo: keep only the symbol table, compress it, add it as .gnu_debugdata
    Toolchain.run(tmp, "objcopy", "--only-keep-debug", "mini", "mini.dbg");
    Toolchain.run(tmp, "xz", "-k", "mini.dbg");
    Toolchain.run(tmp, "objcopy", "--strip-all", "--add-section", ".gnu_debugdata=mini.dbg.xz", "mini");
    long[] a = start(exe);
    UserSymbolizer s = UserSymbolizer.of((int) process.pid(), UserSymbolizer.Options.BPFTRACE);
    assertEquals("_ZL12local_helperi+0", s.format(a[1]));
    assertEquals(exe + "[.gnu_debugdata]", ElfSymbols.load(exe, Path.of("/")).debugFile().orElseThrow());
  }

  @Test
  void namesVdsoFunctions() throws Exception {
    UserSymbolizer s = UserSymbolizer.of((int) ProcessHandle.current().pid(), UserSymbolizer.Options.BPFTRACE);
    Mapping vdso = s.mappings().stream().filter(m -> m.path().equals("[vdso]")).findFirst().orElseThrow();
    boolean named = false;
    for (long a = vdso.start(); a < vdso.end() && !named; a += 16) {
      Frame f = s.resolve(a);
      assertEquals("[vdso]", f.module());
      named = f.symbol() != null && (f.symbol().contains("time") || f.symbol().contains("getcpu"));
    }
    assertTrue(named, "some vDSO function such as __vdso_clock_gettime is named");
  }

  @Test
  void anonymousMemoryWithoutPerfMapStaysUnnamed() throws Exception {
    UserSymbolizer s = UserSymbolizer.of((int) ProcessHandle.current().pid(), UserSymbolizer.Options.BPFTRACE);
    List<Mapping> anon = s.mappings().stream().filter(m -> m.path().isEmpty()).toList();
    assertFalse(anon.isEmpty());
    Frame f = s.resolve(anon.getFirst().start());
    assertNull(f.symbol());
    assertEquals("0x" + Long.toHexString(anon.getFirst().start()), f.format());
  }
}
