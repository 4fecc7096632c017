package jbpf.output;

import jbpf.output.PrintfFormat.Spec;
import jbpf.output.internal.ByteBuf;

/** One printf conversion as glibc's {@code snprintf} performs it, on a 64-bit argument or a string. */
final class CFormat {
  private CFormat() {}

  private static final byte[] NIL = {'(', 'n', 'i', 'l', ')'};

  static void apply(ByteBuf out, Spec s, Value arg) {
    switch (s.conversion()) {
      case D, I -> signed(out, s, narrowSigned(integer(s, arg), s.lengthModifier().bits()));
      case U -> unsigned(out, s, narrowUnsigned(integer(s, arg), s.lengthModifier().bits()), 10, false, null);
      case O -> unsigned(out, s, narrowUnsigned(integer(s, arg), s.lengthModifier().bits()), 8, false, null);
      case LOWER_X -> unsigned(out, s, narrowUnsigned(integer(s, arg), s.lengthModifier().bits()), 16, false,
          s.alternate() ? "0x" : null);
      case UPPER_X -> unsigned(out, s, narrowUnsigned(integer(s, arg), s.lengthModifier().bits()), 16, true,
          s.alternate() ? "0X" : null);
      case P -> pointer(out, s, integer(s, arg));
      case C -> {
        int start = out.length();
        out.put((byte) integer(s, arg));
        pad(out, s, start);
      }
      case S -> string(out, s, arg, Render.TEXT);
      case R -> string(out, s, arg, Render.ESCAPED);
      case RX -> string(out, s, arg, Render.HEX_ESCAPED);
      case RH -> string(out, s, arg, Render.HEX);
    }
  }

  private enum Render { TEXT, ESCAPED, HEX_ESCAPED, HEX }

  private static long integer(Spec s, Value arg) {
    return switch (arg) {
      case Value.Int i -> i.value();
      case Value.Ptr p -> p.address();
      case Value.Bool b -> b.value() ? 1 : 0;
      case Value.Count c -> c.value();
      case Value.Sum x -> x.value();
      case Value.Min x -> x.value();
      case Value.Max x -> x.value();
      default -> throw new IllegalArgumentException(s.token() + " needs an integer argument, got " + arg);
    };
  }

  private static long narrowSigned(long v, int bits) {
    return switch (bits) {
      case 8 -> (byte) v;
      case 16 -> (short) v;
      case 32 -> (int) v;
      default -> v;
    };
  }

  private static long narrowUnsigned(long v, int bits) {
    return bits == 64 ? v : v & ((1L << bits) - 1);
  }

  private static void signed(ByteBuf out, Spec s, long v) {
    byte sign = v < 0 ? (byte) '-' : s.plusSign() ? (byte) '+' : s.spaceSign() ? (byte) ' ' : 0;
    int start = out.length();
    if (sign != 0) out.put(sign);
    int digitsStart = out.length();
    if (!(v == 0 && s.precision() == 0)) {
      if (v == Long.MIN_VALUE) out.unsignedDecimal(v);
      else out.unsignedDecimal(Math.abs(v));
    }
    finishNumber(out, s, start, digitsStart);
  }

  private static void unsigned(ByteBuf out, Spec s, long v, int radix, boolean upper, String hexPrefix) {
    int start = out.length();
    if (hexPrefix != null && v != 0) out.put(hexPrefix);
    int digitsStart = out.length();
    if (!(v == 0 && s.precision() == 0)) {
      if (radix == 10) out.unsignedDecimal(v);
      else out.radix(v, radix == 16 ? 4 : 3, upper);
    }
    if (radix == 8 && s.alternate() && (out.length() == digitsStart || out.byteAt(digitsStart) != '0')) {
      // '#' makes octal start with 0, unless the precision already gave it one.
      int digits = out.length() - digitsStart;
      if (s.precision() <= digits) out.insert(digitsStart, (byte) '0', 1);
    }
    finishNumber(out, s, start, digitsStart);
  }

  /** Applies precision (minimum digits) and width to the number at {@code [start, end)}. */
  private static void finishNumber(ByteBuf out, Spec s, int start, int digitsStart) {
    int digits = out.length() - digitsStart;
    if (s.precision() > digits) out.insert(digitsStart, (byte) '0', s.precision() - digits);
    int len = out.length() - start;
    if (s.width() > len) {
      int fill = s.width() - len;
      if (s.leftAlign()) out.repeat((byte) ' ', fill);
      else if (s.zeroPad() && s.precision() < 0) out.insert(digitsStart, (byte) '0', fill);
      else out.insert(start, (byte) ' ', fill);
    }
  }

  private static void pointer(ByteBuf out, Spec s, long v) {
    int start = out.length();
    if (v == 0) {
      // glibc prints "(nil)" whole, whatever the precision.
      out.put(NIL);
      pad(out, s, start);
      return;
    }
    if (s.plusSign()) out.put((byte) '+');
    else if (s.spaceSign()) out.put((byte) ' ');
    out.put((byte) '0').put((byte) 'x');
    int digitsStart = out.length();
    out.radix(v, 4, false);
    finishNumber(out, s, start, digitsStart);
  }

  private static void string(ByteBuf out, Spec s, Value arg, Render render) {
    int start = out.length();
    byte[] buf = arg instanceof Value.Buf b ? b.raw() : null;
    if (buf == null || render == Render.TEXT) {
      ValueFormat.text(out, arg, ValueFormat.Place.VALUE);
      // The string reaches snprintf as a C string: it ends at its first NUL.
      int nul = out.indexOf((byte) 0, start);
      if (nul >= 0) out.setLength(nul);
    } else {
      switch (render) {
        case ESCAPED -> ValueFormat.escapedBuffer(out, buf);
        case HEX_ESCAPED -> ValueFormat.hexEscapedBuffer(out, buf);
        case HEX -> ValueFormat.hexBuffer(out, buf);
        case TEXT -> throw new IllegalStateException();
      }
    }
    if (s.precision() >= 0 && out.length() - start > s.precision()) out.setLength(start + s.precision());
    pad(out, s, start);
  }

  /** Pads the field at {@code [start, end)} with spaces to the width. */
  private static void pad(ByteBuf out, Spec s, int start) {
    int len = out.length() - start;
    if (s.width() <= len) return;
    if (s.leftAlign()) out.repeat((byte) ' ', s.width() - len);
    else out.insert(start, (byte) ' ', s.width() - len);
  }
}
