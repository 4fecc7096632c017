package jbpf.symbols;

/**
 * A bpftrace-style wildcard: {@code *} matches any run of characters, {@code ?} any one character, everything else
 * itself. Matching is iterative with single backtracking, linear in practice.
 */
public final class Wildcard {
  private final String pattern;

  private Wildcard(String pattern) { this.pattern = pattern; }

  /** {@return {@code pattern} compiled} */
  public static Wildcard compile(String pattern) { return new Wildcard(pattern); }

  /** {@return whether {@code s} contains a wildcard character} */
  public static boolean isWildcard(String s) { return s.indexOf('*') >= 0 || s.indexOf('?') >= 0; }

  /** {@return whether {@code s} matches the whole pattern} */
  public boolean matches(String s) {
    int p = 0, i = 0, star = -1, mark = 0;
    String pat = pattern;
    while (i < s.length()) {
      if (p < pat.length() && (pat.charAt(p) == '?' || pat.charAt(p) == s.charAt(i))) {
        p++;
        i++;
      } else if (p < pat.length() && pat.charAt(p) == '*') {
        star = p++;
        mark = i;
      } else if (star >= 0) {
        p = star + 1;
        i = ++mark;
      } else return false;
    }
    while (p < pat.length() && pat.charAt(p) == '*') p++;
    return p == pat.length();
  }

  @Override public String toString() { return pattern; }
}
