package jbpf.asm;

/** The width of a memory access, with its opcode bits (RFC 9669 section 5.1). */
public enum Size {
  W(0x00, 4, "u32"), H(0x08, 2, "u16"), B(0x10, 1, "u8"), DW(0x18, 8, "u64");

  private final int bits;
  private final int bytes;
  private final String ctype;

  Size(int bits, int bytes, String ctype) {
    this.bits = bits;
    this.bytes = bytes;
    this.ctype = ctype;
  }

  /** {@return the size bits of the opcode} */
  public int bits() { return bits; }

  /** {@return the access width in bytes} */
  public int bytes() { return bytes; }

  /** {@return the unsigned C type the kernel's disassembler names this size by, e.g. {@code u32}} */
  public String ctype() { return ctype; }

  /** {@return the size whose opcode bits are in {@code opcode}} */
  public static Size ofOpcode(int opcode) {
    return switch (opcode & 0x18) {
      case 0x00 -> W;
      case 0x08 -> H;
      case 0x10 -> B;
      default -> DW;
    };
  }

  /** {@return the size of {@code bytes} bytes} @throws IllegalArgumentException unless 1, 2, 4 or 8 */
  public static Size ofBytes(int bytes) {
    return switch (bytes) {
      case 1 -> B;
      case 2 -> H;
      case 4 -> W;
      case 8 -> DW;
      default -> throw new IllegalArgumentException("no access size of " + bytes + " bytes");
    };
  }
}
