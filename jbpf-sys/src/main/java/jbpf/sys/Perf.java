package jbpf.sys;

/** Constants of include/uapi/linux/perf_event.h and include/uapi/linux/hw_breakpoint.h, spelled as the kernel spells them. */
public final class Perf {
  private Perf() {}

  // enum perf_type_id
  public static final int PERF_TYPE_HARDWARE = 0;
  public static final int PERF_TYPE_SOFTWARE = 1;
  public static final int PERF_TYPE_TRACEPOINT = 2;
  public static final int PERF_TYPE_HW_CACHE = 3;
  public static final int PERF_TYPE_RAW = 4;
  public static final int PERF_TYPE_BREAKPOINT = 5;

  // enum perf_hw_id
  public static final int PERF_COUNT_HW_CPU_CYCLES = 0;
  public static final int PERF_COUNT_HW_INSTRUCTIONS = 1;
  public static final int PERF_COUNT_HW_CACHE_REFERENCES = 2;
  public static final int PERF_COUNT_HW_CACHE_MISSES = 3;
  public static final int PERF_COUNT_HW_BRANCH_INSTRUCTIONS = 4;
  public static final int PERF_COUNT_HW_BRANCH_MISSES = 5;
  public static final int PERF_COUNT_HW_BUS_CYCLES = 6;
  public static final int PERF_COUNT_HW_STALLED_CYCLES_FRONTEND = 7;
  public static final int PERF_COUNT_HW_STALLED_CYCLES_BACKEND = 8;
  public static final int PERF_COUNT_HW_REF_CPU_CYCLES = 9;

  // enum perf_sw_ids
  public static final int PERF_COUNT_SW_CPU_CLOCK = 0;
  public static final int PERF_COUNT_SW_TASK_CLOCK = 1;
  public static final int PERF_COUNT_SW_PAGE_FAULTS = 2;
  public static final int PERF_COUNT_SW_CONTEXT_SWITCHES = 3;
  public static final int PERF_COUNT_SW_CPU_MIGRATIONS = 4;
  public static final int PERF_COUNT_SW_PAGE_FAULTS_MIN = 5;
  public static final int PERF_COUNT_SW_PAGE_FAULTS_MAJ = 6;
  public static final int PERF_COUNT_SW_ALIGNMENT_FAULTS = 7;
  public static final int PERF_COUNT_SW_EMULATION_FAULTS = 8;
  public static final int PERF_COUNT_SW_DUMMY = 9;
  public static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
  public static final int PERF_COUNT_SW_CGROUP_SWITCHES = 11;

  // perf_event_open flags
  public static final long PERF_FLAG_FD_NO_GROUP = 1;
  public static final long PERF_FLAG_FD_OUTPUT = 2;
  public static final long PERF_FLAG_PID_CGROUP = 4;
  public static final long PERF_FLAG_FD_CLOEXEC = 8;

  // ioctls: _IO('$', n), _IOW('$', n, T) = (1 << 30) | (sizeof(T) << 16) | ('$' << 8) | n
  public static final long PERF_EVENT_IOC_ENABLE = 0x2400;
  public static final long PERF_EVENT_IOC_DISABLE = 0x2401;
  public static final long PERF_EVENT_IOC_REFRESH = 0x2402;
  public static final long PERF_EVENT_IOC_RESET = 0x2403;
  public static final long PERF_EVENT_IOC_PERIOD = 0x40082404L;
  public static final long PERF_EVENT_IOC_SET_OUTPUT = 0x2405;
  public static final long PERF_EVENT_IOC_SET_FILTER = 0x40082406L;
  public static final long PERF_EVENT_IOC_ID = 0x80082407L;
  public static final long PERF_EVENT_IOC_SET_BPF = 0x40042408L;
  public static final long PERF_EVENT_IOC_PAUSE_OUTPUT = 0x40042409L;

  // enum of include/uapi/linux/hw_breakpoint.h
  public static final int HW_BREAKPOINT_EMPTY = 0;
  public static final int HW_BREAKPOINT_R = 1;
  public static final int HW_BREAKPOINT_W = 2;
  public static final int HW_BREAKPOINT_RW = HW_BREAKPOINT_R | HW_BREAKPOINT_W;
  public static final int HW_BREAKPOINT_X = 4;
  public static final int HW_BREAKPOINT_LEN_1 = 1;
  public static final int HW_BREAKPOINT_LEN_2 = 2;
  public static final int HW_BREAKPOINT_LEN_4 = 4;
  public static final int HW_BREAKPOINT_LEN_8 = 8;
}
