package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** System calls that need no privileges. */
class SysTest {
  @Test void processAndThreadIds() {
    assertEquals(ProcessHandle.current().pid(), Sys.getpid());
    assertTrue(Sys.gettid() > 0);
    assertTrue(Sys.currentCpu() >= 0);
    assertEquals(4096, Sys.pageSize());
  }

  @Test void errnoIsCaptured() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      assertEquals(-1, Sys.close(state, 1_000_000));
      assertEquals(Errno.EBADF, Errno.from(state));
      SyscallException e = assertThrows(SyscallException.class, () -> Sys.check(Sys.close(state, 1_000_000), state, "close fd 1000000"));
      assertEquals("close fd 1000000: bad file descriptor (EBADF)", e.getMessage());
    }
  }

  @Test void eventfdWakesAnEpollWait() throws Exception {
    try (Epoll epoll = new Epoll(4); EventFd wake = new EventFd()) {
      epoll.add(wake.fd(), 77);
      assertEquals(0, epoll.await(0));
      CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> epoll.await(-1));
      wake.signal();
      assertEquals(1, waiting.get(10, TimeUnit.SECONDS));
      assertEquals(77, epoll.token(0));
      assertEquals(1, wake.drain());
      assertEquals(0, wake.drain());
      epoll.remove(wake.fd());
    }
  }

  @Test void fdClosesOnceAndSaysWhatItWas() {
    EventFd e = new EventFd();
    Fd fd = e.fd();
    assertTrue(fd.isOpen());
    assertEquals("eventfd", fd.what());
    e.close();
    e.close();
    assertFalse(fd.isOpen());
    IllegalStateException closed = assertThrows(IllegalStateException.class, fd::get);
    assertEquals("eventfd is closed", closed.getMessage());
  }

  @Test void forgottenFdsAreClosedByTheCleaner() throws Exception {
    int n = forget();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd/" + n)) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd/" + n)), "fd " + n + " was closed");
  }

  private static int forget() { return new EventFd().fd().get(); }

  @Test void handOffGivesTheHelperExactlyTheseFds() throws Exception {
    try (EventFd a = new EventFd(); EventFd b = new EventFd(); Arena arena = Arena.ofConfined()) {
      int pid = FdHandOff.handOff(java.util.List.of(a.fd(), b.fd()));
      try {
        java.util.Map<String, String> fds = new java.util.TreeMap<>();
        try (var dir = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/" + pid + "/fd"))) {
          for (var p : dir) fds.put(p.getFileName().toString(), java.nio.file.Files.readSymbolicLink(p).toString());
        }
        assertEquals(java.util.Map.of("0", "/dev/null", "1", "/dev/null", "2", "/dev/null", "3", "anon_inode:[eventfd]",
            "4", "anon_inode:[eventfd]"), fds);
      } finally {
        Sys.kill(Sys.callState(arena), pid, 9);
      }
    }
  }
}
