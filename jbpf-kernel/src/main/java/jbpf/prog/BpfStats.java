package jbpf.prog;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr.EnableStats;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.PermissionException;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/**
 * Run-time statistics of every BPF program: while enabled, the kernel counts each program's runs and run time,
 * which {@link ProgramInfo#runCount()} and {@link ProgramInfo#runTimeNanos()} report.
 */
public final class BpfStats {
  private BpfStats() {}

  /**
   * Enables the statistics ({@code BPF_ENABLE_STATS} with {@code BPF_STATS_RUN_TIME}, Linux 5.8) until the returned
   * fd is closed. Counting costs a little on every program run, so keep it to benchmarks.
   *
   * @throws PermissionException without {@code CAP_SYS_ADMIN}
   * @throws jbpf.sys.NotSupportedException before Linux 5.8
   */
  public static Fd enable() {
    if (!KernelVersion.current().atLeast(5, 8)) throw Feature.RUN_STATS.notSupported(KernelVersion.current(), null);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(EnableStats.LAYOUT);
      attr.set(JAVA_INT, EnableStats.type, Bpf.BPF_STATS_RUN_TIME);
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_ENABLE_STATS, attr);
      if (fd < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.EPERM) throw PermissionException.of("enabling BPF statistics", Capability.CAP_SYS_ADMIN).withContext("enable BPF statistics");
        throw new SyscallException("enable BPF statistics", e);
      }
      return Fd.adopt((int) fd, "bpf run-time statistics");
    }
  }
}
