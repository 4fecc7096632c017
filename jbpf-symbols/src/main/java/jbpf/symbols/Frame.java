package jbpf.symbols;

/**
 * One symbolized stack address.
 *
 * @param address the address as sampled
 * @param symbol the symbol's name (demangled if asked for), or {@code null} if unknown
 * @param offset the address's offset from the symbol's start
 * @param module the file the address lies in, a pseudo name such as {@code [vdso]}, the perf map file for JIT code (as bcc reports it),
 *     or {@code null} if the address is in no mapping
 */
public record Frame(long address, String symbol, long offset, String module) {
  /** {@return the frame as bpftrace prints it in {@code ustack}: {@code malloc+16}, or {@code 0x7f…} if unknown} */
  public String format() {
    return symbol == null ? "0x" + Long.toHexString(address) : symbol + "+" + offset;
  }

  /**
   * {@return the frame as bpftrace prints it in {@code ustack(perf)}: {@code 7f… malloc+16 (/lib/…/libc.so.6)}, or
   * {@code 7f… 0x7f… ([unknown])}}
   */
  public String formatPerf() {
    String hex = Long.toHexString(address);
    if (symbol == null) return hex + " 0x" + hex + " ([unknown])";
    return hex + " " + symbol + "+" + offset + " (" + (module == null ? "[unknown]" : module) + ")";
  }
}
