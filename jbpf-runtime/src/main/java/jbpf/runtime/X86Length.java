package jbpf.runtime;

/**
 * The length of x86-64 instructions, to tell whether an offset into a function falls on an instruction boundary: a
 * uprobe placed inside an instruction would corrupt it. Only lengths are decoded, from the prefixes, the opcode
 * (one-byte, {@code 0F}, {@code 0F 38}, {@code 0F 3A}, VEX and EVEX maps), the ModRM and SIB bytes, the displacement
 * and the immediate, following the Intel SDM volume 2, appendix A and chapter 2.
 */
final class X86Length {
  private X86Length() {}

  /** {@return whether an instruction starts at {@code offset} of {@code code}, a function decoded from its start} */
  static boolean isBoundary(byte[] code, int offset) {
    int pos = 0;
    while (pos < offset) {
      int n = length(code, pos);
      if (n <= 0) return false;
      pos += n;
    }
    return pos == offset;
  }

  /** {@return the length of the instruction at {@code at}, or -1 if it is invalid or runs past the end} */
  static int length(byte[] code, int at) {
    int p = at;
    boolean opsize = false, addrsize = false, rexW = false;
    // legacy prefixes, then REX
    while (true) {
      if (p >= code.length || p - at >= 15) return -1;
      int b = code[p] & 0xff;
      if (b == 0x66) opsize = true;
      else if (b == 0x67) addrsize = true;
      else if (!(b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65)) break;
      p++;
    }
    int b = code[p] & 0xff;
    if (b >= 0x40 && b <= 0x4f) {
      rexW = (b & 8) != 0;
      p++;
      if (p >= code.length) return -1;
      b = code[p] & 0xff;
    }
    int z = opsize ? 2 : 4;
    boolean modrm;
    int imm;
    if (b == 0xc4 || b == 0xc5 || b == 0x62) {
      // VEX (C4: three bytes, C5: two) and EVEX (62: four): the map follows, then opcode, ModRM, [imm8]
      int map;
      if (b == 0xc5) {
        map = 1;
        p += 2;
      } else if (b == 0xc4) {
        if (p + 1 >= code.length) return -1;
        map = code[p + 1] & 0x1f;
        p += 3;
      } else {
        if (p + 1 >= code.length) return -1;
        map = code[p + 1] & 0x07;
        p += 4;
      }
      if (p >= code.length) return -1;
      int op = code[p++] & 0xff;
      imm = map == 3 || (map == 1 && (op == 0xc2 || op == 0xc4 || op == 0xc5 || op == 0xc6 || (op >= 0x70 && op <= 0x73))) ? 1 : 0;
      // vzeroupper and vzeroall (VEX 0F 77) are the only ones without ModRM
      return finish(code, at, p, !(map == 1 && op == 0x77), imm, addrsize);
    }
    p++;
    if (b == 0x0f) {
      if (p >= code.length) return -1;
      int op = code[p++] & 0xff;
      if (op == 0x38) {
        p++;                                            // 0F 38 xx: ModRM, no immediate
        return finish(code, at, p, true, 0, addrsize);
      }
      if (op == 0x3a) {
        p++;                                            // 0F 3A xx: ModRM, imm8
        return finish(code, at, p, true, 1, addrsize);
      }
      if (op >= 0x80 && op <= 0x8f) return finish(code, at, p, false, 4, addrsize);          // jcc rel32
      modrm = !(op == 0x05 || op == 0x06 || op == 0x07 || op == 0x08 || op == 0x09 || op == 0x0b || op == 0x0e
          || (op >= 0x30 && op <= 0x37) || op == 0x77 || op == 0xa0 || op == 0xa1 || op == 0xa2 || op == 0xa8
          || op == 0xa9 || op == 0xaa || (op >= 0xc8 && op <= 0xcf));
      imm = (op >= 0x70 && op <= 0x73) || op == 0xa4 || op == 0xac || op == 0xba || op == 0xc2 || op == 0xc4 || op == 0xc5
          || op == 0xc6 || op == 0x0f ? 1 : 0;
      return finish(code, at, p, modrm, imm, addrsize);
    }
    // one-byte opcodes, 64-bit mode
    if (b == 0x06 || b == 0x07 || b == 0x0e || b == 0x16 || b == 0x17 || b == 0x1e || b == 0x1f || b == 0x27 || b == 0x2f
        || b == 0x37 || b == 0x3f || b == 0x60 || b == 0x61 || b == 0x82 || b == 0x9a || b == 0xc4 || b == 0xc5 || b == 0xd4
        || b == 0xd5 || b == 0xd6 || b == 0xea) return -1;   // invalid in 64-bit mode
    int low = b & 7;
    if (b < 0x40 && (b & 0xf) != 0xf && low <= 5) {
      // the eight ALU groups: r/m forms (0-3) take ModRM, AL,imm8 (4) and eAX,imm (5)
      if (low <= 3) return finish(code, at, p, true, 0, addrsize);
      return finish(code, at, p, false, low == 4 ? 1 : z, addrsize);
    }
    switch (b) {
      case 0x63, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0xd0, 0xd1, 0xd2, 0xd3, 0xd8, 0xd9,
           0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xfe, 0xff -> { return finish(code, at, p, true, 0, addrsize); }
      case 0x69, 0x81, 0xc7 -> { return finish(code, at, p, true, z, addrsize); }
      case 0x6b, 0x80, 0x83, 0xc0, 0xc1, 0xc6 -> { return finish(code, at, p, true, 1, addrsize); }
      case 0x68 -> { return finish(code, at, p, false, z, addrsize); }
      case 0x6a, 0xa8, 0xcd, 0xeb, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7 -> { return finish(code, at, p, false, 1, addrsize); }
      case 0xa9 -> { return finish(code, at, p, false, z, addrsize); }
      case 0xa0, 0xa1, 0xa2, 0xa3 -> { return finish(code, at, p, false, addrsize ? 4 : 8, addrsize); }   // moffs
      case 0xc2, 0xca -> { return finish(code, at, p, false, 2, addrsize); }
      case 0xc8 -> { return finish(code, at, p, false, 3, addrsize); }
      case 0xe8, 0xe9 -> { return finish(code, at, p, false, 4, addrsize); }
      case 0xf6, 0xf7 -> {
        // TEST (reg field 0 or 1) takes an immediate; NOT, NEG, MUL, IMUL, DIV, IDIV do not
        if (p >= code.length) return -1;
        int reg = (code[p] >> 3) & 7;
        return finish(code, at, p, true, reg <= 1 ? (b == 0xf6 ? 1 : z) : 0, addrsize);
      }
      default -> {}
    }
    if (b >= 0x70 && b <= 0x7f) return finish(code, at, p, false, 1, addrsize);            // jcc rel8
    if (b >= 0xb0 && b <= 0xb7) return finish(code, at, p, false, 1, addrsize);            // mov r8, imm8
    if (b >= 0xb8 && b <= 0xbf) return finish(code, at, p, false, rexW ? 8 : z, addrsize); // mov r, imm
    // everything else of the one-byte map has neither ModRM nor immediate: push/pop r, xchg, nop, cbw, ret, leave,
    // int3, hlt, cmc, clc..std, string instructions, in/out with dx...
    return finish(code, at, p, false, 0, addrsize);
  }

  /** Adds ModRM, SIB and displacement (when {@code modrm}) and {@code imm} immediate bytes after the opcode at {@code p}. */
  private static int finish(byte[] code, int at, int p, boolean modrm, int imm, boolean addrsize) {
    if (modrm) {
      if (p >= code.length) return -1;
      int m = code[p++] & 0xff;
      int mod = m >> 6, rm = m & 7;
      if (mod != 3) {
        if (rm == 4) {
          if (p >= code.length) return -1;
          int sib = code[p++] & 0xff;
          if (mod == 0 && (sib & 7) == 5) p += 4;
        } else if (mod == 0 && rm == 5) {
          p += 4;                                       // rip-relative (or disp32 with 67)
        }
        if (mod == 1) p += 1;
        else if (mod == 2) p += 4;
      }
    }
    p += imm;
    return p > code.length ? -1 : p - at;
  }
}
