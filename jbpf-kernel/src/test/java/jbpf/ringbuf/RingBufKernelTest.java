package jbpf.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.perf.PerfEvent;
import jbpf.prog.BpfProgram;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramType;
import jbpf.sys.Feature;
import jbpf.sys.Sys;
import jbpf.testing.Programs;
import jbpf.testing.Workload;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class RingBufKernelTest {
  /** A ring, a sequence counter and a program on sys_enter_NAME that writes one record per call by this process. */
  private record Setup(BpfMap ring, BpfMap state, BpfProgram program, Link link) implements AutoCloseable {
    static Setup on(String syscall, boolean discardOdd) {
      BpfMap ring = BpfMap.create(MapSpec.ringBuffer("rb", 64 * 1024));
      BpfMap state = BpfMap.create(new MapSpec("state", MapType.ARRAY, 4, 8, 1));
      BpfProgram p = BpfProgram.load(Programs.sequence("seq_" + syscall, ProgramType.TRACEPOINT, Workload.pid(), "rb", discardOdd),
          Map.of("rb", ring, "state", state));
      return new Setup(ring, state, p, Link.perfEvent(p, PerfEvent.tracepoint("syscalls", "sys_enter_" + syscall), 0));
    }

    @Override public void close() {
      link.close();
      program.close();
      state.close();
      ring.close();
    }
  }

  private static long seq(MemorySegment record) { return record.get(JAVA_LONG, 0); }

  @Test void deliversEveryRecordInOrder() {
    try (Setup s = Setup.on("getpid", false); RingBuffer rb = RingBuffer.open(s.ring())) {
      Workload.getpid(1000);
      assertEquals(1000 * 24, rb.pending(), "16-byte records with 8-byte headers");
      List<Long> seqs = new ArrayList<>();
      int n = rb.consume(r -> {
        assertEquals(16, r.byteSize());
        assertTrue(r.isReadOnly());
        assertEquals((long) Workload.pid() << 32, r.get(JAVA_LONG, 8) & 0xffff_ffff_0000_0000L);
        seqs.add(seq(r));
      });
      assertEquals(1000, n);
      for (int i = 0; i < 1000; i++) assertEquals(i, seqs.get(i));
      assertEquals(0, rb.pending());
      assertEquals(0, rb.consume(r -> {}));
    }
  }

  @Test void wrapsAroundTheEndOfTheRing() {
    try (Setup s = Setup.on("getpid", false); RingBuffer rb = RingBuffer.open(s.ring())) {
      long[] next = {0};
      for (int round = 0; round < 10; round++) {
        Workload.getpid(1000); // 24 KB per round through a 64 KB ring
        rb.consume(r -> assertEquals(next[0]++, seq(r)));
      }
      assertEquals(10_000, next[0]);
    }
  }

  @Test void skipsDiscardedRecords() {
    try (Setup s = Setup.on("getpid", true); RingBuffer rb = RingBuffer.open(s.ring())) {
      Workload.getpid(100);
      List<Long> seqs = new ArrayList<>();
      assertEquals(50, rb.consume(r -> seqs.add(seq(r))));
      for (int i = 0; i < 50; i++) assertEquals(2L * i, seqs.get(i));
    }
  }

  @Test void pollTimesOutWhenNothingComes() {
    try (Setup s = Setup.on("getpid", false); RingBuffer rb = RingBuffer.open(s.ring())) {
      assertEquals(0, rb.poll(20, r -> {}));
    }
  }

  @Test void pollWakesWhenAProgramWrites() throws Exception {
    try (Setup s = Setup.on("getpid", false); RingBuffer rb = RingBuffer.open(s.ring())) {
      CompletableFuture<Integer> got = CompletableFuture.supplyAsync(() -> {
        int total = 0;
        while (total < 3) total += rb.poll(-1, r -> {});
        return total;
      });
      Workload.getpid(3);
      assertEquals(3, got.get(10, TimeUnit.SECONDS));
    }
  }

  @Test void wakeupInterruptsAPollFromAnotherThread() throws Exception {
    try (Setup s = Setup.on("getpid", false); RingBuffer rb = RingBuffer.open(s.ring())) {
      rb.poll(0, r -> {});
      CompletableFuture<Integer> polling = CompletableFuture.supplyAsync(() -> rb.poll(-1, r -> {}));
      assertFalse(polling.isDone());
      rb.wakeup();
      assertEquals(0, polling.get(10, TimeUnit.SECONDS));
    }
  }

  @Test void oneWaitServesSeveralRings() throws Exception {
    try (Setup pids = Setup.on("getpid", false); Setup tids = Setup.on("gettid", false);
         RingBuffer a = RingBuffer.open(pids.ring()); RingBuffer b = RingBuffer.open(tids.ring());
         RingBufferPoller poller = new RingBufferPoller()) {
      int[] counts = new int[2];
      poller.add(a, r -> counts[0]++);
      poller.add(b, r -> counts[1]++);
      Workload.getpid(3);
      for (int i = 0; i < 2; i++) Sys.gettid();
      int total = 0;
      while (total < 5) total += poller.poll(1000);
      assertEquals(3, counts[0]);
      assertEquals(2, counts[1]);
    }
  }

  @Test void closingThePollerReleasesAWaitingThread() throws Exception {
    try (Setup s = Setup.on("getpid", false); RingBuffer rb = RingBuffer.open(s.ring())) {
      RingBufferPoller poller = new RingBufferPoller();
      poller.add(rb, r -> {});
      java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
      CompletableFuture<Integer> polling = CompletableFuture.supplyAsync(() -> {
        started.countDown();
        return poller.poll(-1);
      });
      started.await();
      Thread.sleep(50);
      poller.close();
      // Usually the thread is waiting and returns 0; on a busy machine it may reach poll() after close().
      try {
        assertEquals(0, polling.get(10, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
      }
      assertThrows(IllegalStateException.class, () -> poller.poll(0));
    }
  }

  @Test void onlyRingBuffersOpen() {
    try (BpfMap hash = BpfMap.create(new MapSpec("h", MapType.HASH, 4, 4, 1))) {
      assertThrows(IllegalArgumentException.class, () -> RingBuffer.open(hash));
    }
  }
}
