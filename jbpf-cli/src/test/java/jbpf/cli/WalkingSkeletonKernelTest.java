package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import jbpf.map.BpfMap;
import jbpf.perf.Tracefs;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-liner of the README, run as a user runs it, against a workload whose behaviour is known exactly. */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class WalkingSkeletonKernelTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void countsTheOpensOfAKnownProcessAndRunsEndOnInterrupt() throws Exception {
    Path target = Files.writeString(dir.resolve("target.txt"), "x");
    Path opener = Workloads.build("opener", dir, "jbpf_opener");
    Process workload = new ProcessBuilder(opener.toString(), target.toString(), "17").start();
    try (JbpfProcess jbpf = JbpfProcess.start("-e",
        "tracepoint:syscalls:sys_enter_openat /pid == $1/ { @opens[comm] = count(); } END { printf(\"bye\\n\"); }",
        Long.toString(workload.pid()))) {
      jbpf.awaitAttached();
      try (OutputStream in = workload.getOutputStream()) {
        in.write("go\n".getBytes());
      }
      assertEquals(0, workload.waitFor(), "workload exit code");
      jbpf.signal("INT");
      assertEquals(0, jbpf.waitFor(EXIT), () -> "exit code; stderr:\n" + jbpf.stderr());
      assertEquals("""
          Attaching 2 probes...
          bye


          @opens[jbpf_opener]: 17
          """, jbpf.stdout());
    }
  }

  @Test
  void exitInAnIntervalProbeEndsTheScript() throws Exception {
    try (JbpfProcess jbpf = JbpfProcess.start("-e",
        "BEGIN { @ticks = 0; } interval:ms:100 { @ticks++; printf(\"tick %d\\n\", @ticks); if (@ticks == 3) { exit(); } }")) {
      assertEquals(0, jbpf.waitFor(EXIT), () -> "stderr:\n" + jbpf.stderr());
      assertEquals("""
          Attaching 2 probes...
          tick 1
          tick 2
          tick 3


          @ticks: 3
          """, jbpf.stdout());
    }
  }

  @Test
  void beginRunsBeforeTheOtherProbesAreAttachedAndTheNoticeGoesToStandardError() throws Exception {
    // As bpftrace 0.17: BEGIN runs, then the other probes are attached, so an interval's first tick comes a whole
    // period after BEGIN; the notice for test harnesses comes once, on standard error, when all are attached.
    try (JbpfProcess jbpf = JbpfProcess.start("-e",
        "BEGIN { printf(\"begin\\n\"); @s = nsecs; } interval:ms:300 { printf(\"%d\\n\", nsecs - @s >= 300000000); delete(@s); exit(); }")) {
      assertEquals(0, jbpf.waitFor(EXIT), () -> "stderr:\n" + jbpf.stderr());
      assertEquals("""
          Attaching 2 probes...
          begin
          1



          """, jbpf.stdout());
      assertEquals("", jbpf.stderr());
      assertEquals(1, jbpf.attachedNotices());
    }
  }

  @Test
  void aMissingTracepointAmongSeveralAttachPointsIsSkippedWithAWarning() throws Exception {
    try (JbpfProcess jbpf = JbpfProcess.start("-e",
        "tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:nonsense { } interval:ms:100 { exit(); }")) {
      assertEquals(0, jbpf.waitFor(EXIT), () -> "stderr:\n" + jbpf.stderr());
      assertEquals("""
          stdin:1:39-67: WARNING: tracepoint not found: syscalls:nonsense
          tracepoint:syscalls:sys_enter_getppid,tracepoint:syscalls:nonsense { } interval:ms:100 { exit(); }
                                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          open(%s/events/syscalls/nonsense/id): No such file or directory
          """.formatted(Tracefs.get().root()), jbpf.stderr());
      assertEquals("Attaching 3 probes...\n\n\n", jbpf.stdout());
      assertEquals(1, jbpf.attachedNotices());
    }
  }

  @Test
  void sigtermEndsTheScriptLikeCtrlC() throws Exception {
    try (JbpfProcess jbpf = JbpfProcess.start("-e", "tracepoint:syscalls:sys_enter_getppid { @n = count(); } END { printf(\"end\\n\"); }")) {
      jbpf.awaitAttached();
      jbpf.signal("TERM");
      assertEquals(0, jbpf.waitFor(EXIT), () -> "stderr:\n" + jbpf.stderr());
      assertTrue(jbpf.stdout().contains("end\n"), jbpf.stdout());
    }
  }

  @Test
  void leavesNothingLoadedAfterSigkill() throws Exception {
    String map = String.format("k%010x", ThreadLocalRandom.current().nextLong(1L << 40));
    String kernelName = "AT_" + map;
    try (JbpfProcess jbpf = JbpfProcess.start("-e",
        "tracepoint:syscalls:sys_enter_getppid { @" + map + " = count(); } interval:ms:50 { @" + map + " = count(); }")) {
      jbpf.awaitAttached();
      assertTrue(loaded(kernelName), "map " + kernelName + " should be loaded while jbpf runs");
      jbpf.signal("KILL");
      jbpf.waitFor(EXIT);
    }
    // The kernel frees programs and maps once their last fd is gone; that can trail the process's death a little.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (loaded(kernelName) && System.nanoTime() < deadline) Thread.sleep(50);
    assertFalse(loaded(kernelName), "map " + kernelName + " still loaded after kill -9");
  }

  @Test
  void aBadScriptGetsADiagnosticAndExitCode1() throws Exception {
    try (JbpfProcess jbpf = JbpfProcess.start("-e", "tracepoint:syscalls:sys_enter_openat /pdi == 1/ { @[comm] = count(); }")) {
      assertEquals(1, jbpf.waitFor(EXIT));
      assertEquals("""
          stdin:1:39-42: ERROR: Unknown identifier: 'pdi'
          tracepoint:syscalls:sys_enter_openat /pdi == 1/ { @[comm] = count(); }
                                                ~~~
          """, jbpf.stderr());
      assertEquals("", jbpf.stdout());
    }
  }

  @Test
  void anUnprivilegedUserIsToldWhatIsMissing() throws Exception {
    // The unprivileged user cannot read root's Maven repository: give it a world-readable copy of the modules.
    Path mods = Files.createDirectories(dir.resolve("mods"));
    mods.toFile().setReadable(true, false);
    dir.toFile().setReadable(true, false);
    dir.toFile().setExecutable(true, false);
    mods.toFile().setExecutable(true, false);
    StringBuilder modulePath = new StringBuilder();
    int n = 0;
    String modular = System.getProperty("jdk.module.path");
    String entries = modular != null && !modular.isEmpty() ? modular : System.getProperty("java.class.path");
    for (String entry : entries.split(java.io.File.pathSeparator)) {
      Path from = Path.of(entry);
      Path to = mods.resolve((n++) + "-" + from.getFileName());
      if (Files.isDirectory(from)) copyTree(from, to);
      else Files.copy(from, to);
      modulePath.append(modulePath.isEmpty() ? "" : java.io.File.pathSeparator).append(to);
    }
    try (var walk = Files.walk(mods)) {
      walk.forEach(f -> { f.toFile().setReadable(true, false); if (Files.isDirectory(f)) f.toFile().setExecutable(true, false); });
    }
    List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
        ProcessHandle.current().info().command().orElseThrow()));
    if (modular != null && !modular.isEmpty()) cmd.addAll(List.of("--enable-native-access=jbpf.sys", "-p", modulePath.toString(), "-m", "jbpf.cli/jbpf.cli.Main"));
    else cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", modulePath.toString(), "jbpf.cli.Main"));
    cmd.addAll(List.of("-e", "BEGIN { exit(); }"));
    Process p = new ProcessBuilder(cmd).start();
    String err = new String(p.getErrorStream().readAllBytes());
    assertEquals(1, p.waitFor());
    assertEquals("""
        ERROR: loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has none of them.
        HINT: run jbpf as root, e.g. sudo jbpf -e '...'
        """, err);
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var walk = Files.walk(from)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(t);
        else Files.copy(f, t);
      }
    }
  }

  private static boolean loaded(String mapName) {
    return BpfMap.loaded().stream().anyMatch(m -> m.name().equals(mapName));
  }

}
