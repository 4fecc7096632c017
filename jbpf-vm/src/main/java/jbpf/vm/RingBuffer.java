package jbpf.vm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.Consumer;
import jbpf.spec.MapSpec;

/**
 * A ring buffer map ({@code BPF_MAP_TYPE_RINGBUF}) in userspace: programs reserve, fill and submit records
 * (or output them in one call); Java code {@link #poll}s them in order. Each record has an 8-byte header, as in
 * kernel/bpf/ringbuf.c: the length with a busy bit (set until submitted) and a discard bit. A record that would
 * wrap around the end is preceded by a discarded filler, since userspace memory is not double-mapped.
 */
public final class RingBuffer extends VmMap {
  private static final int BUSY = 1 << 31, DISCARD = 1 << 30;
  private static final VarHandle HEADER = ValueLayout.JAVA_INT.varHandle();
  private final MemorySegment data;
  private final long mask;
  private volatile long producer;
  private volatile long consumer;

  RingBuffer(MapSpec spec) {
    super(spec);
    int n = spec.maxEntries();
    if (Integer.bitCount(n) != 1 || n < 16)
      throw new IllegalArgumentException("create ring buffer " + spec.name() + ": size " + n + " is not a power of two of at least 16 bytes");
    this.data = allocate(spec.name(), n);
    this.mask = n - 1;
  }

  @Override public MemorySegment region() { return data; }

  /** {@return the size of the data area in bytes} */
  public int size() { return spec().maxEntries(); }

  /** {@return the data offset of a new busy record of {@code size} bytes, or -1 if it does not fit} */
  synchronized long reserve(long size) {
    if (size <= 0 || size > size() - 8) return -1;
    long need = 8 + ((size + 7) & ~7);
    long pos = producer;
    int at = (int) (pos & mask);
    if (at + need > size()) {
      long pad = size() - at;
      if (pos + pad + need - consumer > size()) return -1;
      HEADER.setRelease(data, (long) at, (int) (pad - 8) | DISCARD);
      pos += pad;
      at = 0;
    }
    if (pos + need - consumer > size()) return -1;
    HEADER.setRelease(data, (long) at, (int) size | BUSY);
    producer = pos + need;
    return at + 8;
  }

  /** Marks the record at data offset {@code offset} complete (or discarded). {@return false if it is not busy} */
  boolean commit(long offset, boolean discard) {
    long at = offset - 8;
    if (at < 0 || at > mask || (at & 7) != 0) return false;
    int h = (int) HEADER.getAcquire(data, at);
    if ((h & BUSY) == 0) return false;
    HEADER.setRelease(data, at, (h & ~BUSY) | (discard ? DISCARD : 0));
    return true;
  }

  /** {@return the {@code ringbuf_query} value for {@code flags}: 0 available bytes, 1 size, 2 consumer, 3 producer} */
  long query(long flags) {
    return switch ((int) flags) {
      case 1 -> size();
      case 2 -> consumer;
      case 3 -> producer;
      default -> producer - consumer;
    };
  }

  /**
   * Hands every submitted record, in order, to {@code handler}, stopping at the first one still being filled.
   * The segment is valid only during the call. Not for concurrent use by several consumers.
   *
   * @return the number of records handed over
   */
  public int poll(Consumer<MemorySegment> handler) {
    long c = consumer;
    long p = producer;
    int n = 0;
    while (c < p) {
      long at = c & mask;
      int h = (int) HEADER.getAcquire(data, at);
      if ((h & BUSY) != 0) break;
      int len = h & ~(BUSY | DISCARD);
      if ((h & DISCARD) == 0) {
        handler.accept(data.asSlice(at + 8, len).asReadOnly());
        n++;
      }
      c += 8 + ((len + 7) & ~7);
      consumer = c;
    }
    return n;
  }

  @Override long lookupOffset(MemorySegment key, int cpu) { return -1; }

  @Override int update(MemorySegment key, MemorySegment value, long flags, int cpu) { return -EINVAL; }

  @Override int delete(MemorySegment key) { return -EINVAL; }

  @Override public byte[] lookup(byte[] key) { throw noKeys(); }

  @Override public List<byte[]> lookupPerCpu(byte[] key) { throw noKeys(); }

  @Override public void update(byte[] key, byte[] value) { throw noKeys(); }

  @Override public boolean delete(byte[] key) { throw noKeys(); }

  @Override public List<byte[]> keys() { return List.of(); }

  private UnsupportedOperationException noKeys() {
    return new UnsupportedOperationException("ring buffer " + name() + " has no keys; read it with poll");
  }
}
