package jbpf.demangle;

/** Demangles any symbol name the demanglers of this package know: C++ ({@code _Z}) and Rust ({@code _ZN…17h…E}, {@code _R}). */
public final class Demangler {
  private Demangler() {}

  /**
   * {@return the demangled form of {@code symbol}, or {@code null} if it is not a mangled name this package reads}
   * Rust legacy names are recognised by their trailing hash and printed without it; a symbol version suffix
   * ({@code @GLIBCXX_3.4}) is kept.
   */
  public static String demangle(String symbol) {
    if (symbol == null) return null;
    int at = symbol.indexOf('@');
    if (at > 0) {                                   // a symbol version, e.g. _ZNSolsEi@GLIBCXX_3.4: kept as c++filt keeps it
      String d = demangle(symbol.substring(0, at));
      return d == null ? null : d + symbol.substring(at);
    }
    if (symbol.startsWith("_R") || symbol.startsWith("__R")) {
      String r = RustDemangler.demangle(symbol);
      if (r != null) return r;
    }
    if (symbol.startsWith("_Z") || symbol.startsWith("__Z")) {
      String r = RustDemangler.demangleLegacy(symbol);
      if (r != null) return r;
      return ItaniumDemangler.demangle(symbol);
    }
    return null;
  }

  /** {@return the demangled form of {@code symbol}, or {@code symbol} itself if it is not mangled} */
  public static String demangleOrSelf(String symbol) {
    String d = demangle(symbol);
    return d == null ? symbol : d;
  }
}
