package jbpf.lang.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The perf counters {@code software:} and {@code hardware:} probes name, with perf's names and bpftrace's aliases,
 * and how many events pass between samples when a probe gives no count. The numbers are those of
 * {@code include/uapi/linux/perf_event.h}: {@code perf_type_id}, {@code perf_sw_ids}, {@code perf_hw_id} and the
 * {@code perf_hw_cache_*} ids, which generalized cache events combine as {@code id | op << 8 | result << 16}.
 */
public final class PerfCounters {
  private PerfCounters() {}

  /** {@code PERF_TYPE_HARDWARE}, {@code PERF_TYPE_SOFTWARE}, {@code PERF_TYPE_HW_CACHE}. */
  public static final int HARDWARE = 0, SOFTWARE = 1, HW_CACHE = 3;

  /**
   * One counter.
   *
   * @param name perf's name, e.g. {@code context-switches}
   * @param aliases other names perf or bpftrace accept, e.g. {@code cs}
   * @param perfType {@link #HARDWARE}, {@link #SOFTWARE} or {@link #HW_CACHE}
   * @param config the counter's number within its type
   * @param defaultPeriod events between samples when the probe names no count
   */
  public record Counter(String name, List<String> aliases, int perfType, long config, long defaultPeriod) {
    public Counter { aliases = List.copyOf(aliases); }

    /** {@return whether the counter is one of the processor's, not the kernel's} */
    public boolean hardware() { return perfType != SOFTWARE; }
  }

  private static final List<Counter> SOFTWARE_COUNTERS = List.of(
      new Counter("cpu-clock", List.of("cpu"), SOFTWARE, 0, 1_000_000),
      new Counter("task-clock", List.of(), SOFTWARE, 1, 1),
      new Counter("page-faults", List.of("faults"), SOFTWARE, 2, 100),
      new Counter("context-switches", List.of("cs"), SOFTWARE, 3, 1_000),
      new Counter("cpu-migrations", List.of("migrations"), SOFTWARE, 4, 1),
      new Counter("minor-faults", List.of(), SOFTWARE, 5, 100),
      new Counter("major-faults", List.of(), SOFTWARE, 6, 1),
      new Counter("alignment-faults", List.of(), SOFTWARE, 7, 1),
      new Counter("emulation-faults", List.of(), SOFTWARE, 8, 1),
      new Counter("dummy", List.of(), SOFTWARE, 9, 1),
      new Counter("bpf-output", List.of(), SOFTWARE, 10, 1),
      new Counter("cgroup-switches", List.of(), SOFTWARE, 11, 1));

  private static final List<Counter> HARDWARE_COUNTERS = hardwareCounters();

  private static List<Counter> hardwareCounters() {
    List<Counter> out = new ArrayList<>(List.of(
        new Counter("cpu-cycles", List.of("cycles"), HARDWARE, 0, 1_000_000),
        new Counter("instructions", List.of(), HARDWARE, 1, 1_000_000),
        new Counter("cache-references", List.of(), HARDWARE, 2, 1_000_000),
        new Counter("cache-misses", List.of(), HARDWARE, 3, 1_000_000),
        new Counter("branch-instructions", List.of("branches"), HARDWARE, 4, 100_000),
        new Counter("branch-misses", List.of(), HARDWARE, 5, 100_000),
        new Counter("bus-cycles", List.of(), HARDWARE, 6, 100_000),
        new Counter("stalled-cycles-frontend", List.of("frontend-stalls", "idle-cycles-frontend"), HARDWARE, 7, 1_000_000),
        new Counter("stalled-cycles-backend", List.of("backend-stalls", "idle-cycles-backend"), HARDWARE, 8, 1_000_000),
        new Counter("ref-cycles", List.of(), HARDWARE, 9, 1_000_000)));
    // perf's generalized cache events: L1-dcache-loads, L1-dcache-load-misses, LLC-stores, dTLB-prefetch-misses...
    String[] caches = {"L1-dcache", "L1-icache", "LLC", "dTLB", "iTLB", "branch", "node"};
    String[][] ops = {{"load", "loads"}, {"store", "stores"}, {"prefetch", "prefetches"}};
    for (int c = 0; c < caches.length; c++) {
      for (int op = 0; op < ops.length; op++) {
        out.add(new Counter(caches[c] + "-" + ops[op][1], List.of(), HW_CACHE, c | (op << 8), 100_000));
        out.add(new Counter(caches[c] + "-" + ops[op][0] + "-misses", List.of(), HW_CACHE, c | (op << 8) | (1 << 16), 100_000));
      }
    }
    return List.copyOf(out);
  }

  /** {@return the counters of {@code software:} probes, in perf's order} */
  public static List<Counter> software() { return SOFTWARE_COUNTERS; }

  /** {@return the counters of {@code hardware:} probes, in perf's order} */
  public static List<Counter> hardware() { return HARDWARE_COUNTERS; }

  /** {@return the software ({@code hardware == false}) or hardware counter called {@code name} or an alias of it} */
  public static Optional<Counter> find(boolean hardware, String name) {
    for (Counter c : hardware ? HARDWARE_COUNTERS : SOFTWARE_COUNTERS) {
      if (c.name().equals(name) || c.aliases().contains(name)) return Optional.of(c);
    }
    // perf's cache names are case-sensitive only by convention: accept l1-dcache-loads too
    String lower = name.toLowerCase(Locale.ROOT);
    for (Counter c : hardware ? HARDWARE_COUNTERS : SOFTWARE_COUNTERS) {
      if (c.name().toLowerCase(Locale.ROOT).equals(lower)) return Optional.of(c);
    }
    return Optional.empty();
  }
}
