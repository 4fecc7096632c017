package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map functions, map sizing and the switches that shape output, through the real command line. Expected texts
 * for what bpftrace 0.17 has are what it printed; {@code has_key()}, {@code len()} and the full-map report follow
 * later bpftrace.
 */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class MapFunctionsKernelTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** {@return what jbpf prints on stdout for {@code args}, which must exit by themselves with code 0} */
  private static String run(Map<String, String> env, String... args) throws Exception {
    try (JbpfProcess jbpf = JbpfProcess.start(env, args)) {
      assertEquals(0, jbpf.waitFor(EXIT), () -> "exit code; stderr:\n" + jbpf.stderr());
      assertEquals("", jbpf.stderr());
      return jbpf.stdout();
    }
  }

  private static String run(String... args) throws Exception { return run(Map.of(), args); }

  @Test
  void printWithTopAndDivClearZeroAndDelete() throws Exception {
    assertEquals("""
        Attaching 1 probe...
        @c[2]: 2
        @c[3]: 3
        @c[1]: 0
        @c[2]: 1
        @c[3]: 1
        @s[c]: 3
        @h[2]:\s
        [8, 16)                2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

        @v[2, y]: 7
        @v[2, y]: 7

        @s[a]: 0
        @s[b]: 0
        @s[c]: 0
        --



        @h[1]:\s
        [512, 1K)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

        @h[2]:\s
        [8, 16)                2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

        @s[a]: 0
        @s[b]: 0
        @s[c]: 0
        @v[2, y]: 7
        """, run("-e", """
        BEGIN {
          @c[1] = count(); @c[2] = count(); @c[2] = count(); @c[3] = count(); @c[3] = count(); @c[3] = count();
          @s["a"] = sum(1000); @s["b"] = sum(-2000); @s["c"] = sum(3000);
          @h[1] = hist(1000); @h[2] = hist(10); @h[2] = hist(10);
          @v[1, "x"] = 5; @v[2, "y"] = 7;
          print(@c, 2); print(@c, 0, 2); print(@s, 1, 1000); print(@h, 1); print(@v);
          delete(@v[1, "x"]); print(@v);
          clear(@c); print(@c);
          zero(@s); print(@s);
          printf("--\\n");
          exit();
        }"""));
  }

  @Test
  void hasKeyLenAndReadsOfAggregations() throws Exception {
    assertEquals("""
        Attaching 1 probe...
        has 1 0, len 2 1 1
        count 2, keyed 1, sum -10, min -3, max -2, avg -2, absent 0
        after delete: has 0, len 1


        @a: -2

        @c: 0
        @h[2]:\s
        [4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

        @k[5]: 1
        @m[2]: 2
        @mn: -3
        @mx[1]: -2
        @s[1]: -10
        """, run("-e", """
        BEGIN {
          @m[1] = 1; @m[2] = 2; @c = count(); @c = count(); @k[5] = count(); @s[1] = sum(-4); @s[1] = sum(-6);
          @mn = min(-3); @mn = min(7); @mx[1] = max(-9); @mx[1] = max(-2); @a = avg(-7); @a = avg(2);
          printf("has %d %d, len %d %d %d\\n", has_key(@m, 1), has_key(@m, 3), len(@m), len(@c), len(@k));
          printf("count %d, keyed %d, sum %d, min %d, max %d, avg %d, absent %d\\n", @c, @k[5], @s[1], @mn, @mx[1], @a, @k[9]);
          @h[1] = hist(5); @h[2] = hist(6); @h[1] = hist(100);
          delete(@h[1]); delete(@m, 1); delete(@c);
          printf("after delete: has %d, len %d\\n", has_key(@m, 1), len(@m));
          exit();
        }"""));
  }

  @Test
  void aCountReadInAProgramAddsUpEveryCpu() throws Exception {
    Path spread = Workloads.build("spread", dir, "spread");
    Process workload = new ProcessBuilder(spread.toString(), "1000").start();
    try {
      BufferedReader wout = new BufferedReader(new InputStreamReader(workload.getInputStream()));
      assertEquals("ready", wout.readLine());
      try (JbpfProcess jbpf = JbpfProcess.start("-e", """
          tracepoint:syscalls:sys_enter_getppid /pid == $1/ { @n = count(); @k[comm] = count(); @s = sum(2); }
          tracepoint:sched:sched_process_exit /pid == $1/ { printf("%d %d %d\\n", @n, @k["spread"], @s); clear(@n); clear(@k); clear(@s); exit(); }
          """, Long.toString(workload.pid()))) {
        jbpf.awaitAttached();
        new ProcessBuilder("kill", "-USR1", Long.toString(workload.pid())).inheritIO().start().waitFor();
        String cpus = wout.readLine();
        assertEquals(0, workload.waitFor());
        assertEquals(0, jbpf.waitFor(EXIT), () -> jbpf.stderr());
        long n = 1000L * Integer.parseInt(cpus);
        // cleared: @k (keys) and @s (no keys) print as empty maps, a line break; @n, a count without keys, as 0
        assertEquals("Attaching 2 probes...\n" + n + " " + n + " " + 2 * n + "\n\n\n\n@n: 0\n\n",
            jbpf.stdout());
      }
    } finally {
      workload.destroyForcibly();
    }
  }

  @Test
  void aFullMapIsReportedOnceWithTheFailingStatement() throws Exception {
    String script = "BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; @x[4] = 4; @c[1] = count(); @c[2] = count(); @c[3] = count(); exit(); }";
    assertEquals("""
        Attaching 1 probe...
        stdin:1:31-40: WARNING: Map full; can't update element. Try increasing max_map_keys config
        Additional Info - helper: map_update_elem, retcode: -7
        BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; @x[4] = 4; @c[1] = count(); @c[2] = count(); @c[3] = count(); exit(); }
                                      ~~~~~~~~~
        stdin:1:87-102: WARNING: Map full; can't update element. Try increasing max_map_keys config
        Additional Info - helper: map_update_elem, retcode: -7
        BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; @x[4] = 4; @c[1] = count(); @c[2] = count(); @c[3] = count(); exit(); }
                                                                                              ~~~~~~~~~~~~~~~


        @c[1]: 1
        @c[2]: 1
        @x[1]: 1
        @x[2]: 2
        """, run(Map.of("BPFTRACE_MAP_KEYS_MAX", "2"), "-e", script));
    assertEquals("""
        {"type": "attached_probes", "data": {"probes": 1}}
        {"type": "helper_error", "msg": "Map full; can't update element. Try increasing max_map_keys config", "helper": "map_update_elem", "retcode": -7, "line": 1, "col": 31}
        {"type": "helper_error", "msg": "Map full; can't update element. Try increasing max_map_keys config", "helper": "map_update_elem", "retcode": -7, "line": 1, "col": 87}


        {"type": "map", "data": {"@c": {"1": 1, "2": 1}}}
        {"type": "map", "data": {"@x": {"1": 1, "2": 2}}}
        """, run(Map.of("BPFTRACE_MAP_KEYS_MAX", "2"), "-f", "json", "-e", script));
  }

  @Test
  void theConfigBlockSizesMapsAndTurnsOffPrintingAtExitButTheEnvironmentWins() throws Exception {
    String script = "config = { max_map_keys = 2; print_maps_on_exit = false } BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; "
        + "printf(\"%d\\n\", len(@x)); exit(); }";
    int at = script.indexOf("@x[3] = 3");
    assertEquals("2\n"
        + "stdin:1:" + (at + 1) + "-" + (at + 10) + ": WARNING: Map full; can't update element. Try increasing max_map_keys config\n"
        + "Additional Info - helper: map_update_elem, retcode: -7\n"
        + script + "\n" + " ".repeat(at) + "~".repeat(9) + "\n\n\n", run("-q", "-e", script));
    assertEquals("3\n\n\n", run(Map.of("BPFTRACE_MAX_MAP_KEYS", "10"), "-q", "-e", script));
  }

  @Test
  void outputGoesToTheFileAsBpftraceWritesIt() throws Exception {
    Path file = dir.resolve("out.txt");
    assertEquals("\n\n", run("-o", file.toString(), "-e", "BEGIN { printf(\"hi\\n\"); @x = 1; exit(); }"));
    assertEquals("Attaching 1 probe...\nhi\n@x: 1\n", Files.readString(file));
  }

  @Test
  void everyBufferModeWritesEverything() throws Exception {
    for (String mode : new String[] {"none", "line", "full"}) {
      assertEquals("Attaching 1 probe...\nno newline, then one\n\n\n@x: 1\n",
          run("-B", mode, "-e", "BEGIN { printf(\"no newline, \"); printf(\"then one\\n\"); @x = 1; exit(); }"), mode);
    }
  }
}
