package jbpf.map;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.sys.Cpus;
import jbpf.sys.Errno;
import jbpf.sys.SyscallException;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_SYS_ADMIN})
class MapKernelTest {
  private static byte[] u32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

  private static byte[] u64(long v) { return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(); }

  private static long u64(byte[] b, int at) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at); }

  @Test void hashCrud() {
    try (BpfMap m = BpfMap.create(new MapSpec("crud", MapType.HASH, 4, 8, 16))) {
      assertNull(m.lookup(u32(1)));
      m.update(u32(1), u64(100));
      m.update(u32(2), u64(200), UpdateFlag.NOEXIST);
      assertEquals(100, u64(m.lookup(u32(1)), 0));
      m.update(u32(1), u64(101), UpdateFlag.EXIST);
      assertEquals(101, u64(m.lookup(u32(1)), 0));
      byte[] first = m.nextKey(null);
      byte[] second = m.nextKey(first);
      assertNull(m.nextKey(second));
      assertEquals(java.util.Set.of(1, 2), java.util.Set.of(ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt(),
          ByteBuffer.wrap(second).order(ByteOrder.LITTLE_ENDIAN).getInt()));
      assertTrue(m.delete(u32(1)));
      assertFalse(m.delete(u32(1)));
      assertNull(m.lookup(u32(1)));
    }
  }

  @Test void updateFlagsAndFullMapAreClearErrors() {
    try (BpfMap m = BpfMap.create(new MapSpec("small", MapType.HASH, 4, 8, 2))) {
      m.update(u32(1), u64(1));
      SyscallException exists = assertThrows(SyscallException.class, () -> m.update(u32(1), u64(2), UpdateFlag.NOEXIST));
      assertEquals("update map small: key already exists (NOEXIST): file exists (EEXIST)", exists.getMessage());
      SyscallException missing = assertThrows(SyscallException.class, () -> m.update(u32(9), u64(2), UpdateFlag.EXIST));
      assertEquals("update map small: key does not exist (EXIST): no such file or directory (ENOENT)", missing.getMessage());
      m.update(u32(2), u64(2));
      SyscallException full = assertThrows(SyscallException.class, () -> m.update(u32(3), u64(3)));
      assertEquals("update map small: the map is full (max_entries 2): argument list too long (E2BIG)", full.getMessage());
      assertEquals(Errno.E2BIG, full.errno());
    }
  }

  @Test void arrayMap() {
    try (BpfMap m = BpfMap.create(new MapSpec("arr", MapType.ARRAY, 4, 8, 4))) {
      assertEquals(0, u64(m.lookup(u32(3)), 0), "array entries exist from the start, zeroed");
      m.update(u32(3), u64(33));
      assertEquals(33, u64(m.lookup(u32(3)), 0));
      assertNull(m.lookup(u32(4)));
      SyscallException range = assertThrows(SyscallException.class, () -> m.update(u32(4), u64(1)));
      assertEquals("update map arr: index out of range (max_entries 4): argument list too long (E2BIG)", range.getMessage());
      SyscallException delete = assertThrows(SyscallException.class, () -> m.delete(u32(0)));
      assertEquals("delete from map arr: array maps cannot delete entries: invalid argument (EINVAL)", delete.getMessage());
      m.clear();
      assertEquals(0, u64(m.lookup(u32(3)), 0));
    }
  }

  @Test void perCpuMapsHoldOneValuePerPossibleCpu() {
    int cpus = Cpus.possibleCount();
    for (MapType type : List.of(MapType.PERCPU_HASH, MapType.PERCPU_ARRAY)) {
      try (BpfMap m = BpfMap.create(new MapSpec("pcpu", type, 4, 4, 8))) {
        assertEquals(cpus, m.cpus());
        assertEquals(8, m.valueStride(), "4-byte values are padded to 8 per CPU");
        byte[][] values = new byte[cpus][];
        for (int c = 0; c < cpus; c++) values[c] = u32(10 + c);
        m.updatePerCpu(u32(1), values, UpdateFlag.ANY);
        byte[][] back = m.lookupPerCpu(u32(1));
        for (int c = 0; c < cpus; c++) assertArrayEquals(values[c], back[c], type + " cpu " + c);
        m.update(u32(2), u32(7));
        for (byte[] v : m.lookupPerCpu(u32(2))) assertArrayEquals(u32(7), v, "one value stored on every CPU");
        assertThrows(IllegalArgumentException.class, () -> m.update(u32(3), new byte[5]));
      }
    }
  }

  @Test void forEachReadsEveryEntryInBatches() {
    try (BpfMap m = BpfMap.create(new MapSpec("many", MapType.HASH, 8, 8, 5000))) {
      for (int i = 0; i < 3000; i++) m.update(u64(i), u64(i * 2L));
      Map<Long, Long> seen = new HashMap<>();
      int n = m.forEach((k, v) -> seen.put(k.get(JAVA_LONG, 0), v.get(JAVA_LONG, 0)));
      assertEquals(3000, n);
      assertEquals(Boolean.TRUE, m.batchWorks(), "Linux 5.6+ reads hash maps in batches");
      assertEquals(3000, seen.size());
      for (long i = 0; i < 3000; i++) assertEquals(i * 2, seen.get(i));
      assertEquals(3000, m.entries().size());
    }
  }

  @Test void withoutBatchCommandsMapsAreWalkedKeyByKey() {
    try (BpfMap trie = BpfMap.create(new MapSpec("trie", MapType.LPM_TRIE, 8, 8, 16, MapSpec.NO_PREALLOC));
         BpfMap pcpu = BpfMap.create(new MapSpec("pcpu", MapType.PERCPU_HASH, 4, 8, 16))) {
      trie.walkKeyByKey();
      pcpu.walkKeyByKey();
      for (int i = 0; i < 10; i++) {
        trie.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(32).putInt(i).array(), u64(i));
        pcpu.update(u32(i), u64(i));
      }
      long[] sum = {0};
      assertEquals(10, trie.forEach((k, v) -> sum[0] += v.get(JAVA_LONG, 0)));
      assertEquals(45, sum[0]);
      // the same value went to every CPU: read the last CPU's
      assertEquals(10, pcpu.forEach((k, v) -> sum[0] += v.get(JAVA_LONG, (long) (pcpu.cpus() - 1) * pcpu.valueStride())));
      assertEquals(90, sum[0]);
      assertEquals(10, trie.drain((k, v) -> {}));
      assertNull(trie.nextKey(null));
      assertEquals(Boolean.FALSE, trie.batchWorks());
    }
  }

  @Test void forEachOverPerCpuArraySumsCpus() {
    try (BpfMap m = BpfMap.create(new MapSpec("sums", MapType.PERCPU_ARRAY, 4, 8, 100))) {
      m.update(u32(42), u64(5));
      long[] total = {0};
      int n = m.forEach((k, v) -> {
        if (k.get(JAVA_INT, 0) == 42) for (int c = 0; c < m.cpus(); c++) total[0] += v.get(JAVA_LONG, (long) c * m.valueStride());
      });
      assertEquals(100, n);
      assertEquals(5L * m.cpus(), total[0]);
    }
  }

  @Test void drainEmptiesHashMapsAndZeroesArrays() {
    try (BpfMap h = BpfMap.create(new MapSpec("drain_h", MapType.HASH, 4, 8, 600));
         BpfMap a = BpfMap.create(new MapSpec("drain_a", MapType.ARRAY, 4, 8, 3))) {
      for (int i = 0; i < 500; i++) h.update(u32(i), u64(i));
      long[] sum = {0};
      assertEquals(500, h.drain((k, v) -> sum[0] += v.get(JAVA_LONG, 0)));
      assertEquals(499L * 500 / 2, sum[0]);
      assertNull(h.nextKey(null));
      a.update(u32(1), u64(9));
      assertEquals(3, a.drain((k, v) -> {}));
      assertEquals(0, u64(a.lookup(u32(1)), 0));
    }
  }

  @Test void clearDeletesEverything() {
    try (BpfMap h = BpfMap.create(new MapSpec("clear_h", MapType.HASH, 4, 4, 64))) {
      for (int i = 0; i < 50; i++) h.update(u32(i), u32(i));
      h.clear();
      assertNull(h.nextKey(null));
    }
  }

  @Test void segmentsGoToTheKernelDirectly() {
    try (BpfMap m = BpfMap.create(new MapSpec("seg", MapType.HASH, 8, 16, 4)); Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(8), value = arena.allocate(16);
      key.set(JAVA_LONG, 0, 7);
      value.set(JAVA_LONG, 8, 77);
      m.update(key, value, UpdateFlag.ANY);
      MemorySegment back = arena.allocate(16);
      assertTrue(m.lookup(key, back));
      assertEquals(77, back.get(JAVA_LONG, 8));
      MemorySegment heapKey = MemorySegment.ofArray(u64(7));
      MemorySegment heapValue = MemorySegment.ofArray(new byte[16]);
      assertTrue(m.lookup(heapKey, heapValue), "heap segments are copied through native memory");
      assertEquals(77, heapValue.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8));
      MemorySegment next = arena.allocate(8);
      assertTrue(m.nextKey(null, next));
      assertEquals(7, next.get(JAVA_LONG, 0));
      assertFalse(m.nextKey(next, arena.allocate(8)));
      assertTrue(m.delete(key));
    }
  }

  @Test void cursorWalksWithoutAllocating() {
    try (BpfMap m = BpfMap.create(new MapSpec("cur", MapType.HASH, 4, 8, 100))) {
      for (int i = 0; i < 100; i++) m.update(u32(i), u64(1));
      long total = 0;
      int keys = 0;
      try (MapCursor c = m.cursor()) {
        for (boolean more = c.first(); more; more = c.next()) {
          keys++;
          if (c.lookup()) total += c.value().get(JAVA_LONG, 0);
        }
        c.key().set(JAVA_INT, 0, 5);
        c.value().set(JAVA_LONG, 0, 55);
        c.update(UpdateFlag.EXIST);
        assertTrue(c.delete());
      }
      assertEquals(100, keys);
      assertEquals(100, total);
      assertNull(m.lookup(u32(5)));
    }
  }

  @Test void infoAndOpenById() {
    try (BpfMap m = BpfMap.create(new MapSpec("@with:odd-name!", MapType.LRU_HASH, 4, 8, 32))) {
      MapInfo info = m.info();
      assertEquals("_with_odd_name_", info.name(), "the kernel allows letters, digits, _ and . only");
      assertEquals("lru_hash", info.type());
      assertEquals(32, info.maxEntries());
      assertTrue(BpfMap.loaded().stream().anyMatch(i -> i.id() == info.id()));
      m.update(u32(1), u64(11));
      try (BpfMap again = BpfMap.open(info.id())) {
        assertEquals(MapType.LRU_HASH, again.type());
        assertEquals(11, u64(again.lookup(u32(1)), 0));
      }
    }
  }

  @Test void ringBufferSizeMustBeAPowerOfTwoPages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfMap.create(MapSpec.ringBuffer("rb", 12288)));
    assertEquals("ring buffer rb must be a power of two and a multiple of 4096 bytes, not 12288", e.getMessage());
  }

  @Test void kernelRefusalNamesTheMap() {
    SyscallException e = assertThrows(SyscallException.class, () -> BpfMap.create(new MapSpec("nokey", MapType.HASH, 0, 8, 4)));
    assertEquals("create map nokey (hash): invalid argument (EINVAL)", e.getMessage());
  }
}
