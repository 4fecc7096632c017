package jbpf.cli;

import static jbpf.cli.TestPrograms.build;
import static jbpf.cli.TestPrograms.jbpf;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jbpf.cli.TestPrograms.Run;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfSymbol;
import jbpf.sys.BpfObjects;
import jbpf.sys.Capability;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing stays attached once jbpf is gone, however it ends: its BPF links and programs are released, the breakpoints
 * of its uprobes are taken out of the traced code, and USDT semaphores drop back to zero. jbpf runs as a separate
 * process here, so that it can be interrupted, terminated and killed.
 */
@RequiresKernel(caps = Capability.CAP_SYS_ADMIN, feature = Feature.UPROBES)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DetachKernelTest {
  private static final byte INT3 = (byte) 0xcc;

  /** The BPF links and programs a process holds, from {@code /proc/PID/fdinfo}. */
  private record Held(Set<Integer> links, Set<Integer> programs) {}

  private static Held held(long pid) throws IOException {
    Set<Integer> links = new HashSet<>(), programs = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        List<String> lines;
        try {
          lines = Files.readAllLines(fd);
        } catch (IOException e) {
          continue;
        }
        // link_type:	perf	/ link_id:	17	/ prog_id:	42 (a link's fdinfo names its program too)
        boolean link = lines.stream().anyMatch(l -> l.startsWith("link_id:"));
        for (String l : lines) {
          if (l.startsWith("link_id:")) links.add(Integer.parseInt(l.substring(8).strip()));
          else if (l.startsWith("prog_id:") && !link) programs.add(Integer.parseInt(l.substring(8).strip()));
        }
      }
    }
    return new Held(links, programs);
  }

  /** {@return the address of {@code symbol} in {@code exe}, built without PIE} */
  private static long address(Path exe, String symbol) throws IOException {
    try (ElfFile elf = ElfFile.open(exe)) {
      for (ElfSymbol s : elf.symbols()) if (s.name().equals(symbol)) return s.value();
    }
    throw new AssertionError("no symbol " + symbol + " in " + exe);
  }

  private static byte[] memory(long pid, long address, int n) throws IOException {
    try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
      mem.seek(address);
      byte[] b = new byte[n];
      mem.readFully(b);
      return b;
    }
  }

  /** A process of {@code calls} running until killed: add() and a USDT probe every 10 ms. */
  private static Process target(Path calls) throws IOException {
    Process p = new ProcessBuilder(calls.toString(), "-1", "10").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertTrue(line != null && line.startsWith("pid "), "calls printed " + line);
    return p;
  }

  /**
   * Starts jbpf as its own process, with the test's class path, and waits until its probes are attached (it says so
   * on standard error); {@code output} receives what it prints on standard output.
   */
  private static Process jbpfProcess(List<String> args, List<String> output) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "jbpf.cli.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put(JbpfProcess.ATTACHED, "1");
    Process p = pb.start();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) synchronized (output) { output.add(line); }
      } catch (IOException e) {
        // the process is gone
      }
    });
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    for (String line; (line = err.readLine()) != null; ) if (line.equals(JbpfProcess.ATTACHED)) break;
    Thread.ofPlatform().daemon().start(() -> {
      try {
        err.transferTo(java.io.Writer.nullWriter());
      } catch (IOException e) {
        // the process is gone
      }
    });
    return p;
  }

  private static void awaitGone(Held held, long pid, long addAddress, byte original, long semaphore) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String left = "";
    while (System.nanoTime() < deadline) {
      Set<Integer> links = new HashSet<>(held.links()), progs = new HashSet<>(held.programs());
      links.retainAll(BpfObjects.ids(BpfObjects.Kind.LINK));
      progs.retainAll(BpfObjects.ids(BpfObjects.Kind.PROGRAM));
      byte first = memory(pid, addAddress, 1)[0];
      byte[] sem = memory(pid, semaphore, 2);
      left = (links.isEmpty() ? "" : " links " + links) + (progs.isEmpty() ? "" : " programs " + progs)
          + (first == original ? "" : " the uprobe's breakpoint") + (sem[0] == 0 && sem[1] == 0 ? "" : " the semaphore's count");
      if (left.isEmpty()) return;
      Thread.sleep(20);
    }
    fail("still there 30 s after jbpf ended:" + left);
  }

  @ParameterizedTest(name = "{0}") @ValueSource(strings = {"INT", "TERM", "KILL"})
  void nothingStaysAttachedAfterASignal(String signal) throws Exception {
    Path calls = build("calls.c");
    long add = address(calls, "add"), semaphore = address(calls, "jbpftest_tick_semaphore");
    byte original;
    try (RandomAccessFile f = new RandomAccessFile(calls.toFile(), "r"); ElfFile elf = ElfFile.open(calls)) {
      f.seek(elf.fileOffset(add).orElseThrow());
      original = f.readByte();
    }
    assertNotEquals(INT3, original);
    Process target = target(calls);
    List<String> output = new ArrayList<>();
    Process j = jbpfProcess(List.of("-p", Long.toString(target.pid()), "-e", "uprobe:" + calls + ":add { @calls = count(); }"
        + " usdt:" + calls + ":jbpftest:tick { @ticks = count(); } tracepoint:syscalls:sys_enter_nanosleep /pid == " + target.pid()
        + "/ { @sleeps = count(); } profile:hz:99 { @samples = count(); }"), output);
    try {
      Held held = held(j.pid());
      assertFalse(held.links().isEmpty(), "jbpf holds no links: " + output);
      assertEquals(INT3, memory(target.pid(), add, 1)[0], "the uprobe is in the traced code");
      assertEquals(1, memory(target.pid(), semaphore, 2)[0], "the USDT semaphore counts the probe");
      Thread.sleep(200);
      new ProcessBuilder("kill", "-" + signal, Long.toString(j.pid())).start().waitFor();
      assertTrue(j.waitFor(30, TimeUnit.SECONDS), "jbpf did not end after SIG" + signal);
      if (!signal.equals("KILL")) {
        assertEquals(0, j.exitValue());
        Thread.sleep(100);
        synchronized (output) {
          assertTrue(output.stream().anyMatch(l -> l.startsWith("@calls: ")), "maps printed on SIG" + signal + ": " + output);
        }
      }
      awaitGone(held, target.pid(), add, original, semaphore);
    } finally {
      j.destroyForcibly();
      target.destroyForcibly();
    }
  }

  @Test
  void uprobesOfACommandThatExitedFirstAreGoneToo() throws Exception {
    Path calls = build("calls.c");
    long add = address(calls, "add"), semaphore = address(calls, "jbpftest_tick_semaphore");
    Run r = jbpf("-e", "uprobe:" + calls + ":add { @calls = count(); } usdt:" + calls + ":jbpftest:tick { @ticks = count(); }",
        "-c", calls + " 3");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("@calls: 3"), r::toString);
    // the same program, run again, is not probed: no breakpoint in its code, its semaphore is zero
    Process again = target(calls);
    try {
      assertNotEquals(INT3, memory(again.pid(), add, 1)[0]);
      assertArrayEquals(new byte[2], memory(again.pid(), semaphore, 2));
    } finally {
      again.destroyForcibly();
    }
    // a system-wide uprobe too: here it ends the script the first time the program runs
    java.util.concurrent.CompletableFuture<Run> wide = new java.util.concurrent.CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> wide.complete(jbpf("-e", "uprobe:" + calls + ":add { @calls = count(); exit(); }")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!wide.isDone() && System.nanoTime() < deadline) {
      new ProcessBuilder(calls.toString(), "1").redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      Thread.sleep(50);
    }
    Run w = wide.get(30, TimeUnit.SECONDS);
    assertEquals(0, w.code(), w::toString);
    assertTrue(w.out().matches("(?s).*@calls: \\d+.*"), w::toString);
    Process third = target(calls);
    try {
      assertNotEquals(INT3, memory(third.pid(), add, 1)[0]);
    } finally {
      third.destroyForcibly();
    }
  }
}
