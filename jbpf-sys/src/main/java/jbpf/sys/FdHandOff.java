package jbpf.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Hands open fds to a helper process that keeps them until this process has exited, then exits itself. The kernel
 * releases a file only when its last holder lets go, so after the hand-off this process can close its copies, and
 * exit, at once, while whatever slow work the release involves happens later in the helper's exit.
 *
 * <p>This exists for perf tracepoint events: releasing the last perf event of a tracepoint waits for two RCU grace
 * periods under the global {@code event_mutex} (perf_trace_event_unreg in kernel/trace/trace_event_perf.c), about
 * 35 ms each, one after the other, so hundreds of them take many seconds, even when this process exits.
 */
public final class FdHandOff {
  private FdHandOff() {}

  private static final class Spawn {
    // int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
    //                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
    static final MethodHandle POSIX_SPAWN = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("posix_spawn").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
  }

  /**
   * Starts {@code /bin/sh} holding {@code fds} (the same open files, at the same numbers) until this process is
   * gone. The fds stay open here too; close them afterwards.
   *
   * {@return the helper's pid}
   * @throws SyscallException if the helper cannot be started
   */
  public static int handOff(List<Fd> fds) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      // posix_spawn keeps the fds that lack FD_CLOEXEC open across exec; ours all have it.
      for (Fd fd : fds) Sys.check(Sys.fcntl(state, fd.get(), Sys.F_SETFD, 0), state, "clear FD_CLOEXEC of " + fd.what());
      try {
        String script = "exec </dev/null >/dev/null 2>&1; while kill -0 " + Sys.getpid() + "; do sleep 1; done";
        MemorySegment argv = arena.allocate(ADDRESS, 4);
        argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("sh"));
        argv.setAtIndex(ADDRESS, 1, arena.allocateFrom("-c"));
        argv.setAtIndex(ADDRESS, 2, arena.allocateFrom(script));
        argv.setAtIndex(ADDRESS, 3, MemorySegment.NULL);
        MemorySegment envp = arena.allocate(ADDRESS, 2);
        envp.setAtIndex(ADDRESS, 0, arena.allocateFrom("PATH=/usr/bin:/bin"));
        envp.setAtIndex(ADDRESS, 1, MemorySegment.NULL);
        MemorySegment pid = arena.allocate(JAVA_INT);
        int err = (int) Spawn.POSIX_SPAWN.invokeExact(pid, arena.allocateFrom("/bin/sh"), MemorySegment.NULL, MemorySegment.NULL, argv, envp);
        if (err != 0) throw new SyscallException("start a process to hold " + fds.size() + " fds", Errno.from(err));
        return pid.get(JAVA_INT, 0);
      } catch (SyscallException e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("posix_spawn failed unexpectedly: " + t, t);
      } finally {
        for (Fd fd : fds) if (fd.isOpen()) Sys.fcntl(state, fd.get(), Sys.F_SETFD, Sys.FD_CLOEXEC);
      }
    }
  }
}
