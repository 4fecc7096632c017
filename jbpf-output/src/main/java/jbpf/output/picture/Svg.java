package jbpf.output.picture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** What the SVG writers share: XML escaping, compact numbers, colours, and the scripts they embed. */
final class Svg {
  private Svg() {}

  /** Appends {@code s} escaped for XML text and attribute values, without the characters XML 1.0 cannot hold. */
  static StringBuilder escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') b.append('?');
          else if (c == 0xfffe || c == 0xffff) b.append('?');
          else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) b.append(c).append(s.charAt(++i));
          else if (Character.isSurrogate(c)) b.append('?');
          else b.append(c);
        }
      }
    }
    return b;
  }

  /** Appends {@code v} with at most two decimals and no trailing zeros: {@code 12}, {@code 3.5}, {@code 0.07}. */
  static StringBuilder num(StringBuilder b, double v) {
    long hundredths = Math.round(v * 100);
    if (hundredths < 0) {
      b.append('-');
      hundredths = -hundredths;
    }
    b.append(hundredths / 100);
    long frac = hundredths % 100;
    if (frac != 0) {
      b.append('.').append((char) ('0' + frac / 10));
      if (frac % 10 != 0) b.append((char) ('0' + frac % 10));
    }
    return b;
  }

  /** {@return {@code n} with thousands separated by commas: {@code 1,234,567}} */
  static String grouped(long n) {
    String digits = Long.toUnsignedString(n);
    StringBuilder b = new StringBuilder(digits.length() + digits.length() / 3);
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) b.append(',');
      b.append(digits.charAt(i));
    }
    return b.toString();
  }

  /** {@return {@code part} as a percentage of {@code total}, with two decimals} */
  static String percent(long part, long total) {
    if (total <= 0) return "0.00";
    double p = 100.0 * part / total;
    long hundredths = Math.round(p * 100);
    return hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100;
  }

  /** {@return {@code text} cut with {@code ...} to about as many characters of a 12-pixel font as fit in {@code width} pixels} */
  static String fit(String text, int width) {
    int chars = (int) (width / (0.59 * 12));
    return text.length() <= chars ? text : text.substring(0, Math.max(0, chars - 3)) + "...";
  }

  /** {@return the CSS colour of hue {@code h} (degrees), saturation {@code s} and lightness {@code l} (0 to 1)} */
  static String hsl(double h, double s, double l) {
    double c = (1 - Math.abs(2 * l - 1)) * s;
    double hp = ((h % 360) + 360) % 360 / 60;
    double x = c * (1 - Math.abs(hp % 2 - 1));
    double r, g, bl;
    if (hp < 1) { r = c; g = x; bl = 0; }
    else if (hp < 2) { r = x; g = c; bl = 0; }
    else if (hp < 3) { r = 0; g = c; bl = x; }
    else if (hp < 4) { r = 0; g = x; bl = c; }
    else if (hp < 5) { r = x; g = 0; bl = c; }
    else { r = c; g = 0; bl = x; }
    double m = l - c / 2;
    return "rgb(" + channel(r + m) + "," + channel(g + m) + "," + channel(bl + m) + ")";
  }

  private static int channel(double v) { return (int) Math.round(Math.max(0, Math.min(1, v)) * 255); }

  /** {@return the text of resource {@code name} next to this class} */
  static String resource(String name) {
    try (InputStream in = Svg.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("resource " + name + " is missing from jbpf.output");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("read resource " + name + ": " + e.getMessage(), e);
    }
  }
}
