package jbpf.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Memory the kernel shares through {@code mmap(2)} of an fd, such as the pages of a ring buffer map. It stays
 * mapped until {@link #close()}, which unmaps it; a thread still reading it then gets an
 * {@link IllegalStateException}, never a crash, because the segment belongs to a shared arena.
 */
public final class MappedMemory implements AutoCloseable {
  private final Arena arena;
  private final MemorySegment segment;

  private MappedMemory(Arena arena, MemorySegment segment) {
    this.arena = arena;
    this.segment = segment;
  }

  /**
   * Maps {@code length} bytes of {@code fd} at {@code offset} ({@code MAP_SHARED}).
   *
   * @param writable whether to map with {@code PROT_WRITE} as well as {@code PROT_READ}
   * @param what what is mapped, for the error message, e.g. {@code "ring buffer events producer pages"}
   * @throws SyscallException if {@code mmap} fails
   */
  public static MappedMemory map(Fd fd, long offset, long length, boolean writable, String what) {
    int prot = Sys.PROT_READ | (writable ? Sys.PROT_WRITE : 0);
    MemorySegment address;
    try (Arena call = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(call);
      address = Sys.mmap(state, length, prot, Sys.MAP_SHARED, fd.get(), offset);
      if (address.address() == -1L) throw new SyscallException("mmap " + what, Errno.from(state));
    }
    Arena arena = Arena.ofShared();
    MemorySegment segment = Sys.view(address, length, arena, s -> {
      try (Arena call = Arena.ofConfined()) {
        Sys.munmap(Sys.callState(call), s, length);
      }
    });
    return new MappedMemory(arena, writable ? segment : segment.asReadOnly());
  }

  /** {@return the mapped bytes; read-only unless mapped writable} */
  public MemorySegment segment() { return segment; }

  /** Unmaps the memory; closing twice does nothing. */
  @Override public void close() {
    if (arena.scope().isAlive()) arena.close();
  }
}
