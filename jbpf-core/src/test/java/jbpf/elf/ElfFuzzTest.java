package jbpf.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Mutated and truncated ELF files make the reader throw its own format exception and nothing else. */
class ElfFuzzTest {
  private static byte[] seed;

  @BeforeContainer
  static void loadSeed() throws IOException {
    // a small real ELF file with sections, symbols and notes; /bin/true exists on every Linux
    Path p = Path.of("/bin/true");
    seed = Files.exists(p) ? Files.readAllBytes(p) : new byte[64];
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Arbitraries.integers().between(0, 40).flatMap(n -> Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(n * 2)
        .flatMap(edits -> Arbitraries.integers().between(64, seed.length).map(len -> {
          byte[] b = java.util.Arrays.copyOf(seed, len);
          for (int i = 0; i + 1 < edits.size(); i += 2) {
            int at = edits.get(i) % b.length;
            // mutate header and table areas most: they steer everything else
            if (edits.get(i) % 3 == 0) at = at % 128;
            b[at] = (byte) (edits.get(i + 1) >>> 3);
          }
          return b;
        })));
  }

  @Property(tries = 1500, seed = "20261122")
  void throwsOnlyElfFormatException(@ForAll("mutated") byte[] bytes) {
    try {
      ElfFile elf = ElfFile.of("fuzz", bytes);
      elf.segments();
      elf.sections();
      elf.symbols();
      elf.dynamicSymbols();
      elf.notes();
      elf.buildId();
      elf.debugLink();
      elf.usdtProbes();
      elf.miniDebugInfo();
      for (ElfSection s : elf.sections()) {
        elf.contents(s);
        if (s.type() == ElfSection.SHT_REL || s.type() == ElfSection.SHT_RELA) elf.relocations(s);
      }
      elf.fileOffset(elf.entry());
      BpfObjectReader.read(elf);
    } catch (ElfFormatException expected) {
      // the one allowed failure
    }
  }
}
