package jbpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code RLIMIT_MEMLOCK} limit, which BPF maps and programs were charged to before Linux 5.11 replaced it
 * with memory-cgroup accounting.
 */
public final class Memlock {
  private Memlock() {}

  private static volatile Boolean raised;

  /** {@return whether the running kernel charges BPF objects to {@code RLIMIT_MEMLOCK}} */
  public static boolean charged() { return !KernelVersion.current().atLeast(5, 11); }

  /**
   * Raises {@code RLIMIT_MEMLOCK} to infinity, once, on kernels that charge it; elsewhere does nothing.
   * {@return whether the limit is no obstacle: the kernel does not charge it, or raising it worked}
   */
  public static boolean ensureRaised() {
    if (!charged()) return true;
    Boolean r = raised;
    if (r != null) return r;
    synchronized (Memlock.class) {
      if (raised != null) return raised;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment rlim = arena.allocate(Sys.RLIMIT);
        rlim.set(JAVA_LONG, 0, Sys.RLIM_INFINITY);
        rlim.set(JAVA_LONG, 8, Sys.RLIM_INFINITY);
        raised = Sys.setrlimit(Sys.callState(arena), Sys.RLIMIT_MEMLOCK, rlim) == 0;
      }
      return raised;
    }
  }

  /** {@return the current soft limit in bytes, or -1 for infinity} */
  public static long current() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment rlim = arena.allocate(Sys.RLIMIT);
      MemorySegment state = Sys.callState(arena);
      Sys.check(Sys.getrlimit(state, Sys.RLIMIT_MEMLOCK, rlim), state, "getrlimit RLIMIT_MEMLOCK");
      return rlim.get(JAVA_LONG, 0);
    }
  }
}
