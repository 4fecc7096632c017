package jbpf.elf;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfFileTest {
  @TempDir Path tmp;

  static final String SDT_PROGRAM = """
      #include <sys/sdt.h>
      #include <stdio.h>
      int work(int a, long b) {
        DTRACE_PROBE2(demo, entry, a, b);
        STAP_PROBE(demo, noargs);
        return a + (int) b;
      }
      int main(int argc, char **argv) { printf("%d\\n", work(argc, 40)); return 0; }
      """;

  /** With _SDT_HAS_SEMAPHORES every probe has a semaphore named provider_name_semaphore in section .probes. */
  static final String SDT_SEMAPHORE_PROGRAM = """
      #define _SDT_HAS_SEMAPHORES 1
      #include <sys/sdt.h>
      unsigned short demo_guarded_semaphore __attribute__((unused, section(".probes")));
      int main(int argc, char **argv) {
        if (__builtin_expect(demo_guarded_semaphore, 0)) DTRACE_PROBE1(demo, guarded, argc);
        return 0;
      }
      """;

  @Test
  void readsHeaderSegmentsAndSections() throws Exception {
    Path exe = Toolchain.gcc(tmp, "hello", "int main(void) { return 0; }\n");
    try (ElfFile elf = ElfFile.open(exe)) {
      assertEquals(ElfFile.ET_DYN, elf.type());            // gcc on Debian builds PIE by default
      assertEquals(ElfFile.EM_X86_64, elf.machine());
      assertTrue(elf.segments().stream().anyMatch(s -> s.type() == ElfSegment.PT_LOAD && s.executable()));
      assertTrue(elf.section(".text").isPresent());
      ElfSymbol main = elf.symbols().stream().filter(s -> s.name().equals("main")).findFirst().orElseThrow();
      assertTrue(main.isFunction());
      assertEquals(ElfSymbol.STB_GLOBAL, main.binding());
      assertTrue(elf.buildId().orElseThrow().matches("[0-9a-f]{40}"));
      // the translation agrees with the section containing main
      ElfSection text = elf.section(main.sectionIndex());
      assertEquals(main.value() - text.address() + text.offset(), elf.fileOffset(main.value()).orElseThrow());
      assertEquals(main.value(), elf.virtualAddress(elf.fileOffset(main.value()).orElseThrow()).orElseThrow());
    }
  }

  @Test
  void translatesAddressesOfNonPieExecutables() throws Exception {
    Path exe = Toolchain.gcc(tmp, "nopie", "int f(void) { return 7; } int main(void) { return f(); }\n", "-no-pie", "-O0");
    try (ElfFile elf = ElfFile.open(exe)) {
      assertEquals(ElfFile.ET_EXEC, elf.type());
      ElfSymbol f = elf.symbols().stream().filter(s -> s.name().equals("f")).findFirst().orElseThrow();
      assertTrue(f.value() >= 0x400000, "absolute address");
      long off = elf.fileOffset(f.value()).orElseThrow();
      assertTrue(off < Files.size(exe) && off < f.value());
      // the bytes at the offset are f's code: push %rbp (0x55) or endbr64 (f3 0f 1e fa) at -O0
      byte first = Files.readAllBytes(exe)[(int) off];
      assertTrue(first == 0x55 || first == (byte) 0xf3, "code at file offset of f: " + first);
    }
  }

  @Test
  void libcMallocOffsetMatchesTheLoadedCode() throws Exception {
    Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    assumeTrue(Files.exists(libc), "skipped: no " + libc);
    try (ElfFile elf = ElfFile.open(libc)) {
      ElfSymbol malloc = elf.dynamicSymbols().stream().filter(s -> s.name().equals("malloc") && s.isFunction()).findFirst().orElseThrow();
      long off = elf.fileOffset(malloc.value()).orElseThrow();
      // this JVM has libc mapped: the bytes at the mapping of that file offset equal the file's bytes
      String maps = Files.readString(Path.of("/proc/self/maps"));
      String line = maps.lines().filter(l -> l.contains("libc.so.6") && l.contains("r-xp")).findFirst().orElseThrow();
      String[] f = line.split("\\s+");
      long start = Long.parseUnsignedLong(f[0].split("-")[0], 16), pgoff = Long.parseUnsignedLong(f[2], 16);
      byte[] inMemory = new byte[32], inFile = new byte[32];
      try (RandomAccessFile mem = new RandomAccessFile("/proc/self/mem", "r")) {
        mem.seek(start + off - pgoff);
        mem.readFully(inMemory);
      }
      try (RandomAccessFile file = new RandomAccessFile(libc.toFile(), "r")) {
        file.seek(off);
        file.readFully(inFile);
      }
      assertArrayEquals(inFile, inMemory);
    }
  }

  @Test
  void readsUsdtProbesAndTheirArguments() throws Exception {
    assumeTrue(Files.exists(Path.of("/usr/include/x86_64-linux-gnu/sys/sdt.h")) || Files.exists(Path.of("/usr/include/sys/sdt.h")),
        "skipped: needs <sys/sdt.h>; install it, e.g. apt-get install systemtap-sdt-dev");
    Path exe = Toolchain.gcc(tmp, "sdt", SDT_PROGRAM, "-O2");
    try (ElfFile elf = ElfFile.open(exe)) {
      List<UsdtProbe> probes = elf.usdtProbes();
      assertEquals(List.of("entry", "noargs"), probes.stream().map(UsdtProbe::name).sorted().toList());
      byte[] bytes = Files.readAllBytes(exe);
      for (UsdtProbe p : probes) {
        assertEquals("demo", p.provider());
        assertEquals(0x90, bytes[(int) p.fileOffset()] & 0xff, p.name() + ": a USDT site is a nop");
        assertEquals(p.fileOffset(), elf.fileOffset(p.address()).orElseThrow());
        assertFalse(p.hasSemaphore());
      }
      UsdtProbe entry = probes.stream().filter(p -> p.name().equals("entry")).findFirst().orElseThrow();
      assertEquals(2, entry.arguments().size(), entry.argumentText());
      assertEquals(4, entry.arguments().get(0).size());
      assertTrue(entry.arguments().get(0).signed());
      assertEquals(8, entry.arguments().get(1).size());
      assertTrue(probes.stream().filter(p -> p.name().equals("noargs")).findFirst().orElseThrow().arguments().isEmpty());
    }
    Path guardedExe = Toolchain.gcc(tmp, "sdtsem", SDT_SEMAPHORE_PROGRAM, "-O2");
    try (ElfFile elf = ElfFile.open(guardedExe)) {
      UsdtProbe guarded = elf.usdtProbes().getFirst();
      assertEquals("guarded", guarded.name());
      assertTrue(guarded.hasSemaphore());
      ElfSymbol sem = elf.symbols().stream().filter(s -> s.name().equals("demo_guarded_semaphore")).findFirst().orElseThrow();
      assertEquals(sem.value(), guarded.semaphoreAddress());
      ElfSection probesSection = elf.section(".probes").orElseThrow();
      assertEquals(sem.value() - probesSection.address() + probesSection.offset(), guarded.semaphoreOffset());
    }
  }

  @Test
  void readsDebugLink() throws Exception {
    Toolchain.require("objcopy", "binutils");
    Path exe = Toolchain.gcc(tmp, "linked", "int main(void) { return 0; }\n", "-g");
    Toolchain.run(tmp, "objcopy", "--only-keep-debug", "linked", "linked.debug");
    Toolchain.run(tmp, "objcopy", "--strip-all", "--add-gnu-debuglink=linked.debug", "linked");
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(Files.readAllBytes(tmp.resolve("linked.debug")));
    try (ElfFile elf = ElfFile.open(exe)) {
      assertEquals(Optional.of(new DebugLink("linked.debug", (int) crc.getValue())), elf.debugLink());
      assertTrue(elf.symbols().isEmpty(), "stripped");
    }
  }

  @Test
  void rejectsWhatIsNotElf64LittleEndian() throws IOException {
    Path text = tmp.resolve("text");
    Files.writeString(text, "#!/bin/sh\necho hello, this is long enough to hold an ELF header but is not one at all\n");
    ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.open(text));
    assertEquals(text + ": not an ELF file (bad magic)", e.getMessage());
    Path empty = Files.createFile(tmp.resolve("empty"));
    assertTrue(assertThrows(ElfFormatException.class, () -> ElfFile.open(empty)).getMessage().contains("lie outside the file (0 bytes)"));
  }

  @Test
  void parsesUsdtArgumentSyntax() {
    assertEquals(new UsdtArgument(4, true, new UsdtArgument.Register("edi")), UsdtArgument.parse("-4@%edi"));
    assertEquals(new UsdtArgument(8, false, new UsdtArgument.Memory(-16, "rbp", null, 1, null)), UsdtArgument.parse("8@-16(%rbp)"));
    assertEquals(new UsdtArgument(4, false, new UsdtArgument.Memory(8, "rax", "rbx", 4, null)), UsdtArgument.parse("4@8(%rax,%rbx,4)"));
    assertEquals(new UsdtArgument(8, false, new UsdtArgument.Memory(0, "rip", null, 1, "counter")), UsdtArgument.parse("8@counter(%rip)"));
    assertEquals(new UsdtArgument(8, false, new UsdtArgument.Memory(4, "rip", null, 1, "table")), UsdtArgument.parse("8@table+4(%rip)"));
    assertEquals(new UsdtArgument(2, true, new UsdtArgument.Constant(5)), UsdtArgument.parse("-2@$5"));
    assertEquals(new UsdtArgument(8, false, new UsdtArgument.Memory(16, "sp", null, 1, null)), UsdtArgument.parse("8@[sp, 16]"));
    assertEquals(new UsdtArgument(4, true, new UsdtArgument.Register("x0")), UsdtArgument.parse("-4@x0"));
    assertEquals("rdi", ((UsdtArgument.Register) UsdtArgument.parse("-4@%edi").operand()).full());
    assertEquals(14 * 8, UsdtArgument.x86PtRegsOffset("edi"));
    assertEquals(9 * 8, UsdtArgument.x86PtRegsOffset("r8d"));
    assertEquals(-1, UsdtArgument.x86PtRegsOffset("xmm0"));
    assertEquals(List.of(), UsdtArgument.parseAll("  "));
    assertEquals("parse USDT argument '3@%eax': size 3 is not 1, 2, 4 or 8",
        assertThrows(ElfFormatException.class, () -> UsdtArgument.parse("3@%eax")).getMessage());
    assertThrows(ElfFormatException.class, () -> UsdtArgument.parse("%eax"));
    assertThrows(ElfFormatException.class, () -> UsdtArgument.parse("8@(%rax"));
  }

  @Test
  void opensInMemoryImages() throws Exception {
    Path exe = Toolchain.gcc(tmp, "mem", "int main(void) { return 0; }\n");
    ElfFile elf = ElfFile.of("mem", ByteBuffer.wrap(Files.readAllBytes(exe)));
    assertTrue(elf.symbols().stream().anyMatch(s -> s.name().equals("main")));
    OptionalLong none = elf.fileOffset(0xdead_0000_0000L);
    assertTrue(none.isEmpty());
  }
}
