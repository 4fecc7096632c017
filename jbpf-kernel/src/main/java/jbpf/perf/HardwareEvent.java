package jbpf.perf;

import java.util.Locale;
import java.util.Optional;
import jbpf.sys.Perf;

/** A generalized hardware perf event ({@code PERF_TYPE_HARDWARE}), with perf's and bpftrace's names for it. */
public enum HardwareEvent {
  CPU_CYCLES(Perf.PERF_COUNT_HW_CPU_CYCLES, "cpu-cycles", "cycles"),
  INSTRUCTIONS(Perf.PERF_COUNT_HW_INSTRUCTIONS, "instructions", null),
  CACHE_REFERENCES(Perf.PERF_COUNT_HW_CACHE_REFERENCES, "cache-references", null),
  CACHE_MISSES(Perf.PERF_COUNT_HW_CACHE_MISSES, "cache-misses", null),
  BRANCH_INSTRUCTIONS(Perf.PERF_COUNT_HW_BRANCH_INSTRUCTIONS, "branch-instructions", "branches"),
  BRANCH_MISSES(Perf.PERF_COUNT_HW_BRANCH_MISSES, "branch-misses", null),
  BUS_CYCLES(Perf.PERF_COUNT_HW_BUS_CYCLES, "bus-cycles", null),
  STALLED_CYCLES_FRONTEND(Perf.PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, "stalled-cycles-frontend", "frontend-stalls"),
  STALLED_CYCLES_BACKEND(Perf.PERF_COUNT_HW_STALLED_CYCLES_BACKEND, "stalled-cycles-backend", "backend-stalls"),
  REF_CPU_CYCLES(Perf.PERF_COUNT_HW_REF_CPU_CYCLES, "ref-cycles", null);

  private final int config;
  private final String perfName;
  private final String alias;

  HardwareEvent(int config, String perfName, String alias) {
    this.config = config;
    this.perfName = perfName;
    this.alias = alias;
  }

  /** {@return the {@code PERF_COUNT_HW_*} number} */
  public int config() { return config; }

  /** {@return perf's name, e.g. {@code cpu-cycles}} */
  public String perfName() { return perfName; }

  /** {@return the event named {@code name} by perf or bpftrace ({@code cycles}, {@code branch-misses}, ...)} */
  public static Optional<HardwareEvent> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (HardwareEvent e : values()) if (e.perfName.equals(n) || n.equals(e.alias)) return Optional.of(e);
    return Optional.empty();
  }
}
