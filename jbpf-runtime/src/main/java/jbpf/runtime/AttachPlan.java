package jbpf.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.spec.AttachType;

/**
 * What attaching a compiled script takes, step by step, built from the script and a few facts about the machine
 * without touching the kernel: {@link Attacher} carries it out, and tests check it for probe types a kernel lacks.
 *
 * <p>Tracepoints, single kprobes and uprobes, and breakpoints attach through a perf event each and a BPF link carrying
 * the probe index as cookie; many uprobes of one file (a wildcard, or a USDT probe compiled into several places)
 * through one uprobe_multi link, many kprobes through one kprobe_multi link, where the kernel has them; timers and
 * counters through a perf event per CPU (interval timers through one, on the first CPU); raw tracepoints and kfuncs
 * through their own links. Watchpoints on a function's argument are set while the script runs, each time the
 * function is called with a new address.
 *
 * @param programs the steps of each program, in the script's order
 * @param loadAttachTypes the attach type a program must be loaded with for its links, by program name
 */
record AttachPlan(List<ProgramSteps> programs, Map<String, AttachType> loadAttachTypes) {
  AttachPlan {
    programs = List.copyOf(programs);
    loadAttachTypes = Map.copyOf(loadAttachTypes);
  }

  /**
   * The facts about the machine the plan depends on.
   *
   * @param cpus the online CPUs
   * @param uprobeMulti whether uprobe_multi links exist (Linux 6.6)
   * @param kprobeMulti whether kprobe_multi links exist (Linux 5.18 with {@code CONFIG_FPROBE})
   */
  record Host(List<Integer> cpus, boolean uprobeMulti, boolean kprobeMulti) {
    Host { cpus = List.copyOf(cpus); }
  }

  /**
   * The steps that attach one program.
   *
   * @param sources for each step, the attach point it serves (the first, for a multi link)
   */
  record ProgramSteps(String program, List<Step> steps, List<Attach> sources) {
    ProgramSteps {
      steps = List.copyOf(steps);
      sources = List.copyOf(sources);
      if (steps.size() != sources.size()) throw new IllegalArgumentException("one source per step");
    }
  }

  /** One attachment. */
  sealed interface Step {}

  /** Open {@code event} and link the program to it with {@code cookie}. */
  record PerfLink(Event event, long cookie) implements Step {}

  /** Attach to raw tracepoint {@code tracepoint}. */
  record RawTracepoint(String tracepoint) implements Step {}

  /** Link an fentry or fexit program to the kernel function it was loaded for. */
  record Tracing(AttachType type, String function) implements Step {}

  /** One kprobe_multi link on {@code functions}, with a cookie each. */
  record KprobeMulti(List<String> functions, List<Long> cookies, boolean ret) implements Step {
    KprobeMulti {
      functions = List.copyOf(functions);
      cookies = List.copyOf(cookies);
    }
  }

  /**
   * One uprobe_multi link on file offsets of {@code path}, with a cookie each.
   *
   * @param refCtrOffsets USDT semaphore offsets, 0 where there is none
   * @param pid the only process to fire for, or 0
   */
  record UprobeMulti(String path, List<Long> offsets, List<Long> refCtrOffsets, List<Long> cookies, boolean ret, int pid)
      implements Step {
    UprobeMulti {
      offsets = List.copyOf(offsets);
      refCtrOffsets = List.copyOf(refCtrOffsets);
      cookies = List.copyOf(cookies);
    }
  }

  /** Nothing now: set a breakpoint when {@code watchpoint}'s function is called (see {@link CompiledScript#WATCH_MAP}). */
  record OnCall(Attach.Watchpoint watchpoint, long cookie) implements Step {}

  /** A perf event to open: the {@code perf_event_attr} and target of {@code perf_event_open(2)}, in words. */
  sealed interface Event {}

  /** Tracepoint {@code category:name}. */
  record Tracepoint(String category, String name) implements Event {}

  /** A kprobe on {@code function} + {@code offset}, or at {@code address} when {@code function} is {@code null}. */
  record Kprobe(String function, long offset, long address, boolean ret) implements Event {}

  /** A uprobe at file offset {@code offset} of {@code path}, for process {@code pid} or every process (0). */
  record Uprobe(String path, long offset, long refCtrOffset, boolean ret, int pid) implements Event {}

  /**
   * Counter {@code config} of perf type {@code perfType} on CPU {@code cpu}, sampling every {@code value} events or
   * {@code value} times a second when {@code frequency}.
   */
  record Counter(int perfType, long config, String name, long value, boolean frequency, int cpu) implements Event {}

  /** A hardware breakpoint, for process {@code pid} (0: every process) on CPU {@code cpu} (-1: every CPU). */
  record Breakpoint(String mode, long address, int length, int pid, int cpu) implements Event {}

  /** A program attaches through a multi link once it has this many uprobes or kprobes. */
  static final int MULTI_LINK_THRESHOLD = 2;

  /** {@code PERF_TYPE_SOFTWARE} and {@code PERF_COUNT_SW_CPU_CLOCK}: the timer behind profile and interval probes. */
  private static final int SOFTWARE = 1, CPU_CLOCK = 0;

  /** {@return the plan for attaching every program of {@code script} except BEGIN and END on {@code host}} */
  static AttachPlan of(CompiledScript script, Host host) {
    List<ProgramSteps> out = new ArrayList<>();
    Map<String, AttachType> loadTypes = new HashMap<>();
    for (CompiledScript.ProbeProgram p : script.programs()) {
      if (p.type() == ProbeType.BEGIN || p.type() == ProbeType.END) continue;
      List<Step> steps = new ArrayList<>();
      List<Attach> sources = new ArrayList<>();
      if (multiUprobes(p, host)) {
        loadTypes.put(p.program(), AttachType.TRACE_UPROBE_MULTI);
        uprobeMulti(p, steps, sources);
      } else if (multiKprobes(p, host)) {
        loadTypes.put(p.program(), AttachType.TRACE_KPROBE_MULTI);
        List<String> functions = new ArrayList<>();
        for (Attach a : p.attaches()) functions.add(((Attach.Kprobe) a).function());
        steps.add(new KprobeMulti(functions, p.cookies(), p.type() == ProbeType.KRETPROBE));
        sources.add(p.attaches().getFirst());
      } else {
        for (int i = 0; i < p.attaches().size(); i++) {
          single(p.attaches().get(i), p.cookies().get(i), host, steps);
          while (sources.size() < steps.size()) sources.add(p.attaches().get(i));
        }
      }
      out.add(new ProgramSteps(p.program(), steps, sources));
    }
    return new AttachPlan(out, loadTypes);
  }

  private static boolean multiUprobes(CompiledScript.ProbeProgram p, Host host) {
    return host.uprobeMulti() && p.attaches().size() >= MULTI_LINK_THRESHOLD
        && (p.type() == ProbeType.UPROBE || p.type() == ProbeType.URETPROBE || p.type() == ProbeType.USDT);
  }

  /** kprobe_multi links take functions by name, without offsets or addresses. */
  private static boolean multiKprobes(CompiledScript.ProbeProgram p, Host host) {
    if (!host.kprobeMulti() || p.attaches().size() < MULTI_LINK_THRESHOLD) return false;
    if (p.type() != ProbeType.KPROBE && p.type() != ProbeType.KRETPROBE) return false;
    for (Attach a : p.attaches()) if (!(a instanceof Attach.Kprobe k) || k.function() == null || k.offset() != 0) return false;
    return true;
  }

  /** One uprobe_multi link per file and pid: a link has one of each. */
  private static void uprobeMulti(CompiledScript.ProbeProgram p, List<Step> steps, List<Attach> sources) {
    record Key(String path, int pid) {}
    Map<Key, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < p.attaches().size(); i++) {
      Key k = switch (p.attaches().get(i)) {
        case Attach.Uprobe u -> new Key(u.path(), u.pid());
        case Attach.Usdt u -> new Key(u.path(), u.pid());
        default -> throw new IllegalStateException("uprobe_multi of " + p.attaches().get(i).name());
      };
      groups.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
    }
    for (var g : groups.entrySet()) {
      List<Long> offsets = new ArrayList<>(), refs = new ArrayList<>(), cookies = new ArrayList<>();
      for (int i : g.getValue()) {
        switch (p.attaches().get(i)) {
          case Attach.Uprobe u -> {
            offsets.add(u.fileOffset());
            refs.add(0L);
          }
          case Attach.Usdt u -> {
            offsets.add(u.fileOffset());
            refs.add(u.semaphoreOffset());
          }
          default -> throw new IllegalStateException("uprobe_multi of " + p.attaches().get(i).name());
        }
        cookies.add(p.cookies().get(i));
      }
      steps.add(new UprobeMulti(g.getKey().path(), offsets, refs, cookies, p.type() == ProbeType.URETPROBE, g.getKey().pid()));
      sources.add(p.attaches().get(g.getValue().getFirst()));
    }
  }

  private static void single(Attach a, long cookie, Host host, List<Step> steps) {
    switch (a) {
      case Attach.Tracepoint(String cat, String ev) -> steps.add(new PerfLink(new Tracepoint(cat, ev), cookie));
      case Attach.Timer t -> {
        // interval: one timer on the first CPU; profile: one per CPU. A rate in Hz becomes a period for interval,
        // which must fire regularly, and a frequency for profile, as perf samples.
        boolean interval = t.type() == ProbeType.INTERVAL;
        long value = t.hz() > 0 ? (interval ? 1_000_000_000L / t.hz() : t.hz()) : t.periodNanos();
        boolean frequency = t.hz() > 0 && !interval;
        for (int cpu : interval ? host.cpus().subList(0, 1) : host.cpus())
          steps.add(new PerfLink(new Counter(SOFTWARE, CPU_CLOCK, "cpu-clock", value, frequency, cpu), cookie));
      }
      case Attach.RawTracepoint rt -> steps.add(new RawTracepoint(rt.tracepoint()));
      case Attach.Kprobe k -> steps.add(new PerfLink(new Kprobe(k.function(), k.offset(), k.address(), k.ret()), cookie));
      case Attach.Kfunc k -> steps.add(new Tracing(k.ret() ? AttachType.TRACE_FEXIT : AttachType.TRACE_FENTRY, k.function()));
      case Attach.Uprobe u -> steps.add(new PerfLink(new Uprobe(u.path(), u.fileOffset(), 0, u.ret(), u.pid()), cookie));
      case Attach.Usdt u -> steps.add(new PerfLink(new Uprobe(u.path(), u.fileOffset(), u.semaphoreOffset(), false, u.pid()), cookie));
      case Attach.PerfCounter c -> {
        for (int cpu : host.cpus())
          steps.add(new PerfLink(new Counter(c.counter().perfType(), c.counter().config(), c.counter().name(), c.period(), false, cpu), cookie));
      }
      case Attach.Watchpoint w -> {
        if (w.setup() != null) steps.add(new OnCall(w, cookie));
        else if (w.pid() > 0) steps.add(new PerfLink(new Breakpoint(w.mode(), w.address(), w.length(), w.pid(), -1), cookie));
        else for (int cpu : host.cpus()) steps.add(new PerfLink(new Breakpoint(w.mode(), w.address(), w.length(), 0, cpu), cookie));
      }
      case Attach.Special s -> throw new IllegalStateException("BEGIN/END are run, not attached");
    }
  }
}
