package jbpf.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import jbpf.map.BpfMap;
import jbpf.spec.MapType;
import jbpf.sys.Bpf;
import jbpf.sys.MappedMemory;
import jbpf.sys.Sys;

/**
 * The consumer side of a {@code BPF_MAP_TYPE_RINGBUF} map (kernel/bpf/ringbuf.c): programs reserve and submit
 * records, and {@link #consume} hands each one to a handler in place, without copying.
 *
 * <p>Memory layout: the consumer page (the consumer position, mapped writable), then the producer page (the
 * producer position) followed by the data area, mapped twice in a row so that a record wrapping around the end
 * is contiguous. Each record starts with an 8-byte header ({@code struct bpf_ringbuf_hdr}): a length whose bit
 * 31 says the producer is still writing (BUSY) and bit 30 that it discarded the record (DISCARD), and the page
 * offset. Records are 8-byte aligned.
 *
 * <p>{@link #poll} waits with {@code epoll} for the kernel's wake-up, never by sleeping; {@link #wakeup()} makes
 * it return early from any thread. One thread consumes; for several rings in one wait use {@link RingBufferPoller}.
 */
public final class RingBuffer implements AutoCloseable {
  private static final VarHandle LONG = JAVA_LONG.varHandle();
  private static final VarHandle INT = JAVA_INT.varHandle();
  private static final int BUSY = Bpf.BPF_RINGBUF_BUSY_BIT;
  private static final int DISCARD = Bpf.BPF_RINGBUF_DISCARD_BIT;
  private static final int HDR = Bpf.BPF_RINGBUF_HDR_SZ;

  private final BpfMap map;
  private final MappedMemory consumerPage;
  private final MappedMemory producerPages;
  private final MemorySegment consumer;
  private final MemorySegment producer;
  private final MemorySegment data;
  private final long mask;
  private volatile RingBufferPoller poller;

  private RingBuffer(BpfMap map) {
    this.map = map;
    long page = Sys.pageSize();
    long size = map.maxEntries();
    this.mask = size - 1;
    MappedMemory c = MappedMemory.map(map.fd(), 0, page, true, "consumer page of ring buffer " + map.name());
    try {
      this.producerPages = MappedMemory.map(map.fd(), page, page + 2 * size, false, "producer pages of ring buffer " + map.name());
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    this.consumerPage = c;
    this.consumer = c.segment();
    this.producer = producerPages.segment();
    this.data = producerPages.segment().asSlice(page);
  }

  /**
   * Maps the ring of {@code map}, which stays owned by the caller and must outlive this consumer.
   *
   * @throws IllegalArgumentException if {@code map} is no ring buffer
   * @throws jbpf.sys.SyscallException if mapping fails
   */
  public static RingBuffer open(BpfMap map) {
    if (map.type() != MapType.RINGBUF) throw new IllegalArgumentException("map " + map.name() + " is no ring buffer");
    return new RingBuffer(map);
  }

  /** {@return the ring's map} */
  public BpfMap map() { return map; }

  /** {@return the bytes written by programs and not yet consumed, headers included} */
  public long pending() {
    return (long) LONG.getAcquire(producer, 0L) - (long) LONG.getAcquire(consumer, 0L);
  }

  /**
   * Hands every complete record to {@code handler}, in order, without waiting, and releases their space to the
   * producers. Stops at a record still being written. {@return the number of records handed over (discarded
   * ones are skipped and not counted)}
   */
  public int consume(RecordHandler handler) {
    long cons = (long) LONG.getAcquire(consumer, 0L);
    int count = 0;
    while (true) {
      long prod = (long) LONG.getAcquire(producer, 0L);
      boolean progress = false;
      while (cons < prod) {
        long at = cons & mask;
        int len = (int) INT.getAcquire(data, at);
        if ((len & BUSY) != 0) {
          LONG.setRelease(consumer, 0L, cons);
          return count;
        }
        progress = true;
        int size = len & ~(BUSY | DISCARD);
        cons += (size + HDR + 7) & ~7L;
        try {
          if ((len & DISCARD) == 0) {
            count++;
            handler.onRecord(data.asSlice(at + HDR, size));
          }
        } finally {
          LONG.setRelease(consumer, 0L, cons);
        }
      }
      if (!progress) return count;
    }
  }

  /**
   * Consumes what is there, or else waits up to {@code timeoutMillis} (-1: no limit) for the kernel to signal new
   * records and consumes those. {@return the records handed over; 0 after a timeout or a {@link #wakeup()}}
   */
  public int poll(int timeoutMillis, RecordHandler handler) {
    RingBufferPoller p = poller;
    if (p == null) {
      synchronized (this) {
        if (poller == null) {
          RingBufferPoller created = new RingBufferPoller();
          created.add(this, handler);
          poller = created;
        }
        p = poller;
      }
    }
    return p.poll(timeoutMillis, this, handler);
  }

  /** Makes a {@link #poll} in progress, or the next one, return at once. Safe from any thread. */
  public void wakeup() {
    RingBufferPoller p = poller;
    if (p != null) p.wakeup();
  }

  /** Unmaps the ring; the map stays open. Call it from the consuming thread, or after waking and stopping it. */
  @Override public void close() {
    RingBufferPoller p = poller;
    if (p != null) p.close();
    producerPages.close();
    consumerPage.close();
  }
}
