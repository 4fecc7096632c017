package jbpf.demangle;

import java.util.ArrayList;
import java.util.List;

/**
 * Demangles Rust symbols as {@code rustfilt} (rustc-demangle's alternate form) prints them: the legacy scheme
 * ({@code _ZN4core3fmt5write17h0123456789abcdefE} → {@code core::fmt::write}, the hash dropped) and the v0 scheme
 * ({@code _RNvCs1234_7mycrate4main} → {@code mycrate::main}, crate disambiguators dropped).
 */
public final class RustDemangler {
  private static final int MAX_DEPTH = 300, MAX_OUTPUT = 1 << 16;

  private RustDemangler() {}

  /** {@return the symbol demangled by whichever scheme it uses, or {@code null} if it is not a Rust symbol} */
  public static String demangle(String symbol) {
    if (symbol == null) return null;
    String s = stripLlvmSuffix(symbol);
    if (s.startsWith("_R") || s.startsWith("__R") || (s.startsWith("R") && s.length() > 1 && Character.isUpperCase(s.charAt(1)))) {
      return demangleV0(s);
    }
    return demangleLegacy(symbol);
  }

  private static String stripLlvmSuffix(String s) {
    int i = s.indexOf(".llvm.");
    if (i < 0) return s;
    for (int k = i + 6; k < s.length(); k++) {
      char c = s.charAt(k);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || c == '@')) return s;
    }
    return s.substring(0, i);
  }

  // ---- legacy -------------------------------------------------------------------------------------------------

  /**
   * {@return a legacy-mangled Rust symbol ({@code _ZN…17h<16 hex digits>E}) demangled without its hash, or
   * {@code null} if {@code symbol} does not end in a Rust hash}
   */
  public static String demangleLegacy(String symbol) {
    if (symbol == null) return null;
    String s = stripLlvmSuffix(symbol);
    int start;
    if (s.startsWith("_ZN")) start = 3;
    else if (s.startsWith("__ZN")) start = 4;
    else if (s.startsWith("ZN")) start = 2;
    else return null;
    List<String> parts = new ArrayList<>();
    int p = start;
    while (p < s.length() && s.charAt(p) != 'E') {
      int q = p;
      while (q < s.length() && Character.isDigit(s.charAt(q))) q++;
      if (q == p || q - p > 9) return null;
      int len = Integer.parseInt(s, p, q, 10);
      if (len == 0 || q + len > s.length()) return null;
      parts.add(s.substring(q, q + len));
      p = q + len;
    }
    if (p >= s.length() || parts.isEmpty()) return null;
    int end = p + 1;
    if (end != s.length()) {                     // rustc-demangle tolerates only a trailing ".suffix" here
      if (s.charAt(end) != '.') return null;
    }
    String hash = parts.getLast();
    if (hash.length() != 17 || hash.charAt(0) != 'h') return null;
    for (int i = 1; i < 17; i++) if (Character.digit(hash.charAt(i), 16) < 0) return null;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size() - 1; i++) {
      if (i > 0) out.append("::");
      if (!legacyComponent(parts.get(i), out)) return null;
    }
    if (end != s.length()) out.append(s, end, s.length());
    return out.toString();
  }

  private static boolean legacyComponent(String c, StringBuilder out) {
    String r = c;
    if (r.startsWith("_$")) r = r.substring(1);
    int i = 0;
    while (i < r.length()) {
      char ch = r.charAt(i);
      if (ch == '.') {
        if (i + 1 < r.length() && r.charAt(i + 1) == '.') {
          out.append("::");
          i += 2;
        } else {
          out.append('.');
          i++;
        }
      } else if (ch == '$') {
        int e = r.indexOf('$', i + 1);
        if (e < 0) return false;
        String esc = r.substring(i + 1, e);
        String t = switch (esc) {
          case "SP" -> "@"; case "BP" -> "*"; case "RF" -> "&"; case "LT" -> "<"; case "GT" -> ">"; case "LP" -> "(";
          case "RP" -> ")"; case "C" -> ",";
          default -> {
            if (esc.length() > 1 && esc.charAt(0) == 'u') {
              try {
                int cp = Integer.parseInt(esc.substring(1), 16);
                if (cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && !Character.isISOControl(cp)) yield Character.toString(cp);
              } catch (NumberFormatException ignored) {
                // not a hex escape: fall through to failure
              }
            }
            yield null;
          }
        };
        if (t == null) return false;
        out.append(t);
        i = e + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return true;
  }

  // ---- v0 -----------------------------------------------------------------------------------------------------

  /** {@return a v0-mangled Rust symbol ({@code _R…}) demangled, or {@code null} if it is malformed} */
  public static String demangleV0(String symbol) {
    if (symbol == null) return null;
    String s = stripLlvmSuffix(symbol);
    int start = s.startsWith("_R") ? 2 : s.startsWith("__R") ? 3 : s.startsWith("R") ? 1 : -1;
    if (start < 0) return null;
    try {
      V0 p = new V0(s, start);
      if (Character.isDigit(p.peek())) return null;     // an encoding version other than 0
      p.path(true);
      if (p.pos < s.length() && Character.isUpperCase(p.peek())) {
        p.silent++;
        p.path(false);                                 // the instantiating crate is not printed
        p.silent--;
      }
      if (p.pos < s.length()) {
        if (s.charAt(p.pos) != '.') return null;
        p.out.append(s, p.pos, s.length());
      }
      return p.out.toString();
    } catch (V0.Bad e) {
      return null;
    }
  }

  private static final class V0 {
    static final class Bad extends RuntimeException {
      static final Bad INSTANCE = new Bad();

      Bad() { super(null, null, false, false); }
    }

    final String s;
    int pos, depth, silent, boundLifetimes;
    final StringBuilder out = new StringBuilder();

    V0(String s, int pos) {
      this.s = s;
      this.pos = pos;
    }

    char peek() { return pos < s.length() ? s.charAt(pos) : 0; }

    char next() {
      if (pos >= s.length()) throw Bad.INSTANCE;
      return s.charAt(pos++);
    }

    boolean eat(char c) {
      if (peek() == c) {
        pos++;
        return true;
      }
      return false;
    }

    void print(String t) {
      if (silent == 0) {
        out.append(t);
        if (out.length() > MAX_OUTPUT) throw Bad.INSTANCE;
      }
    }

    void enter() { if (++depth > MAX_DEPTH) throw Bad.INSTANCE; }

    long base62() {
      if (eat('_')) return 0;
      long v = 0;
      while (true) {
        char c = next();
        if (c == '_') {
          if (v == -1L) throw Bad.INSTANCE;
          return v + 1;
        }
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z') d = c - 'A' + 36;
        else throw Bad.INSTANCE;
        if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 62)) > 0) throw Bad.INSTANCE;   // u64 overflow
        v = v * 62 + d;
      }
    }

    long optBase62(char tag) { return eat(tag) ? base62() + 1 : 0; }

    long decimal() {
      char c = next();
      if (c < '0' || c > '9') throw Bad.INSTANCE;
      if (c == '0') return 0;
      long v = c - '0';
      while (peek() >= '0' && peek() <= '9') {
        v = v * 10 + (next() - '0');
        if (v > 1_000_000) throw Bad.INSTANCE;
      }
      return v;
    }

    String ident() {
      boolean puny = eat('u');
      long len = decimal();
      eat('_');
      if (pos + len > s.length()) throw Bad.INSTANCE;
      String raw = s.substring(pos, pos + (int) len);
      pos += (int) len;
      if (!puny) return raw;
      return punycode(raw);
    }

    /** Decodes a Punycode label (RFC 3492) in rustc's form, where the basic code points end at the last '_'. */
    static String punycode(String raw) {
      int us = raw.lastIndexOf('_');
      List<Integer> cps = new ArrayList<>();
      String enc = raw;
      if (us >= 0) {
        raw.substring(0, us).codePoints().forEach(cps::add);
        enc = raw.substring(us + 1);
      }
      if (enc.isEmpty()) throw Bad.INSTANCE;
      int n = 128, i = 0, bias = 72, p = 0;
      while (p < enc.length()) {
        int oldi = i, w = 1;
        for (int k = 36; ; k += 36) {
          if (p >= enc.length()) throw Bad.INSTANCE;
          char c = enc.charAt(p++);
          int d = c >= 'a' && c <= 'z' ? c - 'a' : c >= '0' && c <= '9' ? c - '0' + 26 : -1;
          if (d < 0) throw Bad.INSTANCE;
          if (d > (Integer.MAX_VALUE - i) / w) throw Bad.INSTANCE;
          i += d * w;
          int t = k <= bias ? 1 : Math.min(k - bias, 26);
          if (d < t) break;
          if (w > Integer.MAX_VALUE / (36 - t)) throw Bad.INSTANCE;
          w *= 36 - t;
        }
        int len = cps.size() + 1;
        int delta = oldi == 0 ? (i - oldi) / 700 : (i - oldi) / 2;
        delta += delta / len;
        int k = 0;
        while (delta > ((36 - 1) * 26) / 2) {
          delta /= 36 - 1;
          k += 36;
        }
        bias = k + (36 * delta) / (delta + 38);
        if (i / len > 0x10ffff - n) throw Bad.INSTANCE;
        n += i / len;
        i %= len;
        if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw Bad.INSTANCE;
        cps.add(i, n);
        i++;
      }
      StringBuilder b = new StringBuilder();
      for (int cp : cps) b.appendCodePoint(cp);
      return b.toString();
    }

    /** Runs {@code r} on the input at the backreference's target, then returns to where we were. */
    void backref(Runnable r) {
      int at = pos - 1;
      long target = base62();
      int prefix = s.startsWith("__R") ? 3 : s.startsWith("_R") ? 2 : 1;
      if (target < 0 || target >= at - prefix) throw Bad.INSTANCE;
      int back = (int) target + prefix;
      int saved = pos;
      pos = back;
      r.run();
      pos = saved;
    }

    void path(boolean inValue) {
      enter();
      try {
        char tag = next();
        switch (tag) {
          case 'C' -> {
            optBase62('s');
            print(ident());
          }
          case 'M' -> {
            optBase62('s');
            silent++;
            path(false);
            silent--;
            print("<");
            type();
            print(">");
          }
          case 'X' -> {
            optBase62('s');
            silent++;
            path(false);
            silent--;
            print("<");
            type();
            print(" as ");
            path(false);
            print(">");
          }
          case 'Y' -> {
            print("<");
            type();
            print(" as ");
            path(false);
            print(">");
          }
          case 'N' -> {
            char ns = next();
            if (!Character.isLetter(ns)) throw Bad.INSTANCE;
            path(inValue);
            long dis = optBase62('s');
            String name = ident();
            if (Character.isUpperCase(ns)) {
              print("::{");
              print(ns == 'C' ? "closure" : ns == 'S' ? "shim" : String.valueOf(ns));
              if (!name.isEmpty()) print(":" + name);
              print("#" + Long.toUnsignedString(dis) + "}");
            } else if (!name.isEmpty()) {
              print("::");
              print(name);
            }
          }
          case 'I' -> {
            path(inValue);
            if (inValue) print("::");
            print("<");
            int n = 0;
            while (!eat('E')) {
              if (n++ > 0) print(", ");
              genericArg();
            }
            print(">");
          }
          case 'B' -> backref(() -> path(inValue));
          default -> throw Bad.INSTANCE;
        }
      } finally {
        depth--;
      }
    }

    void genericArg() {
      if (eat('L')) {
        lifetime(base62());
      } else if (eat('K')) {
        constant();
      } else type();
    }

    void lifetime(long idx) {
      if (idx == 0) {
        print("'_");
        return;
      }
      long depthFromTop = boundLifetimes - idx;
      if (depthFromTop < 0) throw Bad.INSTANCE;
      print(depthFromTop < 26 ? "'" + (char) ('a' + depthFromTop) : "'_" + depthFromTop);
    }

    static String basic(char c) {
      return switch (c) {
        case 'a' -> "i8"; case 'b' -> "bool"; case 'c' -> "char"; case 'd' -> "f64"; case 'e' -> "str"; case 'f' -> "f32";
        case 'h' -> "u8"; case 'i' -> "isize"; case 'j' -> "usize"; case 'l' -> "i32"; case 'm' -> "u32"; case 'n' -> "i128";
        case 'o' -> "u128"; case 's' -> "i16"; case 't' -> "u16"; case 'u' -> "()"; case 'v' -> "..."; case 'x' -> "i64";
        case 'y' -> "u64"; case 'z' -> "!"; case 'p' -> "_";
        default -> null;
      };
    }

    void type() {
      enter();
      try {
        char c = peek();
        String b = basic(c);
        if (b != null) {
          pos++;
          print(b);
          return;
        }
        switch (c) {
          case 'R', 'Q' -> {
            pos++;
            print("&");
            if (eat('L')) {
              long lt = base62();
              if (lt != 0) {
                lifetime(lt);
                print(" ");
              }
            }
            if (c == 'Q') print("mut ");
            type();
          }
          case 'P' -> { pos++; print("*const "); type(); }
          case 'O' -> { pos++; print("*mut "); type(); }
          case 'A' -> {
            pos++;
            print("[");
            type();
            print("; ");
            constant();
            print("]");
          }
          case 'S' -> {
            pos++;
            print("[");
            type();
            print("]");
          }
          case 'T' -> {
            pos++;
            print("(");
            int n = 0;
            while (!eat('E')) {
              if (n++ > 0) print(", ");
              type();
            }
            if (n == 1) print(",");
            print(")");
          }
          case 'F' -> {
            pos++;
            int saved = boundLifetimes;
            binder();
            if (eat('U')) print("unsafe ");
            if (eat('K')) {
              String abi;
              if (eat('C')) abi = "C";
              else abi = ident().replace('_', '-');
              print("extern \"" + abi + "\" ");
            }
            print("fn(");
            int n = 0;
            while (!eat('E')) {
              if (n++ > 0) print(", ");
              type();
            }
            print(")");
            if (peek() == 'u') pos++;
            else {
              print(" -> ");
              type();
            }
            boundLifetimes = saved;
          }
          case 'D' -> {
            pos++;
            print("dyn ");
            int saved = boundLifetimes;
            binder();
            int n = 0;
            while (!eat('E')) {
              if (n++ > 0) print(" + ");
              dynTrait();
            }
            boundLifetimes = saved;
            if (!eat('L')) throw Bad.INSTANCE;
            long lt = base62();
            if (lt != 0) {
              print(" + ");
              lifetime(lt);
            }
          }
          case 'B' -> {
            pos++;
            backref(this::type);
          }
          default -> path(false);
        }
      } finally {
        depth--;
      }
    }

    void binder() {
      if (!eat('G')) return;
      long n = base62() + 1;
      if (n < 0 || n > 1000) throw Bad.INSTANCE;
      print("for<");
      for (long i = 0; i < n; i++) {
        if (i > 0) print(", ");
        boundLifetimes++;
        lifetime(1);
      }
      print("> ");
    }

    void dynTrait() {
      boolean open = pathMaybeOpenGenerics();
      while (eat('p')) {
        if (!open) {
          print("<");
          open = true;
        } else print(", ");
        print(ident());
        print(" = ");
        type();
      }
      if (open) print(">");
    }

    /** Prints a trait path; if it ends in generic arguments, leaves the {@code >} off so bindings can follow. */
    boolean pathMaybeOpenGenerics() {
      if (peek() == 'B') {
        pos++;
        boolean[] open = new boolean[1];
        backref(() -> open[0] = pathMaybeOpenGenerics());
        return open[0];
      }
      if (eat('I')) {
        path(false);
        print("<");
        int n = 0;
        while (!eat('E')) {
          if (n++ > 0) print(", ");
          genericArg();
        }
        return true;
      }
      path(false);
      return false;
    }

    void constant() {
      enter();
      try {
        if (eat('p')) {
          print("_");
          return;
        }
        if (eat('B')) {
          backref(this::constant);
          return;
        }
        char t = next();
        switch (t) {
          case 'a', 's', 'l', 'x', 'n', 'i', 'h', 't', 'm', 'y', 'o', 'j' -> {
            boolean neg = eat('n');
            String hex = hexDigits();
            String v = hex.isEmpty() ? "0" : new java.math.BigInteger(hex, 16).toString();
            print(neg ? "-" + v : v);
          }
          case 'b' -> {
            String hex = hexDigits();
            if (hex.equals("0")) print("false");
            else if (hex.equals("1")) print("true");
            else throw Bad.INSTANCE;
          }
          case 'c' -> {
            String hex = hexDigits();
            int cp = Integer.parseInt(hex, 16);
            if (cp > 0x10ffff) throw Bad.INSTANCE;
            String ch = switch (cp) {
              case '\'' -> "\\'"; case '\\' -> "\\\\"; case '\n' -> "\\n"; case '\t' -> "\\t"; case '\r' -> "\\r";
              case 0 -> "\\0";
              default -> Character.toString(cp);
            };
            print("'" + ch + "'");
          }
          default -> throw Bad.INSTANCE;
        }
      } finally {
        depth--;
      }
    }

    String hexDigits() {
      int start = pos;
      while (Character.digit(peek(), 16) >= 0 && !Character.isUpperCase(peek())) pos++;
      String hex = s.substring(start, pos);
      if (!eat('_')) throw Bad.INSTANCE;
      if (hex.length() > 32) throw Bad.INSTANCE;
      return hex;
    }
  }
}
