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
  /** A per-CPU array of one u64: events the ring buffer had no room for. */
  public static final String LOST_MAP = "lost";
  /** A per-CPU array of u64 per user map: updates that failed (the map was full). */
  public static final String ERRORS_MAP = "map_errors";
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
