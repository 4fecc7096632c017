package jbpf.sys;

import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned file descriptor: a kernel object (map, program, link, perf event, epoll, eventfd) that lives until
 * {@link #close()}. A {@link Cleaner} closes one that becomes unreachable while open, so a forgotten fd cannot
 * keep a program attached forever; with the system property {@code jbpf.fd.trace=true} each open fd remembers
 * where it was opened and what it is, so a leak check can say which test forgot it ({@link #openFds()}).
 */
public final class Fd implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final boolean TRACE = Boolean.getBoolean("jbpf.fd.trace");
  private static final Map<Integer, Opened> OPEN = new ConcurrentHashMap<>();

  /** Where and as what an fd was opened; recorded only with {@code -Djbpf.fd.trace=true}. */
  public record Opened(int fd, String what, Throwable site) {}

  /** The part the cleaner may touch: it must not refer to the {@code Fd}. */
  private static final class State implements Runnable {
    final AtomicInteger fd;

    State(int fd) { this.fd = new AtomicInteger(fd); }

    @Override public void run() {
      int n = fd.getAndSet(-1);
      if (n < 0) return;
      if (TRACE) OPEN.remove(n);
      try (Arena arena = Arena.ofConfined()) {
        Sys.close(Sys.callState(arena), n);
      }
    }
  }

  private final State state;
  private final Cleaner.Cleanable cleanable;
  private final String what;

  private Fd(int fd, String what) {
    if (fd < 0) throw new IllegalArgumentException("not a file descriptor: " + fd);
    this.state = new State(fd);
    this.what = what;
    this.cleanable = CLEANER.register(this, state);
    if (TRACE) OPEN.put(fd, new Opened(fd, what, new Throwable("fd " + fd + " (" + what + ") opened here")));
  }

  /**
   * {@return an owner of {@code fd}}, an open descriptor the caller hands over.
   * @param what what the fd is, for leak reports, e.g. {@code "bpf map counts"}
   */
  public static Fd adopt(int fd, String what) { return new Fd(fd, what); }

  /** {@return the descriptor number} @throws IllegalStateException if closed */
  public int get() {
    int n = state.fd.get();
    if (n < 0) throw new IllegalStateException(what + " is closed");
    return n;
  }

  /** {@return whether this fd has not been closed} */
  public boolean isOpen() { return state.fd.get() >= 0; }

  /** {@return what this fd is, as given when it was adopted} */
  public String what() { return what; }

  /** Closes the descriptor; closing twice does nothing. */
  @Override public void close() { cleanable.clean(); }

  /** {@return the fds opened through this class that are still open, with where they were opened} (tracing only) */
  public static List<Opened> openFds() { return new ArrayList<>(OPEN.values()); }

  /** {@return whether {@code -Djbpf.fd.trace=true} is in effect} */
  public static boolean tracing() { return TRACE; }

  @Override public String toString() {
    int n = state.fd.get();
    return what + (n < 0 ? " (closed)" : " (fd " + n + ")");
  }
}
