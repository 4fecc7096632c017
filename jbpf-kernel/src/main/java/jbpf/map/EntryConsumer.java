package jbpf.map;

import java.lang.foreign.MemorySegment;

/**
 * Receives map entries without copying them: the key and value segments point into a buffer that is reused for
 * the next entry, so they are valid only during the call. A per-CPU value holds every possible CPU's value, each
 * padded to a multiple of 8 bytes ({@link BpfMap#valueStride()}).
 */
@FunctionalInterface
public interface EntryConsumer {
  /** Handles one entry. */
  void accept(MemorySegment key, MemorySegment value);
}
