package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.List;
import jbpf.lang.types.Type;

/** Checks a printf format against its arguments as bpftrace does: count and kind of each conversion. */
final class PrintfCheck {
  private PrintfCheck() {}

  /** A conversion: its text ({@code %-10lu}) and its letter. */
  record Spec(String text, char conversion) {}

  /** {@return the conversions of {@code format}, or {@code null} if a conversion is invalid} */
  static List<Spec> specs(String format) {
    List<Spec> out = new ArrayList<>();
    for (int i = 0; i < format.length(); i++) {
      if (format.charAt(i) != '%') continue;
      int start = i++;
      if (i < format.length() && format.charAt(i) == '%') continue;
      while (i < format.length() && "-+ #0".indexOf(format.charAt(i)) >= 0) i++;
      while (i < format.length() && (Character.isDigit(format.charAt(i)) || format.charAt(i) == '.')) i++;
      while (i < format.length() && "hlzjt".indexOf(format.charAt(i)) >= 0) i++;
      if (i >= format.length()) return null;
      char c = format.charAt(i);
      if (c == 'r' && i + 1 < format.length() && (format.charAt(i + 1) == 'x' || format.charAt(i + 1) == 'h')) i++;
      if ("diuxXocspr".indexOf(c) < 0) return null;
      out.add(new Spec(format.substring(start, i + 1), c));
    }
    return out;
  }

  /** {@return a problem in bpftrace's words, or {@code null} if the arguments fit the format} */
  static String check(String format, List<Type> args) {
    List<Spec> specs = specs(format);
    if (specs == null) return "Invalid format string";
    if (args.size() < specs.size())
      return "Not enough arguments for format string (" + args.size() + " supplied, " + specs.size() + " expected)";
    if (args.size() > specs.size())
      return "Too many arguments for format string (" + args.size() + " supplied, " + specs.size() + " expected)";
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      Type t = args.get(i);
      boolean integral = Analyzer.isIntegral(t) || t instanceof Type.Probe || t instanceof Type.Ptr;
      switch (s.conversion()) {
        case 's' -> {}
        case 'r' -> {
          if (!(t instanceof Type.Buf) && !(t instanceof Type.Str))
            return s.text().substring(0, Math.min(3, s.text().length())) + " specifier expects a value of type buffer (" + Analyzer.describe(t) + " supplied)";
        }
        default -> {
          if (!integral) return "%" + s.conversion() + " specifier expects a value of type integer (" + kind(t) + " supplied)";
        }
      }
    }
    return null;
  }

  private static String kind(Type t) {
    return switch (t) {
      case Type.Str s -> "string";
      case Type.Tuple tt -> "tuple";
      default -> Analyzer.describe(t);
    };
  }
}
