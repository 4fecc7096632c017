package jbpf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link VmBench} in rounds and prints the table of the README: on a machine whose load changes from second to
 * second, the benchmarks of one round run close together, so ratios are taken within a round, and each figure is the
 * best iteration (load only ever adds time) of each round, summarised over the rounds.
 *
 * <p>Before each round it waits, up to {@code WAIT} seconds, for a second in which the other processes keep less than a
 * quarter of one CPU busy ({@code /proc/stat}), and it reports the load average around each round.
 *
 * <pre>java -cp jbpf-bench/target/benchmarks.jar jbpf.bench.VmBenchTable [ROUNDS [WAIT]]</pre>
 */
public final class VmBenchTable {
  private VmBenchTable() {}

  /** Instructions run by arith100.asm: 100 ALU instructions and the exit. */
  private static final int ARITH_INSNS = 101;

  private record Ratio(String name, String numerator, String denominator, double scale, String target) {}

  private static final List<Ratio> RATIOS = List.of(
      new Ratio("JIT filter_and7.asm / hand-written Java, event_true", "filterJitTrue", "handWrittenTrue", 1, "≤ 0.87 (uBPF JIT: 0.87)"),
      new Ratio("JIT filter_and7.asm / hand-written Java, event_false", "filterJitFalse", "handWrittenFalse", 1, "—"),
      new Ratio("EventFilter / JIT filter_and7.asm, event_true", "filterApiTrue", "filterJitTrue", 1, "≤ 1"),
      new Ratio("EventFilter / JIT filter_and7.asm, event_false", "filterApiFalse", "filterJitFalse", 1, "≤ 1"),
      new Ratio("EventFilter / hand-written Java, event_true", "filterApiTrue", "handWrittenTrue", 1, "≤ 0.87"),
      new Ratio("interpreter / JIT, filter_and7 event_true", "filterInterpTrue", "filterJitTrue", 1, "uBPF: 34.5"),
      new Ratio("interpreter / hand-written Java, filter_and7 event_true", "filterInterpTrue", "handWrittenTrue", 1, "uBPF: ≈ 30"),
      new Ratio("JIT arith100, ns per instruction", "arith100Jit", null, ARITH_INSNS, "≤ 0.35 (uBPF JIT: 0.17–0.34)"),
      new Ratio("interpreter arith100, ns per instruction", "arith100Interp", null, ARITH_INSNS, "< 6.5 (uBPF interpreter: 6.5–9)"));

  public static void main(String[] args) throws RunnerException, IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int wait = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Options options = new OptionsBuilder()
        .include(VmBench.class.getName() + "\\.")
        .forks(1).jvmArgsAppend("--sun-misc-unsafe-memory-access=allow")
        .warmupIterations(4).warmupTime(TimeValue.milliseconds(300))
        .measurementIterations(10).measurementTime(TimeValue.milliseconds(150))
        .verbosity(VerboseMode.SILENT).build();
    List<Map<String, Double>> best = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      waitForQuiet(wait);
      String before = load();
      Collection<RunResult> results = new Runner(options).run();
      loads.add(before + " → " + load());
      Map<String, Double> round = new TreeMap<>();
      for (RunResult result : results) {
        String name = result.getParams().getBenchmark();
        name = name.substring(name.lastIndexOf('.') + 1);
        double min = Double.MAX_VALUE;
        for (BenchmarkResult b : result.getBenchmarkResults()) {
          for (IterationResult i : b.getIterationResults()) min = Math.min(min, i.getPrimaryResult().getScore());
        }
        round.put(name, min);
      }
      best.add(round);
      System.err.println("round " + (r + 1) + " of " + rounds + ", load average " + loads.getLast() + ": " + round);
    }
    System.out.println("Load average (1, 5, 15 min) before → after each round: " + String.join("; ", loads));
    System.out.println();
    System.out.println("| benchmark | best (ns) | median of rounds (ns) |");
    System.out.println("|---|---|---|");
    Map<String, List<Double>> byName = new LinkedHashMap<>();
    for (Map<String, Double> round : best) round.forEach((k, v) -> byName.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    byName.forEach((k, v) -> System.out.printf("| %s | %.2f | %.2f |%n", k, v.stream().mapToDouble(d -> d).min().orElseThrow(), median(v)));
    System.out.println();
    System.out.println("| ratio | median of rounds | range | target / uBPF |");
    System.out.println("|---|---|---|---|");
    for (Ratio ratio : RATIOS) {
      List<Double> values = new ArrayList<>();
      for (Map<String, Double> round : best) {
        Double n = round.get(ratio.numerator());
        Double d = ratio.denominator() == null ? Double.valueOf(ratio.scale()) : round.get(ratio.denominator());
        if (n != null && d != null) values.add(n / d);
      }
      if (values.isEmpty()) continue;
      System.out.printf("| %s | %.2f | %.2f–%.2f | %s |%n", ratio.name(), median(values),
          values.stream().mapToDouble(x -> x).min().orElseThrow(), values.stream().mapToDouble(x -> x).max().orElseThrow(), ratio.target());
    }
  }

  /** Waits until the CPUs were busy less than a quarter of one CPU's time over one second, or {@code seconds} pass. */
  private static void waitForQuiet(int seconds) throws IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      long[] a = cpuTimes();
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long[] b = cpuTimes();
      long busy = b[0] - a[0], total = b[1] - a[1];
      int cpus = Runtime.getRuntime().availableProcessors();
      if (total > 0 && busy * cpus < total / 4) return;
    }
  }

  /** {@return the busy and total jiffies of all CPUs}, from the first line of {@code /proc/stat} */
  private static long[] cpuTimes() throws IOException {
    // cpu  user nice system idle iowait irq softirq steal ...
    String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
    long total = 0, idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
    return new long[] {total - idle, total};
  }

  private static String load() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
