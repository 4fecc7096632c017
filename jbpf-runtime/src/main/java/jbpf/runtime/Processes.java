package jbpf.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jbpf.sys.Errno;
import jbpf.sys.Sys;

/** Signals to other processes. */
final class Processes {
  private Processes() {}

  static final int SIGKILL = 9, SIGCONT = 18;

  /** Sends {@code signal} to process {@code pid}. {@return whether it was delivered; a process that is gone is no error} */
  static boolean signal(int pid, int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      if (Sys.kill(state, pid, signal) == 0) return true;
      if (Errno.from(state) != Errno.ESRCH) throw new jbpf.sys.SyscallException("send signal " + signal + " to process " + pid, Errno.from(state));
      return false;
    }
  }
}
