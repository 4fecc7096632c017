package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every aggregation computed in the kernel and printed through the real command line, for a workload whose reads
 * are known exactly: 1 byte 11 times, 10 bytes 7 times, 100 bytes 5 times, 1000 bytes 3 times and two failed reads
 * (-EBADF, -9). The expected text is what bpftrace 0.17 printed for the same script and workload.
 */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class AggregationsKernelTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  private static final String SCRIPT = """
      tracepoint:syscalls:sys_exit_read /pid == $1/ {
        @c = count(); @s = sum(args->ret); @mn = min(args->ret); @mx = max(args->ret); @a = avg(args->ret); @st = stats(args->ret);
        @h = hist(args->ret); @l = lhist(args->ret, 0, 1000, 100);
        @bysize[args->ret] = count(); @sk[comm] = sum(args->ret); @hk[comm, 1] = hist(args->ret);
      }
      tracepoint:sched:sched_process_exit /pid == $1/ { exit(); }
      """;

  @TempDir static Path dir;
  private static Path reader;
  private static Path data;

  @BeforeAll
  static void build() throws Exception {
    reader = Workloads.build("reader", dir, "reader");
    data = Files.write(dir.resolve("data.bin"), new byte[2000]);
  }

  /** Runs {@code script} with jbpf ({@code options} first) while the reader does its reads; {@return jbpf's stdout} */
  private static String traceReads(String script, String... options) throws Exception {
    Process workload = new ProcessBuilder(reader.toString(), data.toString()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(workload.getInputStream()));
      assertEquals("ready", out.readLine(), "workload did not start");
      List<String> args = new ArrayList<>(List.of(options));
      args.addAll(List.of("-e", script, Long.toString(workload.pid())));
      try (JbpfProcess jbpf = JbpfProcess.start(args.toArray(String[]::new))) {
        jbpf.awaitAttached();
        new ProcessBuilder("kill", "-USR1", Long.toString(workload.pid())).inheritIO().start().waitFor();
        assertEquals(0, workload.waitFor(), "workload exit code");
        assertEquals(0, jbpf.waitFor(EXIT), () -> "jbpf exit code; stderr:\n" + jbpf.stderr());
        assertEquals("", jbpf.stderr());
        return jbpf.stdout();
      }
    } finally {
      workload.destroyForcibly();
    }
  }

  @Test
  void everyAggregationPrintsAsBpftraceDoes() throws Exception {
    assertEquals("""
        Attaching 2 probes...


        @a: 127

        @bysize[-9]: 2
        @bysize[1000]: 3
        @bysize[100]: 5
        @bysize[10]: 7
        @bysize[1]: 11
        @c: 28
        @h:\s
        (..., 0)               2 |@@@@@@@@@                                           |
        [0]                    0 |                                                    |
        [1]                   11 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
        [2, 4)                 0 |                                                    |
        [4, 8)                 0 |                                                    |
        [8, 16)                7 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                   |
        [16, 32)               0 |                                                    |
        [32, 64)               0 |                                                    |
        [64, 128)              5 |@@@@@@@@@@@@@@@@@@@@@@@                             |
        [128, 256)             0 |                                                    |
        [256, 512)             0 |                                                    |
        [512, 1K)              3 |@@@@@@@@@@@@@@                                      |

        @hk[reader, 1]:\s
        (..., 0)               2 |@@@@@@@@@                                           |
        [0]                    0 |                                                    |
        [1]                   11 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
        [2, 4)                 0 |                                                    |
        [4, 8)                 0 |                                                    |
        [8, 16)                7 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                   |
        [16, 32)               0 |                                                    |
        [32, 64)               0 |                                                    |
        [64, 128)              5 |@@@@@@@@@@@@@@@@@@@@@@@                             |
        [128, 256)             0 |                                                    |
        [256, 512)             0 |                                                    |
        [512, 1K)              3 |@@@@@@@@@@@@@@                                      |

        @l:\s
        (..., 0)               2 |@@@@@                                               |
        [0, 100)              18 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
        [100, 200)             5 |@@@@@@@@@@@@@@                                      |
        [200, 300)             0 |                                                    |
        [300, 400)             0 |                                                    |
        [400, 500)             0 |                                                    |
        [500, 600)             0 |                                                    |
        [600, 700)             0 |                                                    |
        [700, 800)             0 |                                                    |
        [800, 900)             0 |                                                    |
        [900, 1000)            0 |                                                    |
        [1000, ...)            3 |@@@@@@@@                                            |

        @mn: -9
        @mx: 1000
        @s: 3563
        @sk[reader]: 3563
        @st: count 28, average 127, total 3563

        """, traceReads(SCRIPT));
  }

  @Test
  void jsonOutputParsesBackToTheSameFigures() throws Exception {
    List<Map<String, Object>> messages = new ArrayList<>();
    for (String line : traceReads(SCRIPT, "-f", "json").split("\n")) {
      if (line.isEmpty()) continue;
      @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) JsonParser.parse(line);
      assertEquals(List.of("type", "data"), List.copyOf(m.keySet()), line);
      messages.add(m);
    }
    assertEquals(Map.of("probes", n(2)), dataOf(messages, "attached_probes", null));
    assertEquals(n(127), dataOf(messages, "stats", "@a"));
    assertEquals(n(28), dataOf(messages, "map", "@c"));
    assertEquals(n(-9), dataOf(messages, "map", "@mn"));
    assertEquals(n(1000), dataOf(messages, "map", "@mx"));
    assertEquals(n(3563), dataOf(messages, "map", "@s"));
    assertEquals(Map.of("reader", n(3563)), dataOf(messages, "map", "@sk"));
    assertEquals(Map.of("-9", n(2), "1", n(11), "10", n(7), "100", n(5), "1000", n(3)), dataOf(messages, "map", "@bysize"));
    assertEquals(Map.of("count", n(28), "average", n(127), "total", n(3563)), dataOf(messages, "stats", "@st"));
    List<Map<String, Object>> hist = List.of(
        Map.of("max", n(-1), "count", n(2)), bucket(0, 0, 0), bucket(1, 1, 11), bucket(2, 3, 0), bucket(4, 7, 0),
        bucket(8, 15, 7), bucket(16, 31, 0), bucket(32, 63, 0), bucket(64, 127, 5), bucket(128, 255, 0),
        bucket(256, 511, 0), bucket(512, 1023, 3));
    assertEquals(hist, dataOf(messages, "hist", "@h"));
    assertEquals(Map.of("reader,1", hist), dataOf(messages, "hist", "@hk"));
    List<Map<String, Object>> lhist = new ArrayList<>(List.of(Map.of("max", n(-1), "count", n(2)), bucket(0, 99, 18), bucket(100, 199, 5)));
    for (int b = 200; b < 1000; b += 100) lhist.add(bucket(b, b + 99, 0));
    lhist.add(Map.of("min", n(1000), "count", n(3)));
    assertEquals(lhist, dataOf(messages, "hist", "@l"));
  }

  @Test
  void finerHistogramsSplitEachPowerOfTwo() throws Exception {
    String out = traceReads("tracepoint:syscalls:sys_exit_read /pid == $1/ { @h = hist(args->ret, 2); } "
        + "tracepoint:sched:sched_process_exit /pid == $1/ { exit(); }", "-f", "json");
    Object h = null;
    for (String line : out.split("\n")) {
      if (line.contains("\"hist\"")) h = ((Map<?, ?>) ((Map<?, ?>) JsonParser.parse(line)).get("data")).get("@h");
    }
    assertNotNull(h, out);
    List<Map<String, Object>> nonEmpty = new ArrayList<>();
    for (Object b : (List<?>) h) {
      @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) b;
      if (!m.get("count").equals(n(0))) nonEmpty.add(m);
    }
    // hist(v, 2): 1 is a bucket of its own; 10 is in [10, 12), 100 in [96, 112), 1000 in [896, 1024)
    assertEquals(List.of(Map.of("max", n(-1), "count", n(2)), bucket(1, 1, 11), bucket(10, 11, 7), bucket(96, 111, 5),
        bucket(896, 1023, 3)), nonEmpty);
  }

  private static BigDecimal n(long v) { return BigDecimal.valueOf(v); }

  private static Map<String, Object> bucket(long min, long max, long count) {
    return Map.of("min", n(min), "max", n(max), "count", n(count));
  }

  /** {@return the data of the message of {@code type} about map {@code name} (the whole data if null)} */
  private static Object dataOf(List<Map<String, Object>> messages, String type, String name) {
    for (Map<String, Object> m : messages) {
      if (!m.get("type").equals(type)) continue;
      Object data = m.get("data");
      if (name == null) return data;
      if (data instanceof Map<?, ?> d && d.containsKey(name)) return d.get(name);
    }
    throw new AssertionError("no " + type + " message" + (name == null ? "" : " for " + name) + " in " + messages);
  }
}
