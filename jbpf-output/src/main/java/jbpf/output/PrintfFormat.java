package jbpf.output;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jbpf.output.internal.ByteBuf;

/**
 * A parsed format string of {@code printf()}, {@code system()} or {@code cat()}, formatting arguments exactly as
 * bpftrace 0.17 does (it hands each specifier, with the text before it, to glibc's {@code snprintf}).
 *
 * <p>Conversions: {@code %d %i %u %o %x %X %c %s %p} and, for {@code buf()} values, {@code %r} (printable bytes
 * kept, others {@code \xNN}), {@code %rx} (every byte {@code \xNN}) and {@code %rh} (hex pairs separated by
 * spaces). Flags {@code - + space # 0}, a width, a precision, and the length modifiers {@code hh h l ll j z t}
 * on integer conversions. Integer arguments are 64 bits wide, but as in bpftrace a conversion without length
 * modifier reads only the low 32 bits: {@code %d} of 4294967301 prints 5 and {@code %x} of -1 prints
 * {@code ffffffff}; use {@code %ld}/{@code %lx} for all 64.
 *
 * <p>Quirks of bpftrace 0.17 kept here: the text after the last specifier is copied verbatim, so {@code %%}
 * there stays {@code %%} (before a specifier it becomes {@code %}); a {@code %} that starts no known specifier is
 * copied verbatim; {@code %c} of 0 ends the output of its specifier and the text before it.
 *
 * <p>Differences: 0.17 does not recognize the flags {@code + space #} nor {@code %i} (it counts them as plain
 * text, so their arguments are then missing) and prints {@code %r} with a width or precision literally; jbpf
 * formats them as C does.
 *
 * <p>Instances are immutable and thread-safe; {@link #format} allocates nothing beyond the output.
 */
public final class PrintfFormat {

  /** The conversion of a specifier. */
  public enum Conversion {
    D("d"), I("i"), U("u"), O("o"), LOWER_X("x"), UPPER_X("X"), C("c"), S("s"), P("p"), R("r"), RX("rx"), RH("rh");

    private final String letters;

    Conversion(String letters) { this.letters = letters; }

    /** {@return the conversion as written after {@code %}} */
    public String letters() { return letters; }

    /** {@return what kind of argument the conversion takes} */
    public ArgKind argKind() {
      return switch (this) {
        case D, I, U, O, LOWER_X, UPPER_X, C, P -> ArgKind.INTEGER;
        case S -> ArgKind.STRING;
        case R, RX, RH -> ArgKind.BUFFER;
      };
    }
  }

  /** A C length modifier; integer arguments narrower than 64 bits are truncated to it. */
  public enum Length {
    NONE("", 32), HH("hh", 8), H("h", 16), L("l", 64), LL("ll", 64), J("j", 64), Z("z", 64), T("t", 64);

    private final String letters;
    private final int bits;

    Length(String letters, int bits) {
      this.letters = letters;
      this.bits = bits;
    }

    /** {@return the modifier as written} */
    public String letters() { return letters; }

    /** {@return the width in bits of the C type an integer conversion reads with this modifier} */
    public int bits() { return bits; }
  }

  /** The kinds of arguments that specifiers take, named as bpftrace's messages name them. */
  public enum ArgKind {
    INTEGER("integer"), STRING("string"), BUFFER("buffer"),
    /** Anything else (tuples, structs, map aggregates): no specifier takes it. */
    OTHER("other");

    private final String bpftraceName;

    ArgKind(String bpftraceName) { this.bpftraceName = bpftraceName; }

    /** {@return the name bpftrace uses for this kind in messages} */
    public String bpftraceName() { return bpftraceName; }
  }

  /**
   * The type of an argument, for {@link #check}.
   *
   * @param kind which specifiers accept it: bpftrace counts pointers as integers, and stacks, symbols,
   *     {@code probe}, {@code username}, {@code ntop()}, {@code strftime()}, {@code macaddr()} and
   *     {@code cgroup_path()} as strings
   * @param typeName the type as bpftrace names it in messages: {@code integer}, {@code string}, {@code tuple},
   *     {@code count}, {@code buffer}...
   */
  public record ArgType(ArgKind kind, String typeName) {
    public ArgType {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(typeName);
    }

    /** {@return the type of an integer argument} */
    public static ArgType integer() { return new ArgType(ArgKind.INTEGER, "integer"); }

    /** {@return the type of a string argument} */
    public static ArgType string() { return new ArgType(ArgKind.STRING, "string"); }

    /** {@return the type of a buf() argument} */
    public static ArgType buffer() { return new ArgType(ArgKind.BUFFER, "buffer"); }
  }

  /**
   * One conversion specifier.
   *
   * @param offset index of its {@code %} in the format string
   * @param length its length in the format string
   * @param width the minimum field width, or -1
   * @param precision the precision, or -1
   */
  public record Spec(int offset, int length, boolean leftAlign, boolean plusSign, boolean spaceSign,
      boolean alternate, boolean zeroPad, int width, int precision, Length lengthModifier, Conversion conversion) {

    /** {@return the specifier as bpftrace names it in messages: {@code %} and the modifier and conversion} */
    public String token() { return "%" + lengthModifier.letters() + conversion.letters(); }
  }


  private final String format;
  private final List<Spec> specs;
  private final List<FormatError> errors;
  /** prefixes[i]: the text before specs[i], with %% already made %. */
  private final byte[][] prefixes;
  /** The text after the last specifier, verbatim. */
  private final byte[] trailer;

  private PrintfFormat(String format, List<Spec> specs, List<FormatError> errors, byte[][] prefixes, byte[] trailer) {
    this.format = format;
    this.specs = List.copyOf(specs);
    this.errors = List.copyOf(errors);
    this.prefixes = prefixes;
    this.trailer = trailer;
  }

  /** {@return the format string} */
  public String format() { return format; }

  /** {@return the specifiers, one per argument} */
  public List<Spec> specs() { return specs; }

  /** {@return problems in the format string itself; none for every format bpftrace accepts} */
  public List<FormatError> errors() { return errors; }

  /** Parses {@code format}. Never throws for a bad format: see {@link #errors()}. */
  public static PrintfFormat parse(String format) {
    List<Spec> specs = new ArrayList<>();
    List<FormatError> errors = new ArrayList<>();
    List<byte[]> prefixes = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int literalStart = 0;
    int i = 0;
    int n = format.length();
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        i++;
        continue;
      }
      if (i + 1 < n && format.charAt(i + 1) == '%') {
        literal.append(format, literalStart, i + 1);
        i += 2;
        literalStart = i;
        continue;
      }
      int end = scanSpec(format, i, specs, errors);
      if (end < 0) {
        i++;
        continue;
      }
      literal.append(format, literalStart, i);
      prefixes.add(literal.toString().getBytes(StandardCharsets.UTF_8));
      literal.setLength(0);
      i = end;
      literalStart = end;
    }
    // bpftrace 0.17 copies the text after the last specifier as written, "%%" included.
    byte[] trailer = format.substring(lastSpecEnd(specs)).getBytes(StandardCharsets.UTF_8);
    return new PrintfFormat(format, specs, errors, prefixes.toArray(new byte[0][]), trailer);
  }

  private static int lastSpecEnd(List<Spec> specs) {
    if (specs.isEmpty()) return 0;
    Spec last = specs.getLast();
    return last.offset() + last.length();
  }

  /**
   * Reads a specifier starting at the {@code %} at {@code start}; adds it to {@code specs} and returns the index
   * after it, or returns -1 when none starts there (the {@code %} is then plain text).
   */
  private static int scanSpec(String f, int start, List<Spec> specs, List<FormatError> errors) {
    int n = f.length();
    int i = start + 1;
    boolean left = false;
    boolean plus = false;
    boolean space = false;
    boolean alt = false;
    boolean zero = false;
    for (; i < n; i++) {
      char c = f.charAt(i);
      if (c == '-') left = true;
      else if (c == '+') plus = true;
      else if (c == ' ') space = true;
      else if (c == '#') alt = true;
      else if (c == '0') zero = true;
      else break;
    }
    int width = -1;
    int precision = -1;
    int digitsStart = i;
    while (i < n && Character.isDigit(f.charAt(i)) && f.charAt(i) < 128) i++;
    if (i > digitsStart) width = parseBounded(f, digitsStart, i);
    boolean star = i < n && f.charAt(i) == '*';
    if (i < n && f.charAt(i) == '.') {
      i++;
      int p = i;
      while (i < n && f.charAt(i) >= '0' && f.charAt(i) <= '9') i++;
      precision = i > p ? parseBounded(f, p, i) : 0;
      star |= i < n && f.charAt(i) == '*';
    }
    if (star) {
      int end = i + 1;
      while (end < n && "hlLjzt".indexOf(f.charAt(end)) >= 0) end++;
      if (end < n) end++;
      errors.add(new FormatError("printf: '*' width and precision are not supported: " + f.substring(start, Math.min(end, n)),
          start, Math.min(end, n) - start, -1));
      return -1;
    }
    Length length = Length.NONE;
    if (f.startsWith("hh", i)) length = Length.HH;
    else if (f.startsWith("ll", i)) length = Length.LL;
    else if (i < n) {
      length = switch (f.charAt(i)) {
        case 'h' -> Length.H;
        case 'l' -> Length.L;
        case 'j' -> Length.J;
        case 'z' -> Length.Z;
        case 't' -> Length.T;
        default -> Length.NONE;
      };
    }
    i += length.letters().length();
    if (i >= n) return -1;
    Conversion conv = switch (f.charAt(i)) {
      case 'd' -> Conversion.D;
      case 'i' -> Conversion.I;
      case 'u' -> Conversion.U;
      case 'o' -> Conversion.O;
      case 'x' -> Conversion.LOWER_X;
      case 'X' -> Conversion.UPPER_X;
      case 'p' -> Conversion.P;
      case 'c' -> Conversion.C;
      case 's' -> Conversion.S;
      case 'r' -> {
        if (i + 1 < n && f.charAt(i + 1) == 'x') yield Conversion.RX;
        if (i + 1 < n && f.charAt(i + 1) == 'h') yield Conversion.RH;
        yield Conversion.R;
      }
      default -> null;
    };
    if (conv == null) return -1;
    if (length != Length.NONE && conv.argKind() != ArgKind.INTEGER || length != Length.NONE && conv == Conversion.C) return -1;
    int end = i + conv.letters().length();
    specs.add(new Spec(start, end - start, left, plus, space, alt, zero, width, precision, length, conv));
    return end;
  }

  private static int parseBounded(String f, int from, int to) {
    long v = 0;
    for (int k = from; k < to; k++) {
      v = v * 10 + (f.charAt(k) - '0');
      if (v > 1 << 20) return 1 << 20;
    }
    return (int) v;
  }

  /**
   * Checks the arguments of a call against the specifiers, as bpftrace does at compile time.
   *
   * @param function the function named in messages; bpftrace 0.17 says {@code printf} for every function
   * @return the first problem, if any
   */
  public Optional<FormatError> check(String function, List<ArgType> args) {
    if (!errors.isEmpty()) return Optional.of(errors.getFirst());
    if (args.size() < specs.size()) {
      Spec missing = specs.get(args.size());
      return Optional.of(new FormatError(function + ": Not enough arguments for format string (" + args.size()
          + " supplied, " + specs.size() + " expected)", missing.offset(), missing.length(), -1));
    }
    if (args.size() > specs.size()) {
      return Optional.of(new FormatError(function + ": Too many arguments for format string (" + args.size()
          + " supplied, " + specs.size() + " expected)", -1, 0, specs.size()));
    }
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      ArgKind expected = s.conversion().argKind();
      if (args.get(i).kind() != expected) {
        return Optional.of(new FormatError(function + ": " + s.token() + " specifier expects a value of type "
            + expected.bpftraceName() + " (" + args.get(i).typeName() + " supplied)", s.offset(), s.length(), i));
      }
    }
    return Optional.empty();
  }

  /** {@return the formatted text, decoded as UTF-8} */
  public String format(List<Value> args) {
    ByteBuf out = new ByteBuf();
    format(out, args);
    return out.toString();
  }

  /** {@return the formatted bytes} */
  public byte[] formatBytes(List<Value> args) {
    ByteBuf out = new ByteBuf();
    format(out, args);
    return out.toByteArray();
  }

  /** Appends the formatted bytes to {@code out}. */
  void format(ByteBuf out, List<Value> args) {
    if (!errors.isEmpty()) throw new IllegalStateException("format \"" + format + "\" has errors: " + errors);
    if (args.size() != specs.size()) {
      throw new IllegalArgumentException("format \"" + format + "\" takes " + specs.size() + " arguments, got " + args.size());
    }
    for (int i = 0; i < specs.size(); i++) {
      int partStart = out.length();
      out.put(prefixes[i]);
      Spec spec = specs.get(i);
      CFormat.apply(out, spec, args.get(i));
      if (spec.conversion() == Conversion.C) {
        // bpftrace streams each part as a C string: a NUL written by %c ends it.
        int nul = out.indexOf((byte) 0, partStart);
        if (nul >= 0) out.setLength(nul);
      }
    }
    out.put(trailer);
  }

  @Override public String toString() { return "PrintfFormat[" + format + "]"; }
}
