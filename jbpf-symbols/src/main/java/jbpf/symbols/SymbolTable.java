package jbpf.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable address-sorted table of symbols with binary-search lookup. A symbol with a size covers
 * {@code [address, address + size)}; one without a size covers everything up to the next symbol.
 * When symbols share an address, the first one given wins (callers list preferred names first).
 */
public final class SymbolTable {
  private static final SymbolTable EMPTY = new SymbolTable(new long[0], new long[0], new String[0]);

  private final long[] starts, sizes;
  private final String[] names;

  private SymbolTable(long[] starts, long[] sizes, String[] names) {
    this.starts = starts;
    this.sizes = sizes;
    this.names = names;
  }

  /** {@return an empty table} */
  public static SymbolTable empty() { return EMPTY; }

  /** {@return a table of {@code symbols}; later duplicates of an address are dropped} */
  public static SymbolTable of(List<Symbol> symbols) {
    if (symbols.isEmpty()) return EMPTY;
    Symbol[] sorted = symbols.toArray(Symbol[]::new);
    Arrays.sort(sorted, Comparator.comparingLong(Symbol::address));   // stable: preferred names stay first
    long[] st = new long[sorted.length], sz = new long[sorted.length];
    String[] nm = new String[sorted.length];
    int n = 0;
    for (Symbol s : sorted) {
      if (n > 0 && st[n - 1] == s.address()) {
        if (sz[n - 1] == 0 && s.size() != 0) sz[n - 1] = s.size();
        continue;
      }
      st[n] = s.address();
      sz[n] = s.size();
      nm[n] = s.name();
      n++;
    }
    return new SymbolTable(Arrays.copyOf(st, n), Arrays.copyOf(sz, n), Arrays.copyOf(nm, n));
  }

  /** {@return the number of distinct symbols} */
  public int size() { return starts.length; }

  /** {@return the symbol covering {@code address}, if any} */
  public Optional<Symbol> lookup(long address) {
    int i = indexOf(address);
    return i < 0 ? Optional.empty() : Optional.of(new Symbol(names[i], starts[i], sizes[i]));
  }

  /** {@return the index of the symbol covering {@code address}, or -1} */
  private int indexOf(long address) {
    int lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {                                  // last start <= address (unsigned: kernel addresses)
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(starts[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return -1;
    if (sizes[found] != 0) return Long.compareUnsigned(address - starts[found], sizes[found]) < 0 ? found : -1;
    return found;
  }

  /** {@return every symbol, in address order} */
  public List<Symbol> symbols() {
    List<Symbol> out = new ArrayList<>(starts.length);
    for (int i = 0; i < starts.length; i++) out.add(new Symbol(names[i], starts[i], sizes[i]));
    return out;
  }
}
