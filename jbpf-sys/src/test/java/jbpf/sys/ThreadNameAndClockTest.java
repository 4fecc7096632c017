package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code prctl(PR_SET_NAME)} and {@code clock_gettime}: no privilege needed. */
class ThreadNameAndClockTest {
  @Test
  void namesTheCallingThreadOnly() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Thread t = new Thread(() -> {
      Sys.setThreadName("jbpf-a-very-long-name");
      try {
        seen.set(Files.readString(Path.of("/proc/self/task/" + Sys.gettid() + "/comm")).strip());
      } catch (java.io.IOException e) {
        seen.set(e.toString());
      }
    });
    t.start();
    t.join();
    assertEquals("jbpf-a-very-lon", seen.get(), "the kernel keeps 15 bytes");
    assertTrue(!Files.readString(Path.of("/proc/self/task/" + Sys.gettid() + "/comm")).startsWith("jbpf"), "this thread keeps its name");
  }

  @Test
  void readsClocks() {
    long before = System.nanoTime();
    long mono = Sys.clockGettime(Sys.CLOCK_MONOTONIC);
    long after = System.nanoTime();
    // HotSpot's nanoTime is CLOCK_MONOTONIC on Linux.
    assertTrue(before <= mono && mono <= after, before + " <= " + mono + " <= " + after);
    assertTrue(Sys.clockGettime(Sys.CLOCK_BOOTTIME) >= mono);
    long real = Sys.clockGettime(Sys.CLOCK_REALTIME);
    assertTrue(Math.abs(real / 1_000_000 - System.currentTimeMillis()) < 1000);
    assertThrows(SyscallException.class, () -> Sys.clockGettime(4242));
  }
}
