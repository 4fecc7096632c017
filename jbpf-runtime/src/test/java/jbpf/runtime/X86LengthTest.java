package jbpf.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfSection;
import jbpf.elf.ElfSymbol;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Instruction lengths agree with objdump's disassembly of the functions of real binaries on this machine, instruction
 * by instruction. Functions where objdump itself finds no instruction ({@code (bad)}, {@code .byte}: data in code)
 * are left out.
 */
class X86LengthTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/usr/bin/bash", "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6",
      "/lib/x86_64-linux-gnu/libcrypto.so.3"})
  void decodesFunctionsOfRealBinariesAsObjdumpDoes(String file) throws Exception {
    Path path = Path.of(file);
    Assumptions.assumeTrue(Files.isRegularFile(path), file + " is not installed");
    TreeMap<Long, Boolean> objdump = objdump(path);    // address → whether objdump decoded an instruction there
    int checked = 0, skipped = 0;
    try (ElfFile elf = ElfFile.open(path)) {
      ElfSection text = elf.section(".text").orElseThrow();
      ByteBuffer b = elf.contents(text);
      byte[] code = new byte[b.remaining()];
      b.get(code);
      List<ElfSymbol> functions = new ArrayList<>(elf.symbols().isEmpty() ? elf.dynamicSymbols() : elf.symbols());
      for (ElfSymbol f : functions) {
        if (!f.isFunction() || f.size() == 0 || f.value() < text.address() || f.value() + f.size() > text.address() + text.size()) continue;
        var expected = objdump.subMap(f.value(), true, f.value() + f.size(), false);
        if (expected.containsValue(false) || !expected.containsKey(f.value())) {
          skipped++;
          continue;
        }
        List<Long> decoded = new ArrayList<>();
        int pos = (int) (f.value() - text.address()), end = (int) (pos + f.size());
        while (pos < end) {
          decoded.add(text.address() + pos);
          int n = X86Length.length(code, pos);
          assertTrue(n > 0, () -> file + ": " + f.name() + ": no length at 0x" + Long.toHexString(text.address()));
          pos += n;
        }
        assertEquals(new ArrayList<>(expected.keySet()), decoded, file + ": " + f.name());
        checked++;
      }
    }
    assertTrue(checked > 10 * skipped, file + ": " + checked + " functions checked, " + skipped + " left out");
  }

  @Test
  void offsetsInsideAnInstructionAreNoBoundary() {
    // push %rbp; mov %rsp,%rbp; mov $0x12345678,%eax; pop %rbp; ret
    byte[] f = {0x55, 0x48, (byte) 0x89, (byte) 0xe5, (byte) 0xb8, 0x78, 0x56, 0x34, 0x12, 0x5d, (byte) 0xc3};
    List<Integer> boundaries = new ArrayList<>();
    for (int i = 0; i <= f.length; i++) if (X86Length.isBoundary(f, i)) boundaries.add(i);
    assertEquals(List.of(0, 1, 4, 9, 10, 11), boundaries);
  }

  /** {@return objdump's view of {@code .text}: for each line {@code   4011a0:	push   %rbp}, whether it is an instruction} */
  private static TreeMap<Long, Boolean> objdump(Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("objdump", "-d", "-j", ".text", "--no-show-raw-insn", file.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("objdump is not installed (apt-get install binutils)");
      throw e;
    }
    TreeMap<Long, Boolean> out = new TreeMap<>();
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\\s*([0-9a-f]+):\t(.*)$");
    try (var in = p.inputReader(StandardCharsets.UTF_8)) {
      for (String l; (l = in.readLine()) != null; ) {
        var m = line.matcher(l);
        if (!m.matches()) continue;
        long address = Long.parseUnsignedLong(m.group(1), 16);
        String insn = m.group(2);
        // data decoded as code: undecodable bytes, or REX prefixes standing alone
        out.put(address, !(insn.startsWith("(bad)") || insn.startsWith(".byte") || insn.matches("rex(\\.[WRXB]+)?\\s*")));
        // fstsw, fstcw, fclex...: objdump shows fwait (9b) and the instruction after it as one
        if (insn.matches("f(stsw|stcw|stenv|save|clex|init|disi|eni|setpm)\\b.*")) out.put(address + 1, true);
      }
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return out;
  }
}
