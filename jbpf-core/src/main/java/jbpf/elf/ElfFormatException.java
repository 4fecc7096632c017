package jbpf.elf;

/**
 * A file is not a well-formed ELF64 little-endian file, or lacks what was asked of it. The message names the
 * file and what was being read: {@code /bin/x: read section header 12: offset 9812 past the end of the file (4096 bytes)}.
 * This is the only exception the readers in this package throw for malformed or truncated input.
 */
public sealed class ElfFormatException extends RuntimeException permits ElfNotSupportedException {
  public ElfFormatException(String message) { super(message); }

  public ElfFormatException(String message, Throwable cause) { super(message, cause); }
}
