package jbpf.ringbuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import jbpf.sys.Epoll;
import jbpf.sys.EventFd;

/**
 * Waits on several ring buffers at once with one {@code epoll} set, plus an {@code eventfd} so that another
 * thread (say, a Ctrl-C handler) can wake the waiting one with {@link #wakeup()}. One thread polls; closing from
 * another thread wakes it and waits until it has left {@link #poll}.
 */
public final class RingBufferPoller implements AutoCloseable {
  private record Source(RingBuffer ring, RecordHandler handler) {}

  private static final long WAKEUP_TOKEN = -1;

  private final Epoll epoll;
  private final EventFd wake;
  private final List<Source> sources = new ArrayList<>();
  private final ReentrantLock polling = new ReentrantLock();
  private volatile boolean closed;

  /** Creates a poller with no rings. */
  public RingBufferPoller() {
    this.epoll = new Epoll(64);
    EventFd w = null;
    try {
      w = new EventFd();
      epoll.add(w.fd(), WAKEUP_TOKEN);
    } catch (RuntimeException e) {
      if (w != null) w.close();
      epoll.close();
      throw e;
    }
    this.wake = w;
  }

  /** Adds {@code ring}, whose records go to {@code handler}. */
  public void add(RingBuffer ring, RecordHandler handler) {
    polling.lock();
    try {
      epoll.add(ring.map().fd(), sources.size());
      sources.add(new Source(ring, handler));
    } finally {
      polling.unlock();
    }
  }

  /**
   * Consumes every ring; if none had records, waits up to {@code timeoutMillis} (-1: no limit) for one to be
   * signalled and consumes again. {@return the records handed over; 0 after a timeout or a {@link #wakeup()}}
   * @throws IllegalStateException if the poller is closed
   */
  public int poll(int timeoutMillis) { return poll(timeoutMillis, null, null); }

  int poll(int timeoutMillis, RingBuffer only, RecordHandler onlyHandler) {
    polling.lock();
    try {
      if (closed) throw new IllegalStateException("ring buffer poller is closed");
      int n = consumeAll(only, onlyHandler);
      if (n > 0 || timeoutMillis == 0) return n;
      int ready = epoll.await(timeoutMillis);
      for (int i = 0; i < ready; i++) if (epoll.token(i) == WAKEUP_TOKEN) wake.drain();
      if (closed) return 0;
      return consumeAll(only, onlyHandler);
    } finally {
      polling.unlock();
    }
  }

  private int consumeAll(RingBuffer only, RecordHandler onlyHandler) {
    if (only != null) return only.consume(onlyHandler);
    int n = 0;
    for (Source s : sources) n += s.ring().consume(s.handler());
    return n;
  }

  /** Makes a {@link #poll} in progress, or the next one, return. Safe from any thread. */
  public void wakeup() {
    if (!closed) wake.signal();
  }

  /** Closes the epoll set and the eventfd; the rings stay open. */
  @Override public void close() {
    if (closed) return;
    closed = true;
    wake.signal();
    polling.lock();
    try {
      epoll.close();
      wake.close();
    } finally {
      polling.unlock();
    }
  }
}
