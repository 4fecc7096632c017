package jbpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A non-blocking {@code eventfd(2)} counter: {@link #signal()} from any thread makes it readable, which wakes an
 * {@link Epoll} that watches it; {@link #drain()} resets it.
 */
public final class EventFd implements AutoCloseable {
  private final Fd fd;

  /** Creates an eventfd with counter 0. */
  public EventFd() {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(call);
      int n = Sys.eventfd(state, 0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
      if (n < 0) throw new SyscallException("create eventfd", Errno.from(state));
      this.fd = Fd.adopt(n, "eventfd");
    }
  }

  /** Adds one to the counter, making the fd readable. Safe from any thread, including signal-handling ones. */
  public void signal() {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment one = call.allocate(JAVA_LONG);
      one.set(JAVA_LONG, 0, 1L);
      MemorySegment state = Sys.callState(call);
      if (Sys.write(state, fd.get(), one) < 0) {
        Errno e = Errno.from(state);
        if (e != Errno.EAGAIN) throw new SyscallException("signal eventfd", e);
      }
    }
  }

  /** Resets the counter. {@return the count it had, 0 if it was not signalled} */
  public long drain() {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment value = call.allocate(JAVA_LONG);
      MemorySegment state = Sys.callState(call);
      if (Sys.read(state, fd.get(), value) < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.EAGAIN) return 0;
        throw new SyscallException("read eventfd", e);
      }
      return value.get(JAVA_LONG, 0);
    }
  }

  /** {@return the fd, to register with an {@link Epoll}} */
  public Fd fd() { return fd; }

  @Override public void close() { fd.close(); }
}
