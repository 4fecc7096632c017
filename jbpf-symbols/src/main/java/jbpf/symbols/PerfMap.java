package jbpf.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JIT symbol map in the perf format that the JVM ({@code jcmd PID Compiler.perfmap}), Node
 * ({@code --perf-basic-prof}) and others write to {@code /tmp/perf-PID.map}: one symbol a line,
 * start and size in hex, then the name, which may contain blanks:
 * <pre>
 * 7f8a1c0a5e40 1a0 Interpreter
 * 0x7f8a1c0b1a60 0x2b8 java.lang.String::hashCode (57 bytes)
 * </pre>
 */
public final class PerfMap {
  private PerfMap() {}

  /** {@return the symbols of a perf map file} */
  public static SymbolTable load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** {@return the symbols in {@code text}; malformed lines are skipped} */
  public static SymbolTable parse(String text) {
    List<Symbol> out = new ArrayList<>();
    int p = 0, n = text.length();
    while (p < n) {
      int eol = text.indexOf('\n', p);
      if (eol < 0) eol = n;
      Symbol s = line(text, p, eol);
      if (s != null) out.add(s);
      p = eol + 1;
    }
    // a later line for the same address is newer code (a recompilation), so it must win: reverse before de-duplicating
    java.util.Collections.reverse(out);
    return SymbolTable.of(out);
  }

  private static Symbol line(String t, int from, int to) {
    int sp1 = t.indexOf(' ', from);
    if (sp1 < 0 || sp1 >= to) return null;
    int sp2 = t.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || sp2 >= to) return null;
    try {
      long start = hex(t, from, sp1), size = hex(t, sp1 + 1, sp2);
      String name = t.substring(sp2 + 1, to).strip();
      return name.isEmpty() ? null : new Symbol(name, start, size);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long hex(String t, int from, int to) {
    if (to - from > 2 && t.charAt(from) == '0' && (t.charAt(from + 1) == 'x' || t.charAt(from + 1) == 'X')) from += 2;
    return Long.parseUnsignedLong(t, from, to, 16);
  }
}
