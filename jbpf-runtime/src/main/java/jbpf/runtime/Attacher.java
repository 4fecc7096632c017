package jbpf.runtime;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jbpf.features.Features;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.link.Link;
import jbpf.link.Release;
import jbpf.map.BpfMap;
import jbpf.perf.BreakpointType;
import jbpf.perf.PerfEvent;
import jbpf.perf.Sampling;
import jbpf.perf.SoftwareEvent;
import jbpf.perf.Target;
import jbpf.prog.BpfProgram;
import jbpf.prog.LoadOptions;
import jbpf.ringbuf.RingBuffer;
import jbpf.spec.AttachType;
import jbpf.sys.BpfException;
import jbpf.sys.Cpus;
import jbpf.sys.Feature;
import jbpf.sys.NotSupportedException;

/**
 * Attaches loaded programs where their probes say, and detaches them again. Every attachment is owned by a file
 * descriptor (a BPF link, or a perf event), so whatever way this process ends, nothing stays attached.
 *
 * <p>How each probe type attaches: tracepoints, single kprobes and uprobes, and breakpoints through perf events and
 * BPF links carrying the probe index as cookie; many uprobes of one file (a wildcard, or a USDT probe compiled into
 * several places) through one uprobe_multi link, many kprobes through one kprobe_multi link, where the kernel has
 * them; timers and counters through a perf event per CPU; raw tracepoints and kfuncs through their own links.
 * Watchpoints on a function's argument are set while the script runs, when the function is called.
 */
final class Attacher implements AutoCloseable {
  /** A program attaches through a multi link once it has this many uprobes or kprobes. */
  static final int MULTI_LINK_THRESHOLD = 2;

  private final CompiledScript script;
  private final Map<String, BpfProgram> programs;
  private final Map<String, BpfMap> maps;
  private final PrintStream err;
  private final List<Link> links = new ArrayList<>();
  private WatchThread watches;

  Attacher(CompiledScript script, Map<String, BpfProgram> programs, Map<String, BpfMap> maps, PrintStream err) {
    this.script = script;
    this.programs = programs;
    this.maps = maps;
    this.err = err;
  }

  // ---- before loading ----------------------------------------------------------------------------------------

  /**
   * Checks that this kernel and machine can attach every probe type the script uses, before anything is loaded.
   *
   * @throws NotSupportedException naming the first probe that cannot be attached and the missing feature, e.g.
   *     {@code kprobe:vfs_read: this kernel cannot attach kprobes (CONFIG_KPROBES is not set)}
   */
  static void preflight(CompiledScript script) {
    Set<Feature> checked = new HashSet<>();
    for (CompiledScript.ProbeProgram p : script.programs()) {
      for (Attach a : p.attaches()) {
        Feature f = switch (a.type()) {
          case KPROBE, KRETPROBE -> Feature.KPROBES;
          case KFUNC, KRETFUNC -> Feature.FENTRY;
          case UPROBE, URETPROBE, USDT -> Feature.UPROBES;
          case HARDWARE -> Feature.HARDWARE_PMU;
          case WATCHPOINT, ASYNCWATCHPOINT -> Feature.BREAKPOINTS;
          case TRACEPOINT -> Feature.TRACEFS;
          case BEGIN, END, RAWTRACEPOINT, PROFILE, INTERVAL, SOFTWARE, ITER -> null;
        };
        if (f == null || !checked.add(f)) continue;
        var missing = Features.check(f);
        if (missing.isPresent()) throw missing.get().withContext(a.name());
        if (a instanceof Attach.Watchpoint w && w.setup() != null) {
          var uprobes = Features.check(Feature.UPROBES);
          if (uprobes.isPresent()) throw uprobes.get().withContext(a.name());
        }
      }
    }
  }

  /** How a program's attach points are attached. */
  enum Mode { SINGLE, UPROBE_MULTI, KPROBE_MULTI }

  /** {@return how the attach points of {@code p} are attached on this kernel} */
  static Mode mode(CompiledScript.ProbeProgram p) {
    if (p.attaches().size() < MULTI_LINK_THRESHOLD) return Mode.SINGLE;
    switch (p.type()) {
      case UPROBE, URETPROBE, USDT -> {
        return Features.uprobeMulti() ? Mode.UPROBE_MULTI : Mode.SINGLE;
      }
      case KPROBE, KRETPROBE -> {
        for (Attach a : p.attaches()) if (!(a instanceof Attach.Kprobe k) || k.function() == null || k.offset() != 0) return Mode.SINGLE;
        return Features.kprobeMulti() ? Mode.KPROBE_MULTI : Mode.SINGLE;
      }
      default -> {
        return Mode.SINGLE;
      }
    }
  }

  /** {@return the options to load the program of {@code p} with: a multi link needs its attach type at load time} */
  static LoadOptions loadOptions(CompiledScript.ProbeProgram p, LoadOptions base) {
    return switch (mode(p)) {
      case SINGLE -> base;
      case UPROBE_MULTI -> base.withExpectedAttachType(AttachType.TRACE_UPROBE_MULTI);
      case KPROBE_MULTI -> base.withExpectedAttachType(AttachType.TRACE_KPROBE_MULTI);
    };
  }

  // ---- attaching -----------------------------------------------------------------------------------------------

  /** Attaches every program except BEGIN and END; on failure, none stays attached. */
  void attachAll() {
    try {
      for (CompiledScript.ProbeProgram p : script.programs()) {
        if (p.type() == ProbeType.BEGIN || p.type() == ProbeType.END) continue;
        BpfProgram prog = programs.get(p.program());
        switch (mode(p)) {
          case SINGLE -> attachEach(prog, p);
          case UPROBE_MULTI -> uprobeMulti(prog, p);
          case KPROBE_MULTI -> kprobeMulti(prog, p);
        }
      }
      if (maps.containsKey(CompiledScript.WATCH_MAP)) {
        watches = new WatchThread(RingBuffer.open(maps.get(CompiledScript.WATCH_MAP)));
        watches.start();
      }
    } catch (RuntimeException e) {
      detachAll();
      throw e;
    }
  }

  /** Attach points of one program attach in parallel once there are this many. */
  static final int PARALLEL_THRESHOLD = 32;
  private static final int MAX_THREADS = 8;

  /**
   * Attaches the program of {@code p} at each of its attach points, in parallel threads when there are many: each
   * attachment is a few system calls, and the work around them spreads over the CPUs.
   */
  private void attachEach(BpfProgram prog, CompiledScript.ProbeProgram p) {
    int n = p.attaches().size();
    int threads = n < PARALLEL_THRESHOLD ? 1 : Math.min(MAX_THREADS, Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    if (threads == 1) {
      for (int i = 0; i < n; i++) attach(prog, p.attaches().get(i), p.cookies().get(i));
      return;
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<RuntimeException> errors = new ArrayList<>();
    Runnable worker = () -> {
      for (int i; (i = next.getAndIncrement()) < n; ) {
        try {
          attach(prog, p.attaches().get(i), p.cookies().get(i));
        } catch (RuntimeException e) {
          synchronized (errors) {
            errors.add(e);
          }
          next.set(n);    // stop the others: the script will not run
        }
      }
    };
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) started.add(Thread.ofPlatform().name("jbpf-attach-" + t).daemon().start(worker));
    boolean interrupted = false;
    for (Thread t : started) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (!errors.isEmpty()) {
      RuntimeException first = errors.getFirst();
      for (int i = 1; i < errors.size(); i++) first.addSuppressed(errors.get(i));
      throw first;
    }
  }

  private void add(Link l) {
    synchronized (links) {
      links.add(l);
    }
  }

  private void attach(BpfProgram prog, Attach a, long cookie) {
    switch (a) {
      case Attach.Tracepoint(String cat, String ev) -> add(Link.perfEvent(prog, PerfEvent.tracepoint(cat, ev), cookie));
      case Attach.Timer(ProbeType type, String spec, long nanos, long hz) -> {
        Sampling sampling = hz > 0 ? (type == ProbeType.INTERVAL ? Sampling.period(1_000_000_000L / hz) : Sampling.frequency(hz))
            : Sampling.period(nanos);
        int[] cpus = type == ProbeType.INTERVAL ? new int[] {0} : Cpus.online();
        for (int cpu : cpus) add(Link.perfEvent(prog, PerfEvent.software(SoftwareEvent.CPU_CLOCK, sampling, Target.cpu(cpu)), cookie));
      }
      case Attach.RawTracepoint rt -> add(Link.rawTracepoint(prog, rt.tracepoint()));
      case Attach.Kprobe k -> {
        PerfEvent ev = k.function() == null ? PerfEvent.kprobe(k.address(), k.ret()) : PerfEvent.kprobe(k.function(), k.offset(), k.ret());
        add(Link.perfEvent(prog, ev, cookie));
      }
      case Attach.Kfunc k -> add(Link.tracing(prog, 0));
      case Attach.Uprobe u -> add(Link.perfEvent(prog, PerfEvent.uprobe(Path.of(u.path()), u.fileOffset(), 0, u.ret(), pid(u.pid())), cookie));
      case Attach.Usdt u -> add(Link.perfEvent(prog, PerfEvent.uprobe(Path.of(u.path()), u.fileOffset(), u.semaphoreOffset(), false, pid(u.pid())), cookie));
      case Attach.PerfCounter c -> {
        for (int cpu : Cpus.online()) {
          PerfEvent ev = PerfEvent.counter(c.counter().perfType(), c.counter().config(), c.counter().name(), Sampling.period(c.period()), Target.cpu(cpu));
          add(Link.perfEvent(prog, ev, cookie));
        }
      }
      case Attach.Watchpoint w -> {
        if (w.setup() != null) return;     // set when its function is called: see WatchThread
        if (w.pid() > 0) add(Link.perfEvent(prog, PerfEvent.breakpoint(breakpoint(w.mode()), w.address(), w.length(), Target.process(w.pid())), cookie));
        else for (int cpu : Cpus.online()) add(Link.perfEvent(prog, PerfEvent.breakpoint(breakpoint(w.mode()), w.address(), w.length(), Target.cpu(cpu)), cookie));
      }
      case Attach.Special s -> throw new IllegalStateException("BEGIN/END are run, not attached");
    }
  }

  private static int pid(int pid) { return pid > 0 ? pid : -1; }

  static BreakpointType breakpoint(String mode) {
    return switch (mode) {
      case "r" -> BreakpointType.R;
      case "w" -> BreakpointType.W;
      case "rw" -> BreakpointType.RW;
      case "x" -> BreakpointType.X;
      default -> throw new IllegalStateException("watchpoint mode " + mode);
    };
  }

  /** One uprobe_multi link per file (and per pid, which a link has one of), with each location's cookie. */
  private void uprobeMulti(BpfProgram prog, CompiledScript.ProbeProgram p) {
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
    boolean ret = p.type() == ProbeType.URETPROBE;
    for (var g : groups.entrySet()) {
      List<Integer> idx = g.getValue();
      long[] offsets = new long[idx.size()], refs = new long[idx.size()], cookies = new long[idx.size()];
      boolean anyRef = false;
      for (int j = 0; j < idx.size(); j++) {
        Attach a = p.attaches().get(idx.get(j));
        offsets[j] = a instanceof Attach.Uprobe u ? u.fileOffset() : ((Attach.Usdt) a).fileOffset();
        refs[j] = a instanceof Attach.Usdt u ? u.semaphoreOffset() : 0;
        anyRef |= refs[j] != 0;
        cookies[j] = p.cookies().get(idx.get(j));
      }
      add(Link.uprobeMulti(prog, Path.of(g.getKey().path()), offsets, anyRef ? refs : null, cookies, ret, pid(g.getKey().pid())));
    }
  }

  private void kprobeMulti(BpfProgram prog, CompiledScript.ProbeProgram p) {
    List<String> symbols = new ArrayList<>();
    long[] cookies = new long[p.attaches().size()];
    for (int i = 0; i < p.attaches().size(); i++) {
      symbols.add(((Attach.Kprobe) p.attaches().get(i)).function());
      cookies[i] = p.cookies().get(i);
    }
    add(Link.kprobeMulti(prog, symbols, cookies, p.type() == ProbeType.KRETPROBE));
  }

  // ---- watchpoints on function arguments ----------------------------------------------------------------------

  /**
   * Sets watchpoints as the uprobes of their functions report the address to watch (records of
   * {@link CompiledScript#WATCH_MAP}), then lets the stopped process continue.
   */
  private final class WatchThread extends Thread {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private final RingBuffer ring;
    private final Set<String> watched = new HashSet<>();
    private volatile boolean stop;

    WatchThread(RingBuffer ring) {
      super("jbpf-watchpoints");
      setDaemon(true);
      this.ring = ring;
    }

    @Override public void run() {
      try {
        while (!stop) ring.poll(200, this::onRecord);
      } finally {
        ring.close();
      }
    }

    private void onRecord(MemorySegment rec) {
      long probe = rec.get(U64, 0);
      long address = rec.get(U64, 8);
      long pidTgid = rec.get(U64, 16);
      int tgid = (int) (pidTgid >>> 32), tid = (int) pidTgid;
      boolean stopped = false;
      for (CompiledScript.ProbeProgram p : script.programs()) {
        for (int i = 0; i < p.attaches().size(); i++) {
          if (p.cookies().get(i) != probe || !(p.attaches().get(i) instanceof Attach.Watchpoint w) || w.setup() == null) continue;
          stopped |= w.type() == ProbeType.WATCHPOINT;
          if (!watched.add(probe + "@" + address)) continue;
          try {
            add(Link.perfEvent(programs.get(p.program()),
                PerfEvent.breakpoint(breakpoint(w.mode()), address, w.length(), Target.process(tid)), probe));
          } catch (BpfException e) {
            err.println("WARNING: " + w.name() + ": cannot watch 0x" + Long.toHexString(address) + ": " + e.getMessage());
          }
        }
      }
      if (stopped) Processes.signal(tgid, Processes.SIGCONT);   // the uprobe stopped the process until now
    }

    void finish() {
      stop = true;
      ring.wakeup();
      boolean interrupted = false;
      while (isAlive()) {
        try {
          join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  // ---- detaching ---------------------------------------------------------------------------------------------

  /**
   * Detaches every program, quickly: all links close in parallel, sharing the kernel's grace-period waits, and the
   * perf events of tracepoints, whose release waits for two RCU grace periods each under a global lock, are handed to
   * a helper process that releases them after this one has exited (see {@link Link#closeAll(java.util.Collection,
   * Release)}). Perf events of uprobes and kprobes are released before this returns: while one exists its probe
   * stays in the traced code.
   */
  void detachAll() {
    if (watches != null) {
      watches.finish();
      watches = null;
    }
    List<Link> all;
    synchronized (links) {
      all = new ArrayList<>(links);
      links.clear();
    }
    List<Link> tracepoints = new ArrayList<>(), others = new ArrayList<>();
    for (Link l : all) (l.event() != null && l.event().kind() == PerfEvent.Kind.TRACEPOINT ? tracepoints : others).add(l);
    RuntimeException failure = null;
    try {
      Link.closeAll(others);
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      Link.closeAll(tracepoints, Release.HAND_OFF);
    } catch (RuntimeException e) {
      if (failure == null) failure = e;
      else failure.addSuppressed(e);
    }
    if (failure != null) throw failure;
  }

  @Override public void close() { detachAll(); }
}
