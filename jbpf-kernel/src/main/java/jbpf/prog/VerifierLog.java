package jbpf.prog;

import jbpf.sys.Bpf;

/** How much of the verifier's log a load asks for ({@code log_level} of {@code BPF_PROG_LOAD}). */
public enum VerifierLog {
  /** No log while the load succeeds; a failed load is repeated at level 1 so the error can show the log. */
  ON_FAILURE(0),
  /** Only the statistics ({@code BPF_LOG_STATS}): instructions processed, states, verification time. */
  STATS(Bpf.BPF_LOG_STATS),
  /** Every instruction the verifier walks, and the statistics ({@code BPF_LOG_LEVEL1 | BPF_LOG_STATS}). */
  VERBOSE(Bpf.BPF_LOG_LEVEL1 | Bpf.BPF_LOG_STATS),
  /** Also the register state after every instruction ({@code BPF_LOG_LEVEL2 | BPF_LOG_STATS}); large. */
  FULL(Bpf.BPF_LOG_LEVEL2 | Bpf.BPF_LOG_STATS);

  private final int level;

  VerifierLog(int level) { this.level = level; }

  /** {@return the {@code log_level} of the first attempt} */
  public int level() { return level; }
}
