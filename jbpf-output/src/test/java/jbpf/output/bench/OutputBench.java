package jbpf.output.bench;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import jbpf.output.MapDump;
import jbpf.output.Output;
import jbpf.output.PrintfFormat;
import jbpf.output.Strftime;
import jbpf.output.Value;

/**
 * Throughput of the formatters, for {@code dev/bench-output}: printf events per second in text and JSON (the
 * runtime's hot path), and the time to print large maps. Output goes to a stream that discards it; each figure is
 * the median of several timed rounds after warm-up, in CPU time of the benchmark thread, so that other load on a
 * shared machine disturbs it less than wall time would.
 */
public final class OutputBench {
  private OutputBench() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Counts bytes and drops them. */
  private static final class Sink extends OutputStream {
    long bytes;

    @Override public void write(int b) { bytes++; }

    @Override public void write(byte[] b, int off, int len) { bytes += len; }
  }

  public static void main(String[] args) {
    Sink sink = new Sink();
    printfRate("printf text %s %d %lu %x", Output.text(sink), sink);
    printfRate("printf json %s %d %lu %x", Output.json(sink), sink);
    strftimeRate();
    mapTime("print 100000-entry count map", 100_000, Output.text(sink));
    mapTime("print 1000 hist maps entries", 1_000, Output.text(sink));
    System.out.printf(Locale.ROOT, "(%d bytes written in all)%n", sink.bytes);
  }

  private static void printfRate(String name, Output out, Sink sink) {
    PrintfFormat format = PrintfFormat.parse("%-16s pid=%d ts=%lu flags=%x\n");
    Value[] comms = {Value.str("bash"), Value.str("systemd-journal"), Value.str("kworker/0:1")};
    LongConsumer round = n -> {
      for (long k = 0; k < n; k++) {
        out.printf(format, List.of(comms[(int) (k % 3)], Value.int64(k & 0xffff), Value.uint64(k * 1_000_003L),
            Value.int64(k & 0x7ff)));
      }
    };
    long n = 2_000_000;
    double[] rates = measure(round, n, 7);
    System.out.printf(Locale.ROOT, "%-40s %8.2f M events per CPU second (median of %d, min %.2f, max %.2f)%n", name,
        median(rates) / 1e6, rates.length, min(rates) / 1e6, max(rates) / 1e6);
  }

  private static void strftimeRate() {
    java.time.ZoneId zone = java.time.ZoneId.of("Europe/Berlin");
    long[] sink = new long[1];
    LongConsumer round = n -> {
      for (long k = 0; k < n; k++) {
        sink[0] += Strftime.strftime("%H:%M:%S.%f", 1_700_000_000_000_000_000L + k * 1_000_003L, zone).orElseThrow().length();
      }
    };
    double[] rates = measure(round, 500_000, 7);
    System.out.printf(Locale.ROOT, "%-40s %8.2f M calls per CPU second (median of %d)%n", "strftime %H:%M:%S.%f",
        median(rates) / 1e6, rates.length);
  }

  private static void mapTime(String name, int entries, Output out) {
    List<MapDump.Entry> list = new ArrayList<>();
    boolean hist = name.contains("hist");
    for (int k = 0; k < entries; k++) {
      Value v;
      if (hist) {
        long[] b = new long[65];
        for (int j = 0; j < 20; j++) b[j + 5] = (k * 31L + j * 7) % 1000;
        v = new Value.Hist(0, b);
      } else {
        v = new Value.Count((k * 2654435761L) % 1_000_000);
      }
      list.add(MapDump.entry(List.of(Value.int64(k), Value.str("comm" + (k % 100))), v));
    }
    MapDump map = MapDump.keyed("@m", list);
    LongConsumer round = n -> {
      for (long k = 0; k < n; k++) out.map(map);
    };
    double[] rates = measure(round, 5, 7);
    System.out.printf(Locale.ROOT, "%-40s %8.2f CPU ms per print (median of %d)%n", name, 1e3 / median(rates),
        rates.length);
  }

  /** {@return operations per second of {@code rounds} timed rounds of {@code n}, after as many warm-up rounds} */
  private static double[] measure(LongConsumer round, long n, int rounds) {
    for (int k = 0; k < rounds; k++) round.accept(n);
    double[] rates = new double[rounds];
    for (int k = 0; k < rounds; k++) {
      long t0 = THREADS.getCurrentThreadCpuTime();
      round.accept(n);
      rates[k] = n / ((THREADS.getCurrentThreadCpuTime() - t0) / 1e9);
    }
    return rates;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double min(double[] v) { return java.util.Arrays.stream(v).min().orElseThrow(); }

  private static double max(double[] v) { return java.util.Arrays.stream(v).max().orElseThrow(); }
}
