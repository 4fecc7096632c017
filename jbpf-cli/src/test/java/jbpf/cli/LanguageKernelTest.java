package jbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The language on real probes with a workload: this test starts short-lived processes while a script traces them,
 * and checks what the script saw against what the test knows.
 */
@RequiresKernel
class LanguageKernelTest {
  private static final ExecutorService TRACER = Executors.newSingleThreadExecutor();

  @AfterAll
  static void stop() { TRACER.shutdownNow(); }

  /**
   * Runs {@code script} until it exits, starting {@code workload} over and over meanwhile; the script gives up after
   * 10 seconds, so that a probe that never fires fails the test rather than hanging it.
   */
  private static SelfTestKernelTest.Run trace(String script, String... workload) throws Exception {
    String guarded = script + "\ninterval:s:10 { printf(\"gave up\\n\"); exit(); }\n";
    Future<SelfTestKernelTest.Run> run = TRACER.submit(() -> SelfTestKernelTest.run("-e", guarded));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!run.isDone() && System.nanoTime() < deadline) {
      new ProcessBuilder(workload).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      Thread.sleep(50);
    }
    return run.get(5, TimeUnit.SECONDS);
  }

  @Test
  void whileLoopAndParentOfAWorkloadProcess() throws Exception {
    SelfTestKernelTest.Run r = trace("""
        tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "sleep"/ {
          $i = 0; $sum = 0;
          while ($i < 10) { $sum += $i; $i++; }
          printf("%d %d %d\\n", $sum, curtask->parent->tgid, curtask->parent->pid);
          exit();
        }""", "sleep", "0.01");
    assertEquals(0, r.code(), r.err());
    String[] f = r.out().lines().filter(l -> !l.startsWith("Attaching")).findFirst().orElseThrow().split(" ");
    long jvm = ProcessHandle.current().pid();
    assertEquals("45", f[0], r.out());
    assertEquals(Long.toString(jvm), f[1], "the parent of sleep is this JVM");
    // the parent task is the JVM thread that started sleep
    assertTrue(Files.exists(Path.of("/proc/" + jvm + "/task/" + f[2])) || f[2].equals(Long.toString(jvm)), r.out());
  }

  @Test
  void tracepointStringFieldIsPrintedExactly() throws Exception {
    SelfTestKernelTest.Run r = trace("""
        tracepoint:sched:sched_process_exec /comm == "true"/ {
          printf("[%s] [%s]\\n", args->filename, comm);
          exit();
        }""", "/bin/true");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("[/bin/true] [true]\n"), r.out());
  }

  @Test
  void forLoopsAndFunctionsInAProbe() throws Exception {
    SelfTestKernelTest.Run r = trace("""
        fn twice($x: int64): int64 { return $x * 2; }
        tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "sleep"/ {
          @seen[pid] = 1;
          $n = 0;
          for ($kv : @seen) { $n++; }
          $s = 0;
          for ($i : 0..pid % 5 + 1) { $s += twice($i); }
          printf("%d %d\\n", $n >= 1, $s == (pid % 5) * (pid % 5 + 1));
          clear(@seen);
          exit();
        }""", "sleep", "0.01");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("1 1\n"), r.out());
  }

  @Test
  void eventsOfAPrintfArgumentComeBeforeThePrintf() {
    SelfTestKernelTest.Run r = SelfTestKernelTest.run("-e", """
        macro noisy(n) { $k = 0; while ($k < n) { $k++; } printf("macro %d\\n", $k); "m" }
        fn f($x: int64): int64 { printf("fn %d\\n", $x); return $x + 1; }
        BEGIN { printf("outer %s %d\\n", noisy(3), f(2)); print((noisy(1), f(5))); exit(); }""");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("macro 3\nfn 2\nouter m 3\nmacro 1\nfn 5\n(m, 6)\n"), r.out());
  }

  @Test
  void dryRunAttachesEveryProbeAndRunsNothing() {
    SelfTestKernelTest.Run r = SelfTestKernelTest.run("--dry-run", "-e",
        "BEGIN { printf(\"ran\\n\"); } tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } END { printf(\"ended\\n\"); }");
    assertEquals(0, r.code(), r.err());
    assertEquals("Attaching 3 probes...\n", r.out());
  }
}
