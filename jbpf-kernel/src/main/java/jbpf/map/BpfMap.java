package jbpf.map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jbpf.kernel.internal.BpfCall;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr.MapBatch;
import jbpf.sys.BpfAttr.MapCreate;
import jbpf.sys.BpfAttr.MapElem;
import jbpf.sys.BpfInfo;
import jbpf.sys.BpfObjects;
import jbpf.sys.Capability;
import jbpf.sys.Cpus;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.Memlock;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/**
 * A live kernel map, created from a {@link MapSpec}. Keys and values are exchanged as {@code byte[]} or as
 * {@link MemorySegment}s (native segments go to the kernel without copying). Per-CPU maps exchange every possible
 * CPU's value at once: {@link #valueSize()} bytes per CPU, each padded to {@link #valueStride()}.
 *
 * <p>For reading many entries use {@link #forEach}, which fetches them in batches where the kernel can
 * ({@code BPF_MAP_LOOKUP_BATCH}, Linux 5.6) and walks the keys otherwise, or a {@link MapCursor}, which reuses
 * its buffers. A {@code BpfMap} may be used from several threads; closing it while another thread uses it is
 * an error.
 */
public final class BpfMap implements AutoCloseable {
  private final MapSpec spec;
  private final Fd fd;
  private final String name;
  private final int cpus;
  private final int stride;
  private final int valueBytes;
  /** Whether batch commands work on this map: null until tried. */
  private volatile Boolean batchWorks;

  private BpfMap(MapSpec spec, Fd fd) {
    this.spec = spec;
    this.fd = fd;
    this.name = BpfCall.objectName(spec.name());
    this.cpus = spec.type().perCpu() ? Cpus.possibleCount() : 1;
    this.stride = spec.type().perCpu() ? (spec.valueSize() + 7) & ~7 : spec.valueSize();
    this.valueBytes = stride * cpus;
  }

  /**
   * Creates the map {@code spec} describes.
   *
   * @throws jbpf.sys.PermissionException if this process may not create maps
   * @throws jbpf.sys.NotSupportedException if the kernel lacks the map type
   * @throws SyscallException if the kernel refuses the map, e.g. for its sizes
   * @throws IllegalArgumentException if {@code spec} cannot be a valid map, e.g. a ring buffer whose size is not a
   *     power of two
   */
  public static BpfMap create(MapSpec spec) {
    Objects.requireNonNull(spec);
    if (spec.type() == MapType.RINGBUF) {
      if (!KernelVersion.current().atLeast(5, 8)) throw Feature.RINGBUF.notSupported(KernelVersion.current(), null);
      long size = spec.maxEntries();
      if (Long.bitCount(size) != 1 || size % Sys.pageSize() != 0)
        throw new IllegalArgumentException("ring buffer " + spec.name() + " must be a power of two and a multiple of "
            + Sys.pageSize() + " bytes, not " + size);
    }
    Memlock.ensureRaised();
    String operation = "create map " + spec.name() + " (" + Bpf.mapTypeName(spec.type().value()) + ")";
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(MapCreate.LAYOUT);
      attr.set(JAVA_INT, MapCreate.map_type, spec.type().value());
      attr.set(JAVA_INT, MapCreate.key_size, spec.keySize());
      attr.set(JAVA_INT, MapCreate.value_size, spec.valueSize());
      attr.set(JAVA_INT, MapCreate.max_entries, spec.maxEntries());
      attr.set(JAVA_INT, MapCreate.map_flags, spec.flags());
      BpfCall.putName(attr, MapCreate.map_name, spec.name());
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_MAP_CREATE, attr);
      if (fd < 0) throw BpfCall.error(operation, Errno.from(state), "creating BPF maps", Capability.CAP_BPF);
      return new BpfMap(spec, Fd.adopt((int) fd, "bpf map " + spec.name()));
    }
  }

  /**
   * Opens the loaded map with id {@code id}, e.g. one another process created.
   *
   * @throws SyscallException with {@link Errno#ENOENT} if there is no such map
   * @throws IllegalArgumentException if it has a type jbpf does not handle
   */
  public static BpfMap open(int id) {
    Fd fd = BpfObjects.open(BpfObjects.Kind.MAP, id);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment i = BpfObjects.info(fd, BpfInfo.Map.LAYOUT, arena);
      int type = i.get(JAVA_INT, BpfInfo.Map.type);
      MapType mapType = null;
      for (MapType t : MapType.values()) if (t.value() == type) mapType = t;
      if (mapType == null) {
        fd.close();
        throw new IllegalArgumentException("map " + id + " has type " + Bpf.mapTypeName(type) + ", which jbpf does not handle");
      }
      MapSpec spec = new MapSpec(BpfObjects.cString(i, BpfInfo.Map.name, 16), mapType, i.get(JAVA_INT, BpfInfo.Map.key_size),
          i.get(JAVA_INT, BpfInfo.Map.value_size), i.get(JAVA_INT, BpfInfo.Map.max_entries), i.get(JAVA_INT, BpfInfo.Map.map_flags));
      return new BpfMap(spec, fd);
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  /** {@return the blueprint this map was created from} */
  public MapSpec spec() { return spec; }

  /** {@return the name given in the spec} */
  public String name() { return spec.name(); }

  /** {@return the map type} */
  public MapType type() { return spec.type(); }

  /** {@return the key size in bytes} */
  public int keySize() { return spec.keySize(); }

  /** {@return the size of one value in bytes (of one CPU's value, for per-CPU maps)} */
  public int valueSize() { return spec.valueSize(); }

  /** {@return the capacity} */
  public int maxEntries() { return spec.maxEntries(); }

  /** {@return the number of values per entry: the possible CPUs for a per-CPU map, otherwise 1} */
  public int cpus() { return cpus; }

  /** {@return the distance between two CPUs' values in a per-CPU value: the value size rounded up to 8; otherwise the value size} */
  public int valueStride() { return stride; }

  /** {@return the bytes of a whole value as lookups return it: {@link #valueStride()} times {@link #cpus()}} */
  public int valueBufferSize() { return valueBytes; }

  /** {@return the map's fd, e.g. for {@code Bytecode.encode}} */
  public Fd fd() { return fd; }

  // ---- single entries, byte[] ---------------------------------------------------------------------------------

  /** {@return the value stored under {@code key}, or {@code null} if there is none} */
  public byte[] lookup(byte[] key) {
    byte[] value = new byte[valueBytes];
    return lookup(key, value) ? value : null;
  }

  /**
   * Copies the value stored under {@code key} into {@code value}, which must hold {@link #valueBufferSize()}
   * bytes. {@return whether the key was present}
   */
  public boolean lookup(byte[] key, byte[] value) {
    checkKey(key.length);
    checkValue(value.length);
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, keySize(), valueBytes);
      MemorySegment.copy(key, 0, s.key, JAVA_BYTE, 0, key.length);
      Errno e = elem(Bpf.BPF_MAP_LOOKUP_ELEM, s.key, s.value, 0, s.attr, s.state);
      if (e == Errno.ENOENT) return false;
      if (e != null) throw new SyscallException("look up key in map " + name(), e);
      MemorySegment.copy(s.value, JAVA_BYTE, 0, value, 0, valueBytes);
      return true;
    }
  }

  /** {@return the value under {@code key} split per possible CPU, or {@code null} if absent} (per-CPU maps) */
  public byte[][] lookupPerCpu(byte[] key) {
    requirePerCpu("lookupPerCpu");
    byte[] all = lookup(key);
    if (all == null) return null;
    byte[][] out = new byte[cpus][];
    for (int c = 0; c < cpus; c++) out[c] = java.util.Arrays.copyOfRange(all, c * stride, c * stride + valueSize());
    return out;
  }

  /** Stores {@code value} under {@code key}, creating or replacing the entry. */
  public void update(byte[] key, byte[] value) { update(key, value, UpdateFlag.ANY); }

  /**
   * Stores {@code value} ({@link #valueBufferSize()} bytes; for a per-CPU map every CPU's value, or just
   * {@link #valueSize()} bytes to store the same value on every CPU) under {@code key}.
   *
   * @throws SyscallException if the map is full ({@code E2BIG}), or {@code flag} is not met ({@code EEXIST},
   *     {@code ENOENT})
   */
  public void update(byte[] key, byte[] value, UpdateFlag flag) {
    checkKey(key.length);
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, keySize(), valueBytes);
      MemorySegment.copy(key, 0, s.key, JAVA_BYTE, 0, key.length);
      if (value.length == valueBytes) MemorySegment.copy(value, 0, s.value, JAVA_BYTE, 0, value.length);
      else if (cpus > 1 && value.length == valueSize())
        for (int c = 0; c < cpus; c++) MemorySegment.copy(value, 0, s.value, JAVA_BYTE, (long) c * stride, value.length);
      else checkValue(value.length);
      Errno e = elem(Bpf.BPF_MAP_UPDATE_ELEM, s.key, s.value, flag.value(), s.attr, s.state);
      if (e != null) throw updateError(e, flag);
    }
  }

  /** Stores one value per possible CPU under {@code key} (per-CPU maps). */
  public void updatePerCpu(byte[] key, byte[][] values, UpdateFlag flag) {
    requirePerCpu("updatePerCpu");
    if (values.length != cpus) throw new IllegalArgumentException("map " + name() + " needs " + cpus + " values, one per possible CPU, not " + values.length);
    byte[] all = new byte[valueBytes];
    for (int c = 0; c < cpus; c++) {
      if (values[c].length != valueSize()) throw new IllegalArgumentException("values of map " + name() + " are " + valueSize() + " bytes, not " + values[c].length);
      System.arraycopy(values[c], 0, all, c * stride, valueSize());
    }
    update(key, all, flag);
  }

  /** Deletes the entry under {@code key}. {@return whether it was present} */
  public boolean delete(byte[] key) {
    checkKey(key.length);
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, keySize(), 0);
      MemorySegment.copy(key, 0, s.key, JAVA_BYTE, 0, key.length);
      Errno e = elem(Bpf.BPF_MAP_DELETE_ELEM, s.key, MemorySegment.NULL, 0, s.attr, s.state);
      if (e == Errno.ENOENT) return false;
      if (e != null) throw deleteError(e);
      return true;
    }
  }

  /** {@return the key after {@code key} ({@code null}: the first key), or {@code null} at the end} */
  public byte[] nextKey(byte[] key) {
    if (key != null) checkKey(key.length);
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, keySize(), keySize());
      if (key != null) MemorySegment.copy(key, 0, s.key, JAVA_BYTE, 0, key.length);
      Errno e = elem(Bpf.BPF_MAP_GET_NEXT_KEY, key == null ? MemorySegment.NULL : s.key, s.value, 0, s.attr, s.state);
      if (e == Errno.ENOENT) return null;
      if (e != null) throw new SyscallException("get next key of map " + name(), e);
      return s.value.asSlice(0, keySize()).toArray(JAVA_BYTE);
    }
  }

  // ---- single entries, segments -------------------------------------------------------------------------------

  /**
   * Copies the value under {@code key} into {@code value} ({@link #valueBufferSize()} bytes). Native segments are
   * handed to the kernel directly. {@return whether the key was present}
   */
  public boolean lookup(MemorySegment key, MemorySegment value) {
    checkKey(key.byteSize());
    checkValue(value.byteSize());
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, key.isNative() ? 0 : keySize(), value.isNative() ? 0 : valueBytes);
      MemorySegment k = native_(key, s.key), v = value.isNative() ? value : s.value;
      Errno e = elem(Bpf.BPF_MAP_LOOKUP_ELEM, k, v, 0, s.attr, s.state);
      if (e == Errno.ENOENT) return false;
      if (e != null) throw new SyscallException("look up key in map " + name(), e);
      if (v != value) value.copyFrom(v);
      return true;
    }
  }

  /** Stores {@code value} ({@link #valueBufferSize()} bytes) under {@code key}; see {@link #update(byte[], byte[], UpdateFlag)}. */
  public void update(MemorySegment key, MemorySegment value, UpdateFlag flag) {
    checkKey(key.byteSize());
    checkValue(value.byteSize());
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, key.isNative() ? 0 : keySize(), value.isNative() ? 0 : valueBytes);
      Errno e = elem(Bpf.BPF_MAP_UPDATE_ELEM, native_(key, s.key), native_(value, s.value), flag.value(), s.attr, s.state);
      if (e != null) throw updateError(e, flag);
    }
  }

  /** Deletes the entry under {@code key}. {@return whether it was present} */
  public boolean delete(MemorySegment key) {
    checkKey(key.byteSize());
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, key.isNative() ? 0 : keySize(), 0);
      Errno e = elem(Bpf.BPF_MAP_DELETE_ELEM, native_(key, s.key), MemorySegment.NULL, 0, s.attr, s.state);
      if (e == Errno.ENOENT) return false;
      if (e != null) throw deleteError(e);
      return true;
    }
  }

  /** Writes the key after {@code key} ({@code null}: the first key) into {@code next}. {@return false at the end} */
  public boolean nextKey(MemorySegment key, MemorySegment next) {
    if (key != null) checkKey(key.byteSize());
    checkKey(next.byteSize());
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, key == null || key.isNative() ? 0 : keySize(), next.isNative() ? 0 : keySize());
      MemorySegment n = next.isNative() ? next : s.value;
      Errno e = elem(Bpf.BPF_MAP_GET_NEXT_KEY, key == null ? MemorySegment.NULL : native_(key, s.key), n, 0, s.attr, s.state);
      if (e == Errno.ENOENT) return false;
      if (e != null) throw new SyscallException("get next key of map " + name(), e);
      if (n != next) next.copyFrom(n);
      return true;
    }
  }

  /** {@return whether batch commands worked on this map: null until tried} */
  Boolean batchWorks() { return batchWorks; }

  /** Makes bulk reads walk key by key, as they do on kernels without batch commands (before Linux 5.6). */
  void walkKeyByKey() { batchWorks = Boolean.FALSE; }

  /** {@return a cursor for fast, allocation-free access from the calling thread} */
  public MapCursor cursor() { return new MapCursor(this); }

  // ---- many entries -----------------------------------------------------------------------------------------

  /**
   * Hands every entry to {@code action}, in batches of up to 256 per system call where the kernel supports
   * {@code BPF_MAP_LOOKUP_BATCH}, otherwise one key at a time. Entries changed meanwhile may be seen once, twice
   * or not at all, as with any walk of a live map. {@return the number of entries handed over}
   */
  public int forEach(EntryConsumer action) {
    if (batchWorks != Boolean.FALSE) {
      int n = batch(Bpf.BPF_MAP_LOOKUP_BATCH, action);
      if (n >= 0) return n;
    }
    return iterate(action, false);
  }

  /**
   * Hands every entry to {@code action} and removes it: hash maps delete the entries
   * ({@code BPF_MAP_LOOKUP_AND_DELETE_BATCH} where supported), array maps, which cannot delete, are zeroed
   * after reading. {@return the number of entries handed over}
   */
  public int drain(EntryConsumer action) {
    if (isArray()) {
      int n = forEach(action);
      clear();
      return n;
    }
    if (batchWorks != Boolean.FALSE) {
      int n = batch(Bpf.BPF_MAP_LOOKUP_AND_DELETE_BATCH, action);
      if (n >= 0) return n;
    }
    return iterate(action, true);
  }

  /** {@return copies of all entries} */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    forEach((k, v) -> out.add(new Entry(k.toArray(JAVA_BYTE), v.toArray(JAVA_BYTE))));
    return out;
  }

  /** Removes every entry; array maps, which cannot delete, get every value zeroed. */
  public void clear() {
    if (isArray()) {
      byte[] zero = new byte[valueBytes];
      byte[] key = new byte[4];
      for (int i = 0; i < maxEntries(); i++) {
        key[0] = (byte) i; key[1] = (byte) (i >>> 8); key[2] = (byte) (i >>> 16); key[3] = (byte) (i >>> 24);
        update(key, zero, UpdateFlag.ANY);
      }
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, keySize(), 0);
      while (true) {
        Errno e = elem(Bpf.BPF_MAP_GET_NEXT_KEY, MemorySegment.NULL, s.key, 0, s.attr, s.state);
        if (e == Errno.ENOENT) return;
        if (e != null) throw new SyscallException("clear map " + name() + ": get next key", e);
        e = elem(Bpf.BPF_MAP_DELETE_ELEM, s.key, MemorySegment.NULL, 0, s.attr, s.state);
        if (e != null && e != Errno.ENOENT) throw new SyscallException("clear map " + name() + ": delete", e);
      }
    }
  }

  private boolean isArray() {
    return spec.type() == MapType.ARRAY || spec.type() == MapType.PERCPU_ARRAY || spec.type() == MapType.PROG_ARRAY
        || spec.type() == MapType.PERF_EVENT_ARRAY || spec.type() == MapType.CGROUP_ARRAY;
  }

  /** Runs a batch command over the whole map. {@return the entries handed over, or -1 if the kernel lacks it for this map} */
  private int batch(int cmd, EntryConsumer action) {
    int chunk = Math.max(1, Math.min(256, maxEntries()));
    int keys = keySize(), tokenSize = Math.max(8, keys);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(MapBatch.LAYOUT);
      MemorySegment state = Sys.callState(arena);
      MemorySegment in = arena.allocate(tokenSize, 8), out = arena.allocate(tokenSize, 8);
      MemorySegment keyBuf = arena.allocate((long) chunk * keys, 8), valueBuf = arena.allocate((long) chunk * valueBytes, 8);
      boolean first = true;
      int total = 0;
      while (true) {
        attr.fill((byte) 0);
        attr.set(JAVA_LONG, MapBatch.in_batch, first ? 0 : in.address());
        attr.set(JAVA_LONG, MapBatch.out_batch, out.address());
        attr.set(JAVA_LONG, MapBatch.keys, keyBuf.address());
        attr.set(JAVA_LONG, MapBatch.values, valueBuf.address());
        attr.set(JAVA_INT, MapBatch.count, chunk);
        attr.set(JAVA_INT, MapBatch.map_fd, fd.get());
        long r = Sys.bpf(state, cmd, attr);
        Errno e = r < 0 ? Errno.from(state) : null;
        int n = attr.get(JAVA_INT, MapBatch.count);
        if (e != null && e != Errno.ENOENT) {
          if (e == Errno.ENOSPC && n == 0) {
            // A hash bucket holds more entries than fit: the kernel wants a larger batch.
            chunk *= 2;
            keyBuf = arena.allocate((long) chunk * keys, 8);
            valueBuf = arena.allocate((long) chunk * valueBytes, 8);
            continue;
          }
          if (first && (e == Errno.EINVAL || e == Errno.ENOTSUPP || e == Errno.EOPNOTSUPP)) {
            batchWorks = Boolean.FALSE;
            return -1;
          }
          throw new SyscallException((cmd == Bpf.BPF_MAP_LOOKUP_BATCH ? "read" : "drain") + " map " + name() + " in batches", e);
        }
        batchWorks = Boolean.TRUE;
        for (int i = 0; i < n; i++)
          action.accept(keyBuf.asSlice((long) i * keys, keys), valueBuf.asSlice((long) i * valueBytes, valueBytes));
        total += n;
        if (e == Errno.ENOENT) return total;
        in.copyFrom(out);
        first = false;
      }
    }
  }

  private int iterate(EntryConsumer action, boolean delete) {
    try (Arena arena = Arena.ofConfined()) {
      Scratch s = new Scratch(arena, keySize(), valueBytes);
      MemorySegment next = arena.allocate(Math.max(1, keySize()), 8);
      MemorySegment cur = s.key;
      boolean first = true;
      int total = 0;
      while (true) {
        Errno e = elem(Bpf.BPF_MAP_GET_NEXT_KEY, first || delete ? MemorySegment.NULL : cur, next, 0, s.attr, s.state);
        if (e == Errno.ENOENT) return total;
        if (e != null) throw new SyscallException("walk map " + name() + ": get next key", e);
        first = false;
        cur.copyFrom(next);
        e = elem(Bpf.BPF_MAP_LOOKUP_ELEM, cur, s.value, 0, s.attr, s.state);
        if (e == Errno.ENOENT) continue;
        if (e != null) throw new SyscallException("walk map " + name() + ": look up", e);
        if (delete) {
          e = elem(Bpf.BPF_MAP_DELETE_ELEM, cur, MemorySegment.NULL, 0, s.attr, s.state);
          if (e != null && e != Errno.ENOENT) throw new SyscallException("drain map " + name() + ": delete", e);
        }
        action.accept(cur, s.value);
        total++;
      }
    }
  }

  // ---- info ---------------------------------------------------------------------------------------------------

  /** {@return what the kernel reports about this map} */
  public MapInfo info() {
    try (Arena arena = Arena.ofConfined()) {
      return infoOf(BpfObjects.info(fd, BpfInfo.Map.LAYOUT, arena));
    }
  }

  static MapInfo infoOf(MemorySegment i) {
    return new MapInfo(i.get(JAVA_INT, BpfInfo.Map.id), BpfObjects.cString(i, BpfInfo.Map.name, 16),
        Bpf.mapTypeName(i.get(JAVA_INT, BpfInfo.Map.type)), i.get(JAVA_INT, BpfInfo.Map.key_size),
        i.get(JAVA_INT, BpfInfo.Map.value_size), i.get(JAVA_INT, BpfInfo.Map.max_entries), i.get(JAVA_INT, BpfInfo.Map.map_flags));
  }

  /** {@return every map loaded in the kernel, by any process} (needs {@code CAP_SYS_ADMIN}) */
  public static List<MapInfo> loaded() {
    List<MapInfo> out = new ArrayList<>();
    for (int id : BpfObjects.ids(BpfObjects.Kind.MAP)) {
      try (Fd fd = BpfObjects.open(BpfObjects.Kind.MAP, id); Arena arena = Arena.ofConfined()) {
        out.add(infoOf(BpfObjects.info(fd, BpfInfo.Map.LAYOUT, arena)));
      } catch (SyscallException e) {
        if (e.errno() != Errno.ENOENT) throw e;
      }
    }
    return out;
  }

  /** Closes the map's fd; the kernel frees the map once no program uses it. */
  @Override public void close() { fd.close(); }

  @Override public String toString() { return "map " + name() + " (" + Bpf.mapTypeName(type().value()) + ", " + fd + ")"; }

  // ---- plumbing ---------------------------------------------------------------------------------------------

  /** The memory of one call: attr, call state, key and value. */
  static final class Scratch {
    final MemorySegment attr, state, key, value;

    Scratch(Arena arena, int keyBytes, int valueBytes) {
      MemorySegment all = arena.allocate(32 + 8 + align8(keyBytes) + align8(valueBytes), 8);
      attr = all.asSlice(0, 32);
      state = all.asSlice(32, Sys.CALL_STATE.byteSize());
      key = all.asSlice(40, keyBytes);
      value = all.asSlice(40 + align8(keyBytes), valueBytes);
    }

    private static long align8(long n) { return (n + 7) & ~7L; }
  }

  /** Runs one {@code BPF_MAP_*_ELEM} command. {@return null on success, else the errno} */
  Errno elem(int cmd, MemorySegment key, MemorySegment value, long flags, MemorySegment attr, MemorySegment state) {
    attr.set(JAVA_INT, MapElem.map_fd, fd.get());
    attr.set(JAVA_INT, 4, 0);
    attr.set(JAVA_LONG, MapElem.key, key.address());
    attr.set(JAVA_LONG, MapElem.value, value.address());
    attr.set(JAVA_LONG, MapElem.flags, flags);
    return Sys.bpf(state, cmd, attr) < 0 ? Errno.from(state) : null;
  }

  private static MemorySegment native_(MemorySegment s, MemorySegment scratch) {
    if (s.isNative()) return s;
    scratch.copyFrom(s);
    return scratch;
  }

  SyscallException updateError(Errno e, UpdateFlag flag) {
    String op = "update map " + name();
    return switch (e) {
      case E2BIG -> new SyscallException(op + (isArray() ? ": index out of range" : ": the map is full") + " (max_entries "
          + maxEntries() + ")", e);
      case EEXIST -> new SyscallException(op + ": key already exists (" + flag + ")", e);
      case ENOENT -> new SyscallException(op + ": key does not exist (" + flag + ")", e);
      case ENOMEM -> new SyscallException(op + ": the kernel is out of memory for new entries", e);
      default -> new SyscallException(op, e);
    };
  }

  SyscallException deleteError(Errno e) {
    if (e == Errno.EINVAL && isArray()) return new SyscallException("delete from map " + name() + ": array maps cannot delete entries", e);
    return new SyscallException("delete from map " + name(), e);
  }

  void checkKey(long n) {
    if (n != keySize()) throw new IllegalArgumentException("keys of map " + name() + " are " + keySize() + " bytes, not " + n);
  }

  void checkValue(long n) {
    if (n != valueBytes)
      throw new IllegalArgumentException("values of map " + name() + " are " + valueBytes + " bytes"
          + (cpus > 1 ? " (" + cpus + " CPUs x " + stride + ")" : "") + ", not " + n);
  }

  private void requirePerCpu(String method) {
    if (!type().perCpu()) throw new IllegalArgumentException(method + " needs a per-CPU map; " + name() + " is " + Bpf.mapTypeName(type().value()));
  }
}
