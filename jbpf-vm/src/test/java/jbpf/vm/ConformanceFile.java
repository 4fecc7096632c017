package jbpf.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * One test of the bpf_conformance format: an assembly listing ({@code -- asm}), optional raw instruction words
 * ({@code -- raw}), input memory as hex bytes ({@code -- mem}), and the expected r0 ({@code -- result}) or error
 * text ({@code -- error}). Sections such as {@code -- c} and {@code -- no register offset} are skipped.
 *
 * @param raw the program as little-endian bytes when the file has {@code -- raw}, else {@code null}
 * @param error the expected error text, or {@code null}
 */
public record ConformanceFile(String name, String asm, byte[] raw, byte[] mem, long result, String error) {
  /** {@return the test in {@code file}} */
  public static ConformanceFile read(Path file) throws IOException {
    String section = "";
    StringBuilder asm = new StringBuilder(), mem = new StringBuilder(), raw = new StringBuilder();
    String result = null, error = null;
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.startsWith("--")) {
        section = t.substring(2).strip();
        continue;
      }
      switch (section) {
        case "asm" -> asm.append(line).append('\n');
        case "mem" -> mem.append(t).append(' ');
        case "raw" -> raw.append(t).append(' ');
        case "result" -> { if (!t.isEmpty()) result = t; }
        case "error" -> { if (!t.isEmpty()) error = t; }
        default -> {}
      }
    }
    byte[] memBytes = HexFormat.of().parseHex(mem.toString().replaceAll("\\s+", ""));
    byte[] rawBytes = null;
    if (!raw.isEmpty()) {
      String[] words = raw.toString().trim().split("\\s+");
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(words.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (String w : words) b.putLong(Long.parseUnsignedLong(w.replace("0x", ""), w.startsWith("0x") ? 16 : 10));
      rawBytes = b.array();
    }
    long r = result == null ? 0 : result.startsWith("0x") ? Long.parseUnsignedLong(result.substring(2), 16) : Long.parseUnsignedLong(result);
    String name = file.getFileName().toString().replaceFirst("\\.data$", "");
    return new ConformanceFile(name, asm.toString(), rawBytes, memBytes, r, error);
  }
}
