package jbpf.perf;

import jbpf.sys.Perf;

/** What a hardware breakpoint fires on ({@code bp_type}, include/uapi/linux/hw_breakpoint.h). */
public enum BreakpointType {
  /** A read of the watched memory ({@code HW_BREAKPOINT_R}); x86 cannot watch reads alone. */
  R(Perf.HW_BREAKPOINT_R),
  /** A write ({@code HW_BREAKPOINT_W}). */
  W(Perf.HW_BREAKPOINT_W),
  /** A read or write ({@code HW_BREAKPOINT_RW}). */
  RW(Perf.HW_BREAKPOINT_RW),
  /** Execution of the instruction at the address ({@code HW_BREAKPOINT_X}). */
  X(Perf.HW_BREAKPOINT_X);

  private final int bits;

  BreakpointType(int bits) { this.bits = bits; }

  /** {@return the {@code HW_BREAKPOINT_*} bits} */
  public int bits() { return bits; }
}
