package jbpf.lang.codegen;

import java.util.List;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.TypedProgram;
import jbpf.spec.CollectionSpec;

/**
 * A compiled script: the kernel objects to create and, for the runtime, what each one means.
 *
 * @param typed the analyzed script, whose maps and events the runtime decodes
 * @param collection every map and program
 * @param programs each program with the places it attaches to
 * @param probeNames full probe names by index: the values of the {@code probe} builtin
 */
public record CompiledScript(TypedProgram typed, CollectionSpec collection, List<ProbeProgram> programs, List<String> probeNames) {
  public CompiledScript {
    programs = List.copyOf(programs);
    probeNames = List.copyOf(probeNames);
  }

  /** The map receiving asynchronous events: a ring buffer. */
  public static final String EVENTS_MAP = "events";
  /** An array of one u64, updated atomically: events the ring buffer had no room for. */
  public static final String LOST_MAP = "lost";
  /**
   * An array of one value of one u64 per user map, written directly: the last failed update of the map, its return
   * value (a negative errno, -E2BIG when the map was full) in the low 32 bits and one more than the source offset
   * of the statement in the high 32 bits.
   */
  public static final String ERRORS_MAP = "map_errors";
  /**
   * A single-entry array of values the runtime sets before BEGIN, read by programs in place: the u64
   * {@code CLOCK_MONOTONIC} time the script started ({@code elapsed}), then the u64 offset from
   * {@code CLOCK_BOOTTIME} to {@code CLOCK_TAI} ({@code nsecs(sw_tai)}). Created only when a program uses it.
   */
  public static final String GLOBALS_MAP = "globals";
  /** The size of the {@link #GLOBALS_MAP} value. */
  public static final int GLOBALS_SIZE = 16;
  /** The prefix of stack maps ({@code BPF_MAP_TYPE_STACK_TRACE}), followed by their depth in frames. */
  public static final String STACK_MAP_PREFIX = "stack_";
  /**
   * The ring buffer through which the uprobes of watchpoints on function arguments ask userspace to set a
   * watchpoint; each record is {@link #WATCH_RECORD_SIZE} bytes: u64 probe index, u64 address, u64 pid and tid
   * ({@code bpf_get_current_pid_tgid}). Present only when the script has such watchpoints.
   */
  public static final String WATCH_MAP = "watch_setup";
  /** The size of a {@link #WATCH_MAP} record. */
  public static final int WATCH_RECORD_SIZE = 24;
  /**
   * An array of strings, by probe index: the function each attach point is in ({@code func}), for programs that serve
   * several; the runtime fills it from the attach points. Present only when a program reads it.
   */
  public static final String FUNCTIONS_MAP = "functions";

  /** {@return the name of the stack map that holds stacks of {@code depth} frames, kernel and user alike} */
  public static String stackMap(int depth) { return STACK_MAP_PREFIX + depth; }

  /**
   * A program and where to attach it.
   *
   * @param program the name of its {@code ProgramSpec}
   * @param cookies for each attach point, the value {@code bpf_get_attach_cookie} returns: its probe index
   */
  public record ProbeProgram(String program, ProbeType type, List<Attach> attaches, List<Long> cookies) {
    public ProbeProgram {
      attaches = List.copyOf(attaches);
      cookies = List.copyOf(cookies);
    }
  }
}
