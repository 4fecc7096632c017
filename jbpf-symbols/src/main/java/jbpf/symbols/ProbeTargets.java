package jbpf.symbols;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import jbpf.demangle.Demangler;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfSymbol;
import jbpf.elf.UsdtProbe;

/**
 * Finds the functions of an ELF file a probe names, by symbol or, for C++ and Rust, by demangled name:
 * <ul>
 * <li>{@code malloc} — the symbol itself;
 * <li>{@code mem*}, {@code ?alloc} — wildcards over symbol names;
 * <li>{@code ns::Klass::method} — demangled names without their parameter list, so
 *     {@code _ZN2ns5Klass6methodEv} and {@code _ZN2ns5Klass6methodEi} both match;
 * <li>{@code ns::Klass::method(int)} — the full demangled signature;
 * <li>{@code ns::Klass::*} — wildcards over demangled names.
 * </ul>
 * Only defined functions count; a name defined in both {@code .symtab} and {@code .dynsym} is reported once.
 */
public final class ProbeTargets {
  private ProbeTargets() {}

  /** {@return the functions of the ELF file at {@code file} matching {@code pattern}, in file order} */
  public static List<ProbeTarget> match(Path file, String pattern) throws IOException {
    try (ElfFile elf = ElfFile.open(file)) {
      return match(elf, pattern);
    }
  }

  /** {@return the functions of {@code elf} matching {@code pattern}, in file order} */
  public static List<ProbeTarget> match(ElfFile elf, String pattern) {
    boolean wildcard = Wildcard.isWildcard(pattern);
    boolean cxx = pattern.contains("::") || pattern.contains("(");
    boolean withParams = pattern.contains("(");
    Wildcard w = wildcard ? Wildcard.compile(pattern) : null;
    Map<String, ProbeTarget> out = new LinkedHashMap<>();
    for (List<ElfSymbol> table : List.of(elf.symbols(), elf.dynamicSymbols()))
      for (ElfSymbol s : table) {
        if (!s.isFunction() || s.name().isEmpty() || out.containsKey(s.name())) continue;
        String demangled = null;
        boolean hit;
        if (!cxx) {
          hit = wildcard ? w.matches(s.name()) : s.name().equals(pattern);
          if (!hit && !wildcard && isMangled(s.name())) {
            demangled = Demangler.demangleOrSelf(s.name());
            hit = withoutParams(demangled).equals(pattern);        // e.g. a C++ function in the global namespace
          }
        } else {
          if (!isMangled(s.name())) continue;
          demangled = Demangler.demangleOrSelf(s.name());
          String candidate = withParams ? demangled : withoutParams(demangled);
          hit = wildcard ? w.matches(candidate) : candidate.equals(pattern);
        }
        if (!hit) continue;
        OptionalLong off = elf.fileOffset(s.value());
        if (off.isEmpty()) continue;
        if (demangled == null) demangled = Demangler.demangleOrSelf(s.name());
        out.put(s.name(), new ProbeTarget(s.name(), demangled, s.value(), off.getAsLong()));
      }
    return new ArrayList<>(out.values());
  }

  private static boolean isMangled(String name) { return name.startsWith("_Z") || name.startsWith("_R"); }

  /**
   * {@return a demangled function name without its parameter list, trailing qualifiers and clone suffixes:
   * {@code ns::Klass::method(int) const} → {@code ns::Klass::method}}; template arguments stay
   */
  static String withoutParams(String demangled) {
    int depth = 0;
    for (int i = demangled.length() - 1; i >= 0; i--) {
      char c = demangled.charAt(i);
      if (c == ')') depth++;
      else if (c == '(') {
        depth--;
        if (depth == 0) {
          // "operator()(int)": the call operator's own parentheses are part of the name
          String head = demangled.substring(0, i);
          if (head.endsWith("operator()")) return head;
          if (!head.endsWith(" ") && !head.isEmpty() && !head.endsWith("[clone")) return stripReturnType(head);
        }
      }
    }
    return demangled;
  }

  /** Template functions print their return type first: {@code void f<int>(int)} → {@code f<int>}. */
  private static String stripReturnType(String head) {
    int depth = 0;
    for (int i = head.length() - 1; i >= 0; i--) {
      char c = head.charAt(i);
      if (c == '>' || c == ')') depth++;
      else if ((c == '<' || c == '(') && depth > 0) depth--;     // an unbalanced '<' is operator< itself
      else if (c == ' ' && depth == 0 && !head.substring(0, i).matches("(?s).*\\boperator\\S*"))
        return head.substring(i + 1);
    }
    return head;
  }

  /**
   * {@return the USDT probes of the file at {@code file} whose provider and name match the wildcard patterns}
   */
  public static List<UsdtProbe> usdt(Path file, String provider, String name) throws IOException {
    try (ElfFile elf = ElfFile.open(file)) {
      Wildcard p = Wildcard.compile(provider), n = Wildcard.compile(name);
      List<UsdtProbe> out = new ArrayList<>();
      for (UsdtProbe u : elf.usdtProbes()) if (p.matches(u.provider()) && n.matches(u.name())) out.add(u);
      return out;
    }
  }
}
