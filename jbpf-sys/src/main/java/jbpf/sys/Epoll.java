package jbpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An epoll instance ({@code epoll(7)}) that waits until one of several fds is readable. Each fd is registered
 * with a caller-chosen token that {@link #token(int)} reports back. {@link #await} is for one thread at a time;
 * {@link #add} and {@link #remove} may be called from any thread.
 */
public final class Epoll implements AutoCloseable {
  private static final long EVENT_SIZE = Sys.EPOLL_EVENT.byteSize();

  private final Fd fd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment events;
  private final MemorySegment waitState;
  private final int maxEvents;

  /** Creates an epoll instance that reports at most {@code maxEvents} ready fds per {@link #await}. */
  public Epoll(int maxEvents) {
    if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be positive");
    this.maxEvents = maxEvents;
    try (Arena call = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(call);
      int n = Sys.epollCreate1(state, Sys.EPOLL_CLOEXEC);
      if (n < 0) throw new SyscallException("create epoll instance", Errno.from(state));
      this.fd = Fd.adopt(n, "epoll");
    }
    this.events = arena.allocate(EVENT_SIZE * maxEvents, 8);
    this.waitState = Sys.callState(arena);
  }

  /** Registers {@code target} for readability ({@code EPOLLIN}), reported with {@code token}. */
  public void add(Fd target, long token) {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment ev = call.allocate(Sys.EPOLL_EVENT);
      ev.set(JAVA_INT, 0, Sys.EPOLLIN);
      ev.set(JAVA_LONG.withByteAlignment(4), 4, token);
      MemorySegment state = Sys.callState(call);
      if (Sys.epollCtl(state, fd.get(), Sys.EPOLL_CTL_ADD, target.get(), ev) < 0)
        throw new SyscallException("add " + target.what() + " to epoll", Errno.from(state));
    }
  }

  /** Stops watching {@code target}. */
  public void remove(Fd target) {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(call);
      if (Sys.epollCtl(state, fd.get(), Sys.EPOLL_CTL_DEL, target.get(), MemorySegment.NULL) < 0)
        throw new SyscallException("remove " + target.what() + " from epoll", Errno.from(state));
    }
  }

  /**
   * Waits until a registered fd is readable or {@code timeoutMillis} pass (-1: no limit, 0: just look).
   * {@return the number of ready fds, 0 on timeout or when a signal interrupted the wait}
   */
  public int await(int timeoutMillis) {
    int n = Sys.epollWait(waitState, fd.get(), events, maxEvents, timeoutMillis);
    if (n < 0) {
      Errno e = Errno.from(waitState);
      if (e == Errno.EINTR) return 0;
      throw new SyscallException("wait on epoll", e);
    }
    return n;
  }

  /** {@return the token of ready fd {@code i} of the last {@link #await}} */
  public long token(int i) {
    if (i < 0 || i >= maxEvents) throw new IndexOutOfBoundsException(i);
    return events.get(JAVA_LONG.withByteAlignment(4), i * EVENT_SIZE + 4);
  }

  /** {@return the epoll fd} */
  public Fd fd() { return fd; }

  @Override public void close() {
    fd.close();
    if (arena.scope().isAlive()) arena.close();
  }
}
