package jbpf.symbols;

import java.util.ArrayList;
import java.util.Arrays;
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
    Builder b = new Builder(symbols.size());
    for (Symbol s : symbols) b.add(s.name(), s.address(), s.size(), 0);
    return b.build();
  }

  /**
   * Collects symbols into primitive arrays and sorts them without boxing: symbol tables of large libraries have
   * tens of thousands of entries and are built while a tracer starts.
   */
  public static final class Builder {
    private long[] addr, size;
    private String[] name;
    private int[] rank;
    private int n;

    public Builder(int expected) {
      int cap = Math.max(16, expected);
      addr = new long[cap];
      size = new long[cap];
      name = new String[cap];
      rank = new int[cap];
    }

    /**
     * Adds a symbol. Where several share an address, the lowest {@code preference} wins, then the one added first.
     */
    public Builder add(String symbol, long address, long bytes, int preference) {
      if (n == addr.length) {
        int cap = n * 2;
        addr = Arrays.copyOf(addr, cap);
        size = Arrays.copyOf(size, cap);
        name = Arrays.copyOf(name, cap);
        rank = Arrays.copyOf(rank, cap);
      }
      addr[n] = address;
      size[n] = bytes;
      name[n] = symbol;
      rank[n] = preference;
      n++;
      return this;
    }

    /** {@return the table} */
    public SymbolTable build() {
      if (n == 0) return EMPTY;
      int[] idx = new int[n], tmp = new int[n];
      for (int i = 0; i < n; i++) idx[i] = i;
      mergeSort(idx, tmp, 0, n);
      long[] st = new long[n], sz = new long[n];
      String[] nm = new String[n];
      int k = 0;
      for (int j = 0; j < n; j++) {
        int i = idx[j];
        if (k > 0 && st[k - 1] == addr[i]) {
          if (sz[k - 1] == 0 && size[i] != 0) sz[k - 1] = size[i];
          continue;
        }
        st[k] = addr[i];
        sz[k] = size[i];
        nm[k] = name[i];
        k++;
      }
      return new SymbolTable(Arrays.copyOf(st, k), Arrays.copyOf(sz, k), Arrays.copyOf(nm, k));
    }

    private boolean before(int a, int b) {
      int c = Long.compareUnsigned(addr[a], addr[b]);
      if (c != 0) return c < 0;
      if (rank[a] != rank[b]) return rank[a] < rank[b];
      return a < b;
    }

    /** A stable merge sort of indices; insertion order breaks ties, so it is stable by construction. */
    private void mergeSort(int[] a, int[] tmp, int from, int to) {
      if (to - from < 24) {
        for (int i = from + 1; i < to; i++) {
          int v = a[i], j = i - 1;
          while (j >= from && before(v, a[j])) {
            a[j + 1] = a[j];
            j--;
          }
          a[j + 1] = v;
        }
        return;
      }
      int mid = (from + to) >>> 1;
      mergeSort(a, tmp, from, mid);
      mergeSort(a, tmp, mid, to);
      if (!before(a[mid], a[mid - 1])) return;
      System.arraycopy(a, from, tmp, from, to - from);
      int i = from, j = mid, k = from;
      while (i < mid && j < to) a[k++] = before(tmp[j], tmp[i]) ? tmp[j++] : tmp[i++];
      while (i < mid) a[k++] = tmp[i++];
      while (j < to) a[k++] = tmp[j++];
    }
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
