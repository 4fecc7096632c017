package jbpf.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Hands open fds to a helper process that keeps them until this process has exited, then exits itself. The kernel
 * releases a file only when its last holder lets go, so after the hand-off this process can close its copies, and
 * exit, at once, while whatever slow work the release involves happens later in the helper's exit.
 *
 * <p>This exists for perf tracepoint events: releasing the last perf event of a tracepoint waits for two RCU grace
 * periods under the global {@code event_mutex} (perf_trace_event_unreg in kernel/trace/trace_event_perf.c), about
 * 35 ms each, one after the other, so hundreds of them take many seconds, even when this process exits.
 *
 * <p>The helper is {@code /bin/sh}, started with {@code posix_spawn} so that it gets exactly the handed fds (as
 * 3, 4, ...) and {@code /dev/null} as standard streams: nothing else of this process, such as the write end of
 * a pipe someone reads to the end, stays open in it.
 */
public final class FdHandOff {
  private FdHandOff() {}

  private static final int O_RDONLY = 0, O_WRONLY = 1, RLIMIT_NOFILE = 7;
  // posix_spawn_file_actions_t is 80 bytes in glibc (two ints, a pointer, 16 ints of padding).
  private static final long FILE_ACTIONS_SIZE = 128;

  @SuppressWarnings("restricted") // this module is the one given --enable-native-access
  private static final class Spawn {
    static final Linker LINKER = Linker.nativeLinker();

    static MethodHandle find(String name, FunctionDescriptor fd) {
      return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, fd)).orElse(null);
    }

    // int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
    //                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
    static final MethodHandle SPAWN = find("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle INIT = find("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle DESTROY = find("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle DUP2 = find("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    static final MethodHandle OPEN = find("posix_spawn_file_actions_addopen",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // glibc 2.34 and later
    static final MethodHandle CLOSEFROM = find("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  }

  /**
   * Starts a helper holding {@code fds} (the same open files) until this process is gone. The fds stay open here
   * too; close them afterwards.
   *
   * {@return the helper's pid}
   * @throws SyscallException if the helper cannot be started (e.g. a C library without
   *     {@code posix_spawn_file_actions_addclosefrom_np}: {@code ENOSYS})
   */
  public static int handOff(List<Fd> fds) {
    if (Spawn.CLOSEFROM == null || Spawn.SPAWN == null)
      throw new SyscallException("start a process to hold " + fds.size() + " fds: the C library lacks posix_spawn_file_actions_addclosefrom_np",
          Errno.ENOSYS);
    int n = fds.size();
    // The fds go first to a block above every open fd, then down to 3..3+n-1, so that no move overwrites an fd
    // that has yet to move; closefrom then drops everything else, the block above included.
    int base = highestOpenFd() + 1;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      MemorySegment rlim = arena.allocate(Sys.RLIMIT);
      Sys.check(Sys.getrlimit(state, RLIMIT_NOFILE, rlim), state, "getrlimit RLIMIT_NOFILE");
      long limit = rlim.get(JAVA_LONG, 0);
      if (limit >= 0 && base + n > limit)
        throw new SyscallException("start a process to hold " + n + " fds: they do not fit under RLIMIT_NOFILE " + limit, Errno.EMFILE);
      MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 8);
      check((int) Spawn.INIT.invokeExact(actions), "init");
      try {
        for (int i = 0; i < n; i++) check((int) Spawn.DUP2.invokeExact(actions, fds.get(i).get(), base + i), "dup2");
        for (int i = 0; i < n; i++) check((int) Spawn.DUP2.invokeExact(actions, base + i, 3 + i), "dup2");
        MemorySegment devNull = arena.allocateFrom("/dev/null");
        check((int) Spawn.OPEN.invokeExact(actions, 0, devNull, O_RDONLY, 0), "open");
        check((int) Spawn.OPEN.invokeExact(actions, 1, devNull, O_WRONLY, 0), "open");
        check((int) Spawn.OPEN.invokeExact(actions, 2, devNull, O_WRONLY, 0), "open");
        check((int) Spawn.CLOSEFROM.invokeExact(actions, 3 + n), "closefrom");
        String script = "while kill -0 " + Sys.getpid() + " 2>/dev/null; do sleep 1; done";
        MemorySegment argv = arena.allocate(ADDRESS, 4);
        argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("sh"));
        argv.setAtIndex(ADDRESS, 1, arena.allocateFrom("-c"));
        argv.setAtIndex(ADDRESS, 2, arena.allocateFrom(script));
        argv.setAtIndex(ADDRESS, 3, MemorySegment.NULL);
        MemorySegment envp = arena.allocate(ADDRESS, 2);
        envp.setAtIndex(ADDRESS, 0, arena.allocateFrom("PATH=/usr/bin:/bin"));
        envp.setAtIndex(ADDRESS, 1, MemorySegment.NULL);
        MemorySegment pid = arena.allocate(JAVA_INT);
        int err = (int) Spawn.SPAWN.invokeExact(pid, arena.allocateFrom("/bin/sh"), actions, MemorySegment.NULL, argv, envp);
        if (err != 0) throw new SyscallException("start a process to hold " + n + " fds", Errno.from(err));
        return pid.get(JAVA_INT, 0);
      } finally {
        int ignored = (int) Spawn.DESTROY.invokeExact(actions);
      }
    } catch (SyscallException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("posix_spawn failed unexpectedly: " + t, t);
    }
  }

  private static void check(int err, String what) {
    if (err != 0) throw new SyscallException("prepare posix_spawn file actions (" + what + ")", Errno.from(err));
  }

  private static int highestOpenFd() {
    int max = 2;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : dir) {
        try {
          max = Math.max(max, Integer.parseInt(p.getFileName().toString()));
        } catch (NumberFormatException e) {
          // not an fd
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("list /proc/self/fd", e);
    }
    return max;
  }
}
