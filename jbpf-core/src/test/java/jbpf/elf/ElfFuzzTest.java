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
  private static byte[] bpfSeed;

  @BeforeContainer
  static void loadSeeds() throws Exception {
    // a small real ELF file with sections, symbols and notes; /bin/true exists on every Linux
    Path p = Path.of("/bin/true");
    seed = Files.exists(p) ? Files.readAllBytes(p) : new byte[64];
    // a BPF object with maps, relocations and bpf-to-bpf calls, when clang is here to build one
    if (Toolchain.has("clang")) {
      Path dir = Files.createTempDirectory("elffuzz");
      Files.writeString(dir.resolve("p.c"), BpfObjectReaderTest.PROGRAM);
      Toolchain.run(dir, "clang", "-O2", "-g0", "-target", "bpf", "-c", "p.c", "-o", "p.o");
      bpfSeed = Files.readAllBytes(dir.resolve("p.o"));
      Files.delete(dir.resolve("p.c"));
      Files.delete(dir.resolve("p.o"));
      Files.delete(dir);
    }
  }

  @Provide
  Arbitrary<byte[]> mutatedBpf() {
    return mutations(bpfSeed == null ? seed : bpfSeed);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return mutations(seed);
  }

  private static Arbitrary<byte[]> mutations(byte[] seed) {
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
    readEverything(bytes);
  }

  @Property(tries = 1500, seed = "20261123")
  void bpfObjectsThrowOnlyElfFormatException(@ForAll("mutatedBpf") byte[] bytes) {
    readEverything(bytes);
  }

  private static void readEverything(byte[] bytes) {
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
