package jbpf.runtime;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import jbpf.sys.Errno;
import jbpf.sys.Sys;

/** Signals to other processes, and noticing when one exits. */
public final class Processes {
  private Processes() {}

  static final int SIGKILL = 9, SIGCONT = 18;

  /**
   * Runs {@code action} once process {@code pid} has exited (or right away if there is no such process), from a
   * daemon thread that looks every 50 ms; a new process that got the same pid does not count as the old one.
   * {@code ProcessHandle.onExit} is not used: it completes through the common fork-join pool, which a busy caller
   * may have exhausted.
   */
  public static void onExit(int pid, Runnable action) {
    Path stat = Path.of("/proc", Integer.toString(pid), "stat");
    String start = startTime(stat);
    Thread.ofPlatform().daemon().name("jbpf-pid-" + pid).start(() -> {
      String now = start;
      while (now != null && now.equals(start)) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
        now = startTime(stat);
      }
      action.run();
    });
  }

  /** {@return field 22 of {@code /proc/PID/stat}, the process's start time, or {@code null} if it is gone (or a zombie)} */
  private static String startTime(Path stat) {
    try {
      String s = Files.readString(stat);
      int close = s.lastIndexOf(')');
      String[] f = s.substring(close + 2).split(" ");
      // after "pid (comm) ": state is field 3, so field 22 is f[19]
      return f[0].equals("Z") || f[0].equals("X") ? null : f[19];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

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
