package jbpf.output.internal;

/** Writes JSON string contents the way bpftrace's {@code json_escape} does, but always valid. */
public final class Json {
  private Json() {}

  /**
   * Appends {@code bytes[from, to)} to {@code out} escaped for a JSON string, without quotes: {@code "}, {@code \},
   * newline, carriage return and tab get backslash escapes, other control bytes <code>&#92;u00XX</code>. Well-formed UTF-8
   * passes through; a byte that is not part of a well-formed UTF-8 sequence is written as <code>&#92;u00XX</code>, its
   * Latin-1 reading, where bpftrace 0.17 writes an invalid <code>&#92;uffffffXX</code>.
   */
  public static void escape(ByteBuf out, ByteBuf src, int from, int to) {
    byte[] a = src.array();
    int i = from;
    while (i < to) {
      int run = i;
      while (run < to && a[run] >= 0x20 && a[run] != '"' && a[run] != '\\') run++;
      if (run > i) {
        out.put(a, i, run - i);
        i = run;
        if (i == to) break;
      }
      int b = a[i] & 0xff;
      if (b >= 0x80) {
        int len = utf8Length(a, i, to);
        if (len > 0) {
          out.put(a, i, len);
          i += len;
        } else {
          unicode(out, b);
          i++;
        }
        continue;
      }
      switch (b) {
        case '"' -> out.put((byte) '\\').put((byte) '"');
        case '\\' -> out.put((byte) '\\').put((byte) '\\');
        case '\n' -> out.put((byte) '\\').put((byte) 'n');
        case '\r' -> out.put((byte) '\\').put((byte) 'r');
        case '\t' -> out.put((byte) '\\').put((byte) 't');
        default -> unicode(out, b);
      }
      i++;
    }
  }

  private static void unicode(ByteBuf out, int b) {
    out.put((byte) '\\').put((byte) 'u').put((byte) '0').put((byte) '0').hex2(b);
  }

  /** {@return the length of the well-formed UTF-8 sequence at {@code i}, or 0} */
  private static int utf8Length(byte[] s, int i, int to) {
    int b = s[i] & 0xff;
    int len;
    int min;
    if (b >= 0xc2 && b <= 0xdf) {
      len = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + len > to) return 0;
    int cp = b & (0x3f >> (len - 1));
    for (int k = 1; k < len; k++) {
      int c = s[i + k] & 0xff;
      if ((c & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
  }
}
