package jbpf.perf;

import java.util.Locale;
import java.util.Optional;
import jbpf.sys.Perf;

/** A software perf event ({@code PERF_TYPE_SOFTWARE}), with perf's and bpftrace's names for it. */
public enum SoftwareEvent {
  CPU_CLOCK(Perf.PERF_COUNT_SW_CPU_CLOCK, "cpu-clock", "cpu"),
  TASK_CLOCK(Perf.PERF_COUNT_SW_TASK_CLOCK, "task-clock", null),
  PAGE_FAULTS(Perf.PERF_COUNT_SW_PAGE_FAULTS, "page-faults", "faults"),
  CONTEXT_SWITCHES(Perf.PERF_COUNT_SW_CONTEXT_SWITCHES, "context-switches", "cs"),
  CPU_MIGRATIONS(Perf.PERF_COUNT_SW_CPU_MIGRATIONS, "cpu-migrations", null),
  MINOR_FAULTS(Perf.PERF_COUNT_SW_PAGE_FAULTS_MIN, "minor-faults", null),
  MAJOR_FAULTS(Perf.PERF_COUNT_SW_PAGE_FAULTS_MAJ, "major-faults", null),
  ALIGNMENT_FAULTS(Perf.PERF_COUNT_SW_ALIGNMENT_FAULTS, "alignment-faults", null),
  EMULATION_FAULTS(Perf.PERF_COUNT_SW_EMULATION_FAULTS, "emulation-faults", null),
  DUMMY(Perf.PERF_COUNT_SW_DUMMY, "dummy", null),
  BPF_OUTPUT(Perf.PERF_COUNT_SW_BPF_OUTPUT, "bpf-output", null);

  private final int config;
  private final String perfName;
  private final String alias;

  SoftwareEvent(int config, String perfName, String alias) {
    this.config = config;
    this.perfName = perfName;
    this.alias = alias;
  }

  /** {@return the {@code PERF_COUNT_SW_*} number} */
  public int config() { return config; }

  /** {@return perf's name, e.g. {@code cpu-clock}} */
  public String perfName() { return perfName; }

  /** {@return the event named {@code name} by perf or bpftrace ({@code cpu-clock}, {@code cpu}, {@code faults}, ...)} */
  public static Optional<SoftwareEvent> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (SoftwareEvent e : values()) if (e.perfName.equals(n) || n.equals(e.alias)) return Optional.of(e);
    return Optional.empty();
  }
}
