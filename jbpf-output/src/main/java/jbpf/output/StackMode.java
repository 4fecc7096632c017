package jbpf.output;

/** How a {@link Value.Stack} is laid out, chosen in the script by {@code kstack(mode)} or {@code ustack(mode)}. */
public enum StackMode {
  /** One indented symbol per line. */
  BPFTRACE,
  /** A tab, the address in hex, a space and the symbol, per line, as {@code perf script} writes them. */
  PERF,
  /** The address in hex, per line, unindented and unsymbolized. */
  RAW
}
