package jbpf.perf;

/**
 * Whom a perf event counts: one CPU (every process on it), one process (on every CPU), or one process on one
 * CPU; the {@code pid} and {@code cpu} arguments of {@code perf_event_open(2)}.
 *
 * @param pid the process (or thread) id, 0 for the calling thread, or -1 for every process
 * @param cpu the CPU, or -1 for every CPU
 */
public record Target(int pid, int cpu) {
  public Target {
    if (pid < -1 || cpu < -1) throw new IllegalArgumentException("bad perf target pid " + pid + " cpu " + cpu);
    if (pid == -1 && cpu == -1) throw new IllegalArgumentException("a perf event needs a process, a CPU, or both");
  }

  /** {@return every process on CPU {@code cpu}} */
  public static Target cpu(int cpu) { return new Target(-1, cpu); }

  /** {@return process {@code pid} on every CPU; 0 is the calling thread} */
  public static Target process(int pid) { return new Target(pid, -1); }

  /** {@return process {@code pid} on CPU {@code cpu}} */
  public static Target process(int pid, int cpu) { return new Target(pid, cpu); }

  @Override public String toString() {
    return pid == -1 ? "cpu " + cpu : cpu == -1 ? "pid " + pid : "pid " + pid + " on cpu " + cpu;
  }
}
