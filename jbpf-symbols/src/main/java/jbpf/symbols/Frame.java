package jbpf.symbols;

/**
 * One symbolized stack address.
 *
 * @param address the address as sampled
 * @param symbol the symbol's name (demangled if asked for), or {@code null} if unknown
 * @param offset the address's offset from the symbol's start
 * @param module the file the address lies in, a pseudo name such as {@code [vdso]}, {@code [perf-map]} for JIT code,
 *     or {@code null} if the address is in no mapping
 */
public record Frame(long address, String symbol, long offset, String module) {
  /** {@return the frame as bpftrace prints it in {@code ustack}: {@code malloc+16}, or {@code 0x7f…} if unknown} */
  public String format() {
    return symbol == null ? "0x" + Long.toHexString(address) : symbol + "+" + offset;
  }

  /** {@return the frame as bpftrace prints it in {@code ustack(perf)}: {@code 7f… malloc+16 (/lib/…/libc.so.6)}} */
  public String formatPerf() {
    String where = module == null ? "[unknown]" : module;
    return Long.toHexString(address) + " " + (symbol == null ? "[unknown]" : symbol + "+" + offset) + " (" + where + ")";
  }
}
