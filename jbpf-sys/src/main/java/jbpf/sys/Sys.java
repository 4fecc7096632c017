package jbpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The system calls jbpf makes, as FFM downcalls of the C library's {@code syscall(2)} (x86-64 Linux).
 *
 * <p>Every method takes a {@code callState} segment of layout {@link #CALL_STATE} first: the linker stores
 * {@code errno} there right after the call, before the JVM can disturb it. Methods return the raw result
 * ({@code -1} on failure); {@link #check} turns a failure into a {@link SyscallException}. Callers allocate
 * their memory, including the call state, in a confined arena scoped to the call, or reuse segments they own
 * on hot paths. Segments handed to the kernel must be native: it sees their addresses.
 */
public final class Sys {
  private Sys() {}

  /** The layout of the captured call state, which holds {@code errno}. */
  public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  /** {@code SYS_bpf} on x86-64 (arch/x86/entry/syscalls/syscall_64.tbl). */
  public static final long SYS_bpf = 321;
  /** {@code SYS_perf_event_open} on x86-64. */
  public static final long SYS_perf_event_open = 298;

  /** {@code PROT_READ}, {@code PROT_WRITE} (include/uapi/asm-generic/mman-common.h). */
  public static final int PROT_READ = 1, PROT_WRITE = 2;
  /** {@code MAP_SHARED}. */
  public static final int MAP_SHARED = 1;
  /** {@code EPOLL_CTL_ADD}, {@code EPOLL_CTL_DEL}, {@code EPOLL_CTL_MOD} (include/uapi/linux/eventpoll.h). */
  public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
  /** {@code EPOLLIN}. */
  public static final int EPOLLIN = 0x001;
  /** {@code EPOLL_CLOEXEC}, {@code EFD_CLOEXEC}, {@code O_CLOEXEC}. */
  public static final int O_CLOEXEC = 0x80000, EPOLL_CLOEXEC = O_CLOEXEC, EFD_CLOEXEC = O_CLOEXEC;
  /** {@code F_DUPFD_CLOEXEC}, {@code F_GETFD}, {@code F_SETFD}, {@code FD_CLOEXEC} (include/uapi/asm-generic/fcntl.h). */
  public static final int F_DUPFD_CLOEXEC = 1030, F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
  /** {@code EFD_NONBLOCK}. */
  public static final int EFD_NONBLOCK = 0x800;
  /** {@code RLIMIT_MEMLOCK} (include/uapi/asm-generic/resource.h). */
  public static final int RLIMIT_MEMLOCK = 8;
  /** {@code RLIM_INFINITY}. */
  public static final long RLIM_INFINITY = -1L;

  /** struct epoll_event, include/uapi/linux/eventpoll.h: packed on x86-64, 12 bytes. */
  public static final StructLayout EPOLL_EVENT = MemoryLayout.structLayout(
      JAVA_INT.withName("events"), JAVA_LONG.withByteAlignment(4).withName("data"));

  /** struct rlimit, include/uapi/linux/resource.h. */
  public static final StructLayout RLIMIT = MemoryLayout.structLayout(
      JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max"));

  /** struct utsname, include/uapi/linux/utsname.h (new_utsname: six 65-byte fields). */
  public static final MemoryLayout UTSNAME = MemoryLayout.sequenceLayout(6 * 65, ValueLayout.JAVA_BYTE);

  private static final Linker LINKER = Linker.nativeLinker();

  // Every call goes through the C library's syscall(2) with six long arguments: one downcall shape, so the JVM
  // builds one stub at start-up instead of one per function (each distinct shape costs 15-30 ms to link).
  // Pointers travel as their addresses, ints as longs (the kernel reads the low 32 bits). Numbers are x86-64's
  // (arch/x86/entry/syscalls/syscall_64.tbl).
  @SuppressWarnings("restricted") // this module is the one given --enable-native-access
  private static final MethodHandle SYSCALL = LINKER.downcallHandle(
      LINKER.defaultLookup().find("syscall").orElseThrow(() -> new IllegalStateException("C library lacks syscall")),
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
      Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

  private static final long NR_read = 0, NR_write = 1, NR_close = 3, NR_mmap = 9, NR_munmap = 11, NR_ioctl = 16,
      NR_getpid = 39, NR_kill = 62, NR_uname = 63, NR_getrlimit = 97, NR_setrlimit = 160, NR_mount = 165,
      NR_gettid = 186, NR_epoll_wait = 232, NR_epoll_ctl = 233, NR_eventfd2 = 290, NR_epoll_create1 = 291,
      NR_getcpu = 309, NR_fcntl = 72, NR_rt_sigaction = 13, NR_prctl = 157, NR_clock_gettime = 228;

  /** {@code PR_SET_NAME} (include/uapi/linux/prctl.h). */
  public static final int PR_SET_NAME = 15;
  /** Clock ids of {@code clock_gettime} (include/uapi/linux/time.h). */
  public static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_TAI = 11;

  private static long syscall(MemorySegment callState, long nr, long a, long b, long c, long d, long e, long f) {
    try {
      return (long) SYSCALL.invokeExact(callState, nr, a, b, c, d, e, f);
    } catch (Throwable t) {
      throw new IllegalStateException("native call failed unexpectedly: " + t, t);
    }
  }

  /**
   * Makes an ignored signal take its default action again. A process started in the background by a
   * non-interactive shell inherits SIGINT ignored, and the JVM then refuses to handle it; bpftrace handles
   * SIGINT however it was started, so jbpf resets the disposition before installing its handler.
   * {@return whether the signal was ignored}
   */
  public static boolean unignoreSignal(int signal) {
    try (Arena arena = Arena.ofConfined()) {
      // struct sigaction as the kernel takes it (arch/x86/include/uapi/asm/signal.h): handler, flags, restorer, mask
      MemorySegment act = arena.allocate(32, 8);
      MemorySegment old = arena.allocate(32, 8);
      MemorySegment state = callState(arena);
      check(syscall(state, NR_rt_sigaction, signal, 0, old.address(), 8, 0, 0), state, "read signal action");
      if (old.get(JAVA_LONG, 0) != 1) return false;  // SIG_IGN is 1
      check(syscall(state, NR_rt_sigaction, signal, act.address(), 0, 8, 0, 0), state, "reset signal action");
      return true;
    }
  }

  /** {@return the errno stored in {@code callState}} */
  public static int errno(MemorySegment callState) { return callState.get(JAVA_INT, ERRNO_OFFSET); }

  /** {@return a call-state segment allocated in {@code arena}} */
  public static MemorySegment callState(Arena arena) { return arena.allocate(CALL_STATE); }

  /**
   * {@return {@code result}} if it is not negative.
   * @throws SyscallException naming {@code operation} and the errno in {@code callState}, if it is
   */
  public static long check(long result, MemorySegment callState, String operation) {
    if (result < 0) throw new SyscallException(operation, Errno.from(callState));
    return result;
  }

  private static IllegalStateException bug(Throwable t) {
    return new IllegalStateException("native call failed unexpectedly: " + t, t);
  }

  /** {@code syscall(SYS_bpf, cmd, attr, attr.byteSize())}: {@return the result, -1 on failure} */
  public static long bpf(MemorySegment callState, int cmd, MemorySegment attr) {
    if (!attr.isNative()) throw new IllegalArgumentException("bpf attr must be native memory");
    return syscall(callState, SYS_bpf, cmd, attr.address(), attr.byteSize(), 0, 0, 0);
  }

  /** {@code syscall(SYS_perf_event_open, attr, pid, cpu, groupFd, flags)}: {@return the new fd, -1 on failure} */
  public static int perfEventOpen(MemorySegment callState, MemorySegment attr, int pid, int cpu, int groupFd, long flags) {
    return (int) syscall(callState, SYS_perf_event_open, attr.address(), pid, cpu, groupFd, flags, 0);
  }

  /** {@code ioctl(fd, request, arg)} with an integer argument: {@return the result, -1 on failure} */
  public static int ioctl(MemorySegment callState, int fd, long request, long arg) {
    return (int) syscall(callState, NR_ioctl, fd, request, arg, 0, 0, 0);
  }

  /** {@code ioctl(fd, request, arg)} with a pointer argument: {@return the result, -1 on failure} */
  public static int ioctl(MemorySegment callState, int fd, long request, MemorySegment arg) {
    return (int) syscall(callState, NR_ioctl, fd, request, arg.address(), 0, 0, 0);
  }

  /** {@code mmap(NULL, length, prot, flags, fd, offset)}: {@return the address (zero-length), or {@code MAP_FAILED} (-1)} */
  public static MemorySegment mmap(MemorySegment callState, long length, int prot, int flags, int fd, long offset) {
    return MemorySegment.ofAddress(syscall(callState, NR_mmap, 0, length, prot, flags, fd, offset));
  }

  /** {@code munmap(addr, length)}: {@return 0, or -1 on failure} */
  public static int munmap(MemorySegment callState, MemorySegment addr, long length) {
    return (int) syscall(callState, NR_munmap, addr.address(), length, 0, 0, 0, 0);
  }

  /** {@code close(fd)}: {@return 0, or -1 on failure} */
  public static int close(MemorySegment callState, int fd) {
    return (int) syscall(callState, NR_close, fd, 0, 0, 0, 0, 0);
  }

  /** {@code read(fd, buf, buf.byteSize())}: {@return bytes read, or -1 on failure} */
  public static long read(MemorySegment callState, int fd, MemorySegment buf) {
    return syscall(callState, NR_read, fd, buf.address(), buf.byteSize(), 0, 0, 0);
  }

  /** {@code write(fd, buf, buf.byteSize())}: {@return bytes written, or -1 on failure} */
  public static long write(MemorySegment callState, int fd, MemorySegment buf) {
    return syscall(callState, NR_write, fd, buf.address(), buf.byteSize(), 0, 0, 0);
  }

  /** {@code fcntl(fd, cmd, arg)}: {@return the result, or -1 on failure} */
  public static int fcntl(MemorySegment callState, int fd, int cmd, long arg) {
    return (int) syscall(callState, NR_fcntl, fd, cmd, arg, 0, 0, 0);
  }

  /** {@code epoll_create1(flags)}: {@return the epoll fd, or -1 on failure} */
  public static int epollCreate1(MemorySegment callState, int flags) {
    return (int) syscall(callState, NR_epoll_create1, flags, 0, 0, 0, 0, 0);
  }

  /** {@code epoll_ctl(epfd, op, fd, event)}: {@return 0, or -1 on failure} */
  public static int epollCtl(MemorySegment callState, int epfd, int op, int fd, MemorySegment event) {
    return (int) syscall(callState, NR_epoll_ctl, epfd, op, fd, event.address(), 0, 0);
  }

  /** {@code epoll_wait(epfd, events, maxEvents, timeoutMillis)}: {@return the number of ready fds, or -1 on failure} */
  public static int epollWait(MemorySegment callState, int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
    return (int) syscall(callState, NR_epoll_wait, epfd, events.address(), maxEvents, timeoutMillis, 0, 0);
  }

  /** {@code eventfd(initval, flags)}: {@return the new fd, or -1 on failure} */
  public static int eventfd(MemorySegment callState, int initval, int flags) {
    return (int) syscall(callState, NR_eventfd2, initval, flags, 0, 0, 0, 0);
  }

  /** {@code getrlimit(resource, rlim)}, {@code rlim} of layout {@link #RLIMIT}: {@return 0, or -1 on failure} */
  public static int getrlimit(MemorySegment callState, int resource, MemorySegment rlim) {
    return (int) syscall(callState, NR_getrlimit, resource, rlim.address(), 0, 0, 0, 0);
  }

  /** {@code setrlimit(resource, rlim)}: {@return 0, or -1 on failure} */
  public static int setrlimit(MemorySegment callState, int resource, MemorySegment rlim) {
    return (int) syscall(callState, NR_setrlimit, resource, rlim.address(), 0, 0, 0, 0);
  }

  /** {@code mount(source, target, fstype, flags, data)} with C strings: {@return 0, or -1 on failure} */
  public static int mount(MemorySegment callState, MemorySegment source, MemorySegment target, MemorySegment fstype,
                          long flags, MemorySegment data) {
    return (int) syscall(callState, NR_mount, source.address(), target.address(), fstype.address(), flags, data.address(), 0);
  }

  /** {@code kill(pid, signal)}: {@return 0, or -1 on failure} */
  public static int kill(MemorySegment callState, int pid, int signal) {
    return (int) syscall(callState, NR_kill, pid, signal, 0, 0, 0, 0);
  }

  /** {@code uname(buf)}, {@code buf} of layout {@link #UTSNAME}: {@return 0, or -1 on failure} */
  public static int uname(MemorySegment callState, MemorySegment buf) {
    return (int) syscall(callState, NR_uname, buf.address(), 0, 0, 0, 0, 0);
  }

  /**
   * Names the calling thread, {@code prctl(PR_SET_NAME, name)}: the {@code comm} the kernel reports for it, cut to
   * 15 bytes.
   * @throws SyscallException if the kernel refuses
   */
  public static void setThreadName(String name) {
    try (Arena arena = Arena.ofConfined()) {
      byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      MemorySegment buf = arena.allocate(16);
      MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, Math.min(15, bytes.length));
      MemorySegment state = callState(arena);
      check(syscall(state, NR_prctl, PR_SET_NAME, buf.address(), 0, 0, 0, 0), state, "set thread name");
    }
  }

  /**
   * {@return the time of clock {@code clockId} in nanoseconds, {@code clock_gettime(2)}}
   * @throws SyscallException if the kernel does not know the clock
   */
  public static long clockGettime(int clockId) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ts = arena.allocate(16, 8);
      MemorySegment state = callState(arena);
      check(syscall(state, NR_clock_gettime, clockId, ts.address(), 0, 0, 0, 0), state, "read clock " + clockId);
      return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
    }
  }

  /** {@return the process id, {@code getpid()}} */
  public static int getpid() {
    try (Arena arena = Arena.ofConfined()) {
      return (int) syscall(callState(arena), NR_getpid, 0, 0, 0, 0, 0, 0);
    }
  }

  /** {@return the calling thread's kernel id, {@code gettid()}} */
  public static int gettid() {
    try (Arena arena = Arena.ofConfined()) {
      return (int) syscall(callState(arena), NR_gettid, 0, 0, 0, 0, 0, 0);
    }
  }

  /** {@return the CPU the calling thread is running on, {@code getcpu(2)}} */
  public static int currentCpu() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cpu = arena.allocate(JAVA_INT);
      MemorySegment state = callState(arena);
      check(syscall(state, NR_getcpu, cpu.address(), 0, 0, 0, 0, 0), state, "getcpu");
      return cpu.get(JAVA_INT, 0);
    }
  }

  private static final class Page {
    static final long SIZE = read();

    // The page size is the AT_PAGESZ (6) entry of the auxiliary vector, pairs of longs in /proc/self/auxv.
    private static long read() {
      try {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/auxv")))
            .order(java.nio.ByteOrder.nativeOrder());
        while (b.remaining() >= 16) {
          long type = b.getLong(), value = b.getLong();
          if (type == 6) return value;
          if (type == 0) break;
        }
      } catch (java.io.IOException e) {
        // fall through to the x86-64 page size
      }
      return 4096;
    }
  }

  /** {@return the page size in bytes} */
  public static long pageSize() { return Page.SIZE; }

  /**
   * {@return a view of {@code length} bytes at {@code address}, a pointer the kernel handed back}; the view's
   * lifetime is {@code arena}'s, and {@code cleanup} runs when the arena closes.
   */
  @SuppressWarnings("restricted") // sized by what the kernel mapped
  static MemorySegment view(MemorySegment address, long length, Arena arena, java.util.function.Consumer<MemorySegment> cleanup) {
    return address.reinterpret(length, arena, cleanup);
  }
}
