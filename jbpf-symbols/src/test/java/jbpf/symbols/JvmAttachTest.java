package jbpf.symbols;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real JVM that spins in a method, makes it write its perf map, and names its JIT code. */
class JvmAttachTest {
  @TempDir Path tmp;
  private Process jvm;
  private Path perfMap;

  private Path socket;

  @AfterEach
  void stop() throws Exception {
    if (jvm != null) {
      jvm.descendants().forEach(ProcessHandle::destroy);
      jvm.destroy();                                    // SIGTERM: the JVM removes its attach socket on the way out
      if (!jvm.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) jvm.destroyForcibly().waitFor();
      Files.deleteIfExists(socket != null ? socket : Path.of("/tmp/.java_pid" + jvm.pid()));
    }
    if (perfMap != null) Files.deleteIfExists(perfMap);
  }

  @Test
  void namesJitCompiledJavaMethods() throws Exception {
    Files.writeString(tmp.resolve("Spin.java"), """
        public class Spin {
          static long work(long x) {
            long s = 0;
            for (int i = 0; i < 1000; i++) s += (x ^ i) * 31;
            return s;
          }
          public static void main(String[] a) {
            long t = 0;
            System.out.println("started");
            while (true) { t += work(t); if (t == 42) System.out.println(t); }
          }
        }
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    jvm = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-Xmx64m", "Spin.java").directory(tmp.toFile()).redirectErrorStream(true).start();
    assertEquals("started", new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream())).readLine());
    int pid = (int) jvm.pid();
    perfMap = Path.of("/tmp/perf-" + pid + ".map");
    Files.deleteIfExists(perfMap);

    UserSymbolizer s = UserSymbolizer.of(pid, new UserSymbolizer.Options(false, true));
    assertTrue(JvmAttach.isHotSpot(s.mappings()));
    // wait until work() is compiled; JDK 25 names it "long Spin.work(long)" in the perf map
    Optional<Symbol> work = Optional.empty();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (work.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      JvmAttach.writePerfMap(pid, Duration.ofSeconds(10));
      work = PerfMap.load(perfMap).symbols().stream().filter(x -> x.name().contains("Spin.work(long)")).findFirst();
    }
    assertTrue(work.isPresent(), "Spin.work was JIT-compiled and is in " + perfMap);
    Frame f = s.resolve(work.get().address() + 4);
    assertEquals(work.get().name(), f.symbol());
    assertEquals(4, f.offset());
    assertEquals(perfMap.toString(), f.module());
  }

  @Test
  void asksAJvmForItsPerfMapWhenAnAddressFallsIntoJitCode() throws Exception {
    Files.writeString(tmp.resolve("Idle.java"), """
        public class Idle {
          public static void main(String[] a) throws Exception { System.out.println("started"); Thread.sleep(120_000); }
        }
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    jvm = new ProcessBuilder(java.toString(), "-Xmx32m", "Idle.java").directory(tmp.toFile()).redirectErrorStream(true).start();
    assertEquals("started", new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream())).readLine());
    int pid = (int) jvm.pid();
    perfMap = Path.of("/tmp/perf-" + pid + ".map");
    Files.deleteIfExists(perfMap);
    UserSymbolizer s = UserSymbolizer.of(pid, new UserSymbolizer.Options(false, true));
    // the code cache is anonymous executable memory; its first entries (stubs, the interpreter) are in the map
    List<Mapping> code = s.mappings().stream().filter(m -> m.executable() && !m.isFile() && m.path().isEmpty()).toList();
    assertFalse(code.isEmpty(), "the JVM has anonymous executable memory");
    Frame named = null;
    for (Mapping m : code) {
      for (long a = m.start(); a < m.end() && named == null; a += 256) {
        Frame f = s.resolve(a);
        if (f.symbol() != null) named = f;
      }
      if (named != null) break;
    }
    assertTrue(Files.exists(perfMap), "the symbolizer asked the JVM to write " + perfMap);
    assertNotNull(named, "some address of the code cache is named from the perf map");
  }

  @Test
  void attachesToAJvmInItsOwnPidNamespace() throws Exception {
    Toolchain.require("unshare", "util-linux");
    Toolchain.requireRoot("creating a pid namespace");
    Files.writeString(tmp.resolve("Idle.java"), """
        public class Idle {
          public static void main(String[] a) throws Exception {
            System.out.println(ProcessHandle.current().pid());
            Thread.sleep(120_000);
          }
        }
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    jvm = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", java.toString(), "-Xmx32m", "Idle.java")
        .directory(tmp.toFile()).redirectErrorStream(true).start();
    String inside = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream())).readLine();
    assertEquals("1", inside, "the JVM is pid 1 of its namespace");
    // the JVM is the child of unshare; its pid here differs from its pid there
    int hostPid = (int) jvm.children().findFirst().orElseThrow().pid();
    assertEquals(1, Processes.namespacePid(hostPid));
    perfMap = Path.of("/tmp/perf-1.map");
    socket = Path.of("/tmp/.java_pid1");
    Files.deleteIfExists(perfMap);
    try {
      String version = JvmAttach.jcmd(hostPid, Duration.ofSeconds(10), "VM.version");
      assertTrue(version.contains("JDK"), version);
      assertEquals(Processes.root(hostPid).resolve("tmp/perf-1.map"), JvmAttach.writePerfMap(hostPid, Duration.ofSeconds(10)));
    } finally {
      jvm.descendants().forEach(ProcessHandle::destroy);
    }
  }
}
