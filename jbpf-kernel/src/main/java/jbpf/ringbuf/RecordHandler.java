package jbpf.ringbuf;

import java.lang.foreign.MemorySegment;

/**
 * Receives ring buffer records without copying: the segment is a read-only view of the record inside the mapped
 * ring, valid only during the call. Copy what must outlive it.
 */
@FunctionalInterface
public interface RecordHandler {
  /** Handles one record; its size is {@code record.byteSize()}. */
  void onRecord(MemorySegment record);
}
