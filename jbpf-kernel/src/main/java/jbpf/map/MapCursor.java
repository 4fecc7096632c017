package jbpf.map;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jbpf.sys.Bpf;
import jbpf.sys.Errno;
import jbpf.sys.SyscallException;

/**
 * Allocation-free access to one map from one thread: a key buffer and a value buffer in native memory that every
 * operation reuses. Write the key with {@link #key()}, call an operation, read the result from {@link #value()}.
 * <pre>{@code
 * try (MapCursor c = counts.cursor()) {
 *   for (boolean more = c.first(); more; more = c.next())
 *     if (c.lookup()) total += c.value().get(JAVA_LONG, 0);
 * }
 * }</pre>
 */
public final class MapCursor implements AutoCloseable {
  private final BpfMap map;
  private final Arena arena = Arena.ofConfined();
  private final BpfMap.Scratch scratch;
  private final MemorySegment next;

  MapCursor(BpfMap map) {
    this.map = map;
    this.scratch = new BpfMap.Scratch(arena, map.keySize(), map.valueBufferSize());
    this.next = arena.allocate(Math.max(1, map.keySize()), 8);
  }

  /** {@return the key buffer, {@link BpfMap#keySize()} bytes} */
  public MemorySegment key() { return scratch.key; }

  /** {@return the value buffer, {@link BpfMap#valueBufferSize()} bytes} */
  public MemorySegment value() { return scratch.value; }

  /** Looks up {@link #key()} into {@link #value()}. {@return whether the key was present} */
  public boolean lookup() {
    Errno e = map.elem(Bpf.BPF_MAP_LOOKUP_ELEM, scratch.key, scratch.value, 0, scratch.attr, scratch.state);
    if (e == Errno.ENOENT) return false;
    if (e != null) throw new SyscallException("look up key in map " + map.name(), e);
    return true;
  }

  /** Stores {@link #value()} under {@link #key()}. */
  public void update(UpdateFlag flag) {
    Errno e = map.elem(Bpf.BPF_MAP_UPDATE_ELEM, scratch.key, scratch.value, flag.value(), scratch.attr, scratch.state);
    if (e != null) throw map.updateError(e, flag);
  }

  /** Deletes the entry under {@link #key()}. {@return whether it was present} */
  public boolean delete() {
    Errno e = map.elem(Bpf.BPF_MAP_DELETE_ELEM, scratch.key, MemorySegment.NULL, 0, scratch.attr, scratch.state);
    if (e == Errno.ENOENT) return false;
    if (e != null) throw map.deleteError(e);
    return true;
  }

  /** Puts the map's first key in {@link #key()}. {@return false if the map is empty} */
  public boolean first() { return advance(MemorySegment.NULL); }

  /** Replaces {@link #key()} by the key after it. {@return false at the end} */
  public boolean next() { return advance(scratch.key); }

  private boolean advance(MemorySegment from) {
    Errno e = map.elem(Bpf.BPF_MAP_GET_NEXT_KEY, from, next, 0, scratch.attr, scratch.state);
    if (e == Errno.ENOENT) return false;
    if (e != null) throw new SyscallException("get next key of map " + map.name(), e);
    MemorySegment.copy(next, 0, scratch.key, 0, map.keySize());
    return true;
  }

  /** Frees the buffers. */
  @Override public void close() { arena.close(); }
}
