package jbpf.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Function parameters read from the DWARF that gcc and g++ write, in each version they write. */
class DwarfFunctionsTest {
  @TempDir Path dir;

  private static final String C = """
      #include <stddef.h>
      struct point { int x, y; };
      enum color { RED, GREEN };
      typedef unsigned long ulong_t;
      __attribute__((noinline)) long add(long a, int b) { return a + b; }
      __attribute__((noinline)) int many(const char *s, struct point *p, unsigned char c, double d, enum color e, size_t n,
                                         ulong_t u, short arr[4]) { return s[0] + p->x + c + (int) d + e + (int) n + (int) u + arr[0]; }
      int main(void) { struct point pt = {1, 2}; short a[4] = {0}; return (int) add(1, 2) + many("x", &pt, 1, 2.0, GREEN, 3, 4, a); }
      """;

  private static final String CXX = """
      namespace shop {
      struct Cart {
        long total = 0;
        __attribute__((noinline)) long add(long price, int qty) { total += price * qty; return total; }
      };
      }
      int main() { shop::Cart c; return (int) c.add(2, 3); }
      """;

  private Path compile(String compiler, String source, String suffix, String dwarf) throws Exception {
    Path src = dir.resolve("prog" + suffix), exe = dir.resolve("prog-" + dwarf);
    Files.writeString(src, source);
    List<String> cmd = List.of(compiler, "-O1", "-" + dwarf, "-o", exe.toString(), src.toString());
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort(compiler + " is not installed");
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    return exe;
  }

  private static List<String> describe(Path exe, String symbol) throws IOException {
    try (ElfFile elf = ElfFile.open(exe)) {
      long address = elf.symbols().stream().filter(s -> s.name().equals(symbol)).findFirst().orElseThrow().value();
      List<String> out = new ArrayList<>();
      for (DwarfFunctions.Param p : DwarfFunctions.parameters(elf, address).orElseThrow())
        out.add((p.artificial() ? "artificial " : "") + DwarfFunctions.cName(p.type()) + " " + p.name());
      return out;
    }
  }

  @ParameterizedTest(name = "{0}") @ValueSource(strings = {"gdwarf-4", "gdwarf-5"})
  void readsTheParametersOfCFunctions(String dwarf) throws Exception {
    Path exe = compile("gcc", C, ".c", dwarf);
    assertEquals(List.of("long int a", "int b"), describe(exe, "add"));
    assertEquals(List.of("const char * s", "struct point * p", "unsigned char c", "double d", "enum color e", "size_t n",
        "ulong_t u", "short int * arr"), describe(exe, "many"));
    try (ElfFile elf = ElfFile.open(exe)) {
      long add = elf.symbols().stream().filter(s -> s.name().equals("add")).findFirst().orElseThrow().value();
      var a = DwarfFunctions.parameters(elf, add).orElseThrow().getFirst();
      assertEquals(new DwarfFunctions.Base("long int", 8, 5), a.type());
      assertTrue(DwarfFunctions.parameters(elf, add + 1).isEmpty(), "no function starts there");
    }
  }

  @ParameterizedTest(name = "{0}") @ValueSource(strings = {"gdwarf-4", "gdwarf-5"})
  void readsThisAndTheParametersOfCxxMethods(String dwarf) throws Exception {
    Path exe = compile("g++", CXX, ".cpp", dwarf);
    assertEquals(List.of("artificial struct Cart * const this", "long int price", "int qty"), describe(exe, "_ZN4shop4Cart3addEli"));
  }

  @ParameterizedTest(name = "{0}") @ValueSource(strings = {"gdwarf-4", "gdwarf-5"})
  void mutatedDebugInformationGivesOnlyFormatErrors(String dwarf) throws Exception {
    Path exe = compile("gcc", C, ".c", dwarf);
    byte[] original = Files.readAllBytes(exe);
    ElfSection info;
    long add;
    try (ElfFile elf = ElfFile.open(exe)) {
      info = elf.section(".debug_info").orElseThrow();
      add = elf.symbols().stream().filter(s -> s.name().equals("add")).findFirst().orElseThrow().value();
    }
    java.util.Random random = new java.util.Random(6);   // fixed seed: a failure reproduces
    for (int round = 0; round < 500; round++) {
      byte[] b = original.clone();
      for (int i = 0; i < 1 + random.nextInt(4); i++) b[(int) (info.offset() + random.nextInt((int) info.size()))] = (byte) random.nextInt(256);
      try {
        DwarfFunctions.parameters(ElfFile.of("mutated", b), add);
      } catch (ElfFormatException e) {
        // the one exception a malformed file may give
      }
    }
  }

  @ParameterizedTest(name = "{0}") @ValueSource(strings = {"g0"})
  void aFileWithoutDebugInformationDescribesNothing(String dwarf) throws Exception {
    Path exe = compile("gcc", C, ".c", dwarf);
    try (ElfFile elf = ElfFile.open(exe)) {
      assertFalse(DwarfFunctions.hasDebugInfo(elf));
      assertTrue(DwarfFunctions.parameters(elf, 0x1000).isEmpty());
    }
  }
}
