package jbpf.lang.lex;

import java.util.Locale;

/**
 * The value of an integer literal as bpftrace reads it: decimal, {@code 0x} hex, {@code 0b} binary, {@code 0o} or
 * leading-zero octal, {@code _} between digits, C suffixes ({@code u}, {@code l}, {@code ul}, {@code ll},
 * {@code ull}), scientific notation ({@code 1e6}) and duration suffixes ({@code ns us ms s m h d}, giving
 * nanoseconds).
 *
 * @param value the 64 bits; literals above {@code Long.MAX_VALUE} wrap
 * @param unsigned whether the literal has a {@code u} suffix or does not fit in int64
 */
public record IntLiteral(long value, boolean unsigned) {

  /** A literal that is not a valid integer, with a message in bpftrace's words and an optional hint. */
  public static final class InvalidException extends IllegalArgumentException {
    private final String hint;

    InvalidException(String message, String hint) {
      super(message);
      this.hint = hint;
    }

    /** {@return one concrete fix, or {@code null}} */
    public String hint() { return hint; }
  }

  /**
   * {@return the value of {@code text}, an integer literal as written}
   *
   * @throws InvalidException if {@code text} is not a valid literal or does not fit in 64 bits
   */
  public static IntLiteral parse(String text) {
    int radix = 10;
    int i = 0;
    if (text.length() > 1 && text.charAt(0) == '0') {
      char p = Character.toLowerCase(text.charAt(1));
      if (p == 'x') { radix = 16; i = 2; }
      else if (p == 'b') { radix = 2; i = 2; }
      else if (p == 'o') { radix = 8; i = 2; }
      else if (isDigit(p) || p == '_') { radix = 8; i = 1; }
    }
    int digitsStart = i;
    while (i < text.length() && (text.charAt(i) == '_' || Character.digit(text.charAt(i), radix == 16 ? 16 : 10) >= 0)) i++;
    String digits = text.substring(digitsStart, i);
    long exponent = -1;
    if (radix == 10 && i + 1 < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E') && isDigit(text.charAt(i + 1))) {
      int e = ++i;
      while (i < text.length() && (isDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
      String exp = text.substring(e, i).replace("_", "");
      exponent = exp.length() > 3 ? Long.MAX_VALUE : Long.parseLong(exp);
    }
    String suffix = text.substring(i).toLowerCase(Locale.ROOT);

    if (digits.isEmpty()) {
      throw new InvalidException("invalid integer literal '" + text + "'", radix == 16 ? "hex literals need digits after 0x, e.g. 0x1f" : null);
    }
    if (digits.startsWith("_") || digits.endsWith("_")) {
      throw new InvalidException("invalid integer literal '" + text + "'", "'_' may only separate digits, e.g. 1_000_000");
    }
    long value = 0;
    boolean overflow = false;
    for (int k = 0; k < digits.length(); k++) {
      char c = digits.charAt(k);
      if (c == '_') continue;
      int d = Character.digit(c, radix);
      if (d < 0) {
        String base = radix == 8 ? "octal" : radix == 2 ? "binary" : "decimal";
        throw new InvalidException("invalid digit '" + c + "' in " + base + " literal '" + text + "'",
            radix == 8 && digitsStart == 1 ? "a leading 0 makes an octal literal; write the number without it" : null);
      }
      long hi = Math.unsignedMultiplyHigh(value, radix);
      long next = value * radix + d;
      if (hi != 0 || Long.compareUnsigned(next, value * radix) < 0) overflow = true;
      value = next;
    }
    if (exponent >= 0) {
      for (long k = 0; k < exponent && !overflow && value != 0; k++) {
        if (Math.unsignedMultiplyHigh(value, 10) != 0) overflow = true;
        value *= 10;
      }
    }
    boolean unsigned = false;
    long scale = 1;
    switch (suffix) {
      case "" -> { }
      case "u" -> unsigned = true;
      case "l", "ll" -> { }
      case "ul", "lu", "ull", "llu" -> unsigned = true;
      case "ns" -> { if (radix != 10) throw badSuffix(text, suffix); }
      case "us" -> { if (radix != 10) throw badSuffix(text, suffix); scale = 1_000L; }
      case "ms" -> { if (radix != 10) throw badSuffix(text, suffix); scale = 1_000_000L; }
      case "s" -> { if (radix != 10) throw badSuffix(text, suffix); scale = 1_000_000_000L; }
      case "m" -> { if (radix != 10) throw badSuffix(text, suffix); scale = 60_000_000_000L; }
      case "h" -> { if (radix != 10) throw badSuffix(text, suffix); scale = 3_600_000_000_000L; }
      case "d" -> { if (radix != 10) throw badSuffix(text, suffix); scale = 86_400_000_000_000L; }
      default -> throw badSuffix(text, suffix);
    }
    if (scale != 1) {
      if (Math.unsignedMultiplyHigh(value, scale) != 0) overflow = true;
      value *= scale;
    }
    if (overflow) throw new InvalidException("integer literal '" + text + "' does not fit in 64 bits", null);
    return new IntLiteral(value, unsigned || value < 0);
  }

  private static InvalidException badSuffix(String text, String suffix) {
    return new InvalidException("invalid suffix '" + suffix + "' on integer literal '" + text + "'",
        "integer suffixes are u, l, ul, ll and ull; durations are ns, us, ms, s, m, h and d");
  }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
}
