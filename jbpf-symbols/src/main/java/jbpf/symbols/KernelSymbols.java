package jbpf.symbols;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel's text symbols from {@code /proc/kallsyms}, sorted for address lookup, in the format bpftrace prints
 * kernel stacks: {@code vfs_read+5}. Reads lines like
 * <pre>
 * ffffffff812a3c10 T vfs_read
 * ffffffffc0a01000 t ext4_fill_super	[ext4]
 * </pre>
 * Only text symbols ({@code t}, {@code T}, {@code w}, {@code W}) are kept.
 */
public final class KernelSymbols {
  /** A resolved kernel address. {@code module} is {@code null} for the core kernel. */
  public record KernelSymbol(String name, long address, long offset, String module) {}

  private final long[] addresses;
  private final String[] names;
  private final String[] modules;
  private volatile Map<String, Long> byName;    // built on first lookup by name: symbolizing needs only addresses
  private final boolean hidden;

  private KernelSymbols(long[] addresses, String[] names, String[] modules, boolean hidden) {
    this.addresses = addresses;
    this.names = names;
    this.modules = modules;
    this.hidden = hidden;
  }

  private Map<String, Long> byName() {
    Map<String, Long> m = byName;
    if (m == null) {
      m = new HashMap<>(names.length * 2);
      for (int i = 0; i < names.length; i++) m.putIfAbsent(names[i], addresses[i]);
      byName = m;
    }
    return m;
  }

  /**
   * {@return the symbols of the running kernel}
   * @throws IOException if {@code /proc/kallsyms} cannot be read
   */
  public static KernelSymbols load() throws IOException { return load(Path.of("/proc/kallsyms")); }

  /** {@return the symbols of a file in {@code /proc/kallsyms} format} */
  public static KernelSymbols load(Path kallsyms) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(kallsyms, StandardCharsets.ISO_8859_1)) {
      return parse(r);
    } catch (IOException e) {
      throw new IOException("read kernel symbols " + kallsyms + ": " + e.getMessage(), e);
    }
  }

  /** {@return the symbols in {@code text}, in {@code /proc/kallsyms} format} */
  public static KernelSymbols parse(String text) {
    try {
      return parse(new BufferedReader(new StringReader(text)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KernelSymbols parse(BufferedReader r) throws IOException {
    int cap = 1 << 16, n = 0;
    long[] addr = new long[cap];
    String[] name = new String[cap], module = new String[cap];
    Map<String, String> moduleNames = new HashMap<>();
    boolean allZero = true;
    String line;
    while ((line = r.readLine()) != null) {
      int sp1 = line.indexOf(' ');
      if (sp1 <= 0 || sp1 + 3 >= line.length() || line.charAt(sp1 + 2) != ' ') continue;
      char type = line.charAt(sp1 + 1);
      if (type != 't' && type != 'T' && type != 'w' && type != 'W') continue;
      long a;
      try {
        a = Long.parseUnsignedLong(line, 0, sp1, 16);
      } catch (NumberFormatException e) {
        continue;
      }
      int nameStart = sp1 + 3, tab = line.indexOf('\t', nameStart);
      String nm = tab < 0 ? line.substring(nameStart) : line.substring(nameStart, tab);
      String mod = null;
      if (tab >= 0) {
        int open = line.indexOf('[', tab), close = line.indexOf(']', open + 1);
        if (open >= 0 && close > open) mod = moduleNames.computeIfAbsent(line.substring(open + 1, close), k -> k);
      }
      if (a != 0) allZero = false;
      if (n == addr.length) {
        addr = Arrays.copyOf(addr, n * 2);
        name = Arrays.copyOf(name, n * 2);
        module = Arrays.copyOf(module, n * 2);
      }
      addr[n] = a;
      name[n] = nm;
      module[n] = mod;
      n++;
    }
    int[] order = sortedOrder(addr, n);
    long[] sa = new long[n];
    String[] sn = new String[n], sm = new String[n];
    for (int i = 0; i < n; i++) {
      sa[i] = addr[order[i]];
      sn[i] = name[order[i]];
      sm[i] = module[order[i]];
    }
    return new KernelSymbols(sa, sn, sm, n > 0 && allZero);
  }

  /**
   * {@return the indices of {@code keys[0..n)} in unsigned ascending order, ties in input order}; kallsyms is nearly
   * sorted already (the core kernel is, modules follow), which the merge sort's ordered-runs check turns into a pass
   */
  private static int[] sortedOrder(long[] keys, int n) {
    int[] idx = new int[n], tmp = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    mergeSort(keys, idx, tmp, 0, n);
    return idx;
  }

  private static void mergeSort(long[] k, int[] a, int[] tmp, int from, int to) {
    if (to - from < 24) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i], j = i - 1;
        while (j >= from && Long.compareUnsigned(k[v], k[a[j]]) < 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(k, a, tmp, from, mid);
    mergeSort(k, a, tmp, mid, to);
    if (Long.compareUnsigned(k[a[mid - 1]], k[a[mid]]) <= 0) return;
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from, j = mid, o = from;
    while (i < mid && j < to) a[o++] = Long.compareUnsigned(k[tmp[j]], k[tmp[i]]) < 0 ? tmp[j++] : tmp[i++];
    while (i < mid) a[o++] = tmp[i++];
    while (j < to) a[o++] = tmp[j++];
  }

  /** {@return the number of text symbols} */
  public int size() { return addresses.length; }

  /**
   * {@return whether every address read as zero: the kernel hides them from this process
   * ({@code kernel.kptr_restrict}, or a reader without CAP_SYSLOG)}
   */
  public boolean addressesHidden() { return hidden; }

  /** {@return the symbol containing {@code address}: the last one starting at or below it} */
  public Optional<KernelSymbol> resolve(long address) {
    if (hidden) return Optional.empty();
    int lo = 0, hi = addresses.length - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(addresses[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return Optional.empty();
    return Optional.of(new KernelSymbol(names[found], addresses[found], address - addresses[found], modules[found]));
  }

  /** {@return {@code address} as bpftrace prints a kernel frame: {@code vfs_read+5}, or {@code 0x…} if unknown} */
  public String format(long address) { return format(address, false); }

  /**
   * {@return {@code address} as bpftrace prints a kernel frame; with {@code withModule}, module symbols get a
   * {@code  [ext4]} suffix}
   */
  public String format(long address, boolean withModule) {
    Optional<KernelSymbol> s = resolve(address);
    if (s.isEmpty()) return "0x" + Long.toHexString(address);
    KernelSymbol k = s.get();
    String text = k.name() + "+" + k.offset();
    return withModule && k.module() != null ? text + " [" + k.module() + "]" : text;
  }

  /** {@return the address of the text symbol called {@code name}} */
  public OptionalLong address(String name) {
    Long a = byName().get(name);
    return a == null || hidden ? OptionalLong.empty() : OptionalLong.of(a);
  }

  /** {@return the names of text symbols matching the wildcard {@code pattern} ({@code *}, {@code ?}), sorted, without duplicates} */
  public List<String> functions(String pattern) {
    Wildcard w = Wildcard.compile(pattern);
    List<String> out = new ArrayList<>();
    for (String n : byName().keySet()) if (w.matches(n)) out.add(n);
    out.sort(null);
    return out;
  }
}
