package jbpf.runtime;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
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
import jbpf.perf.Tracefs;
import jbpf.perf.Target;
import jbpf.prog.BpfProgram;
import jbpf.prog.LoadOptions;
import jbpf.ringbuf.RingBuffer;
import jbpf.spec.AttachType;
import jbpf.sys.BpfException;
import jbpf.sys.Cpus;
import jbpf.sys.Errno;
import jbpf.sys.Feature;
import jbpf.sys.NotSupportedException;
import jbpf.sys.Parallel;
import jbpf.sys.SyscallException;

/**
 * Attaches loaded programs as an {@link AttachPlan} says, and detaches them again. Every attachment is owned by a file
 * descriptor (a BPF link, or a perf event), so whatever way this process ends, nothing stays attached.
 */
final class Attacher implements AutoCloseable {
  private final CompiledScript script;
  private final Map<String, BpfProgram> programs;
  private final Map<String, BpfMap> maps;
  private final PrintStream err;
  private final BiConsumer<Attach, Link> onLink;
  private final List<Link> links = new ArrayList<>();
  private WatchThread watches;

  /** @param onLink told of each link made and the attach point it serves, e.g. to find watchpoints for {@code unwatch} */
  Attacher(CompiledScript script, Map<String, BpfProgram> programs, Map<String, BpfMap> maps, PrintStream err,
           BiConsumer<Attach, Link> onLink) {
    this.script = script;
    this.programs = programs;
    this.maps = maps;
    this.err = err;
    this.onLink = onLink;
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

  /** {@return the plan for {@code script} on this machine} */
  static AttachPlan plan(CompiledScript script) {
    // Probing for multi links loads a program: only worth it when the script could use one.
    boolean manyUprobes = false, manyKprobes = false;
    for (CompiledScript.ProbeProgram p : script.programs()) {
      if (p.attaches().size() < AttachPlan.MULTI_LINK_THRESHOLD) continue;
      switch (p.type()) {
        case UPROBE, URETPROBE, USDT -> manyUprobes = true;
        case KPROBE, KRETPROBE -> manyKprobes = true;
        default -> {}
      }
    }
    List<Integer> cpus = new ArrayList<>();
    for (int c : Cpus.online()) cpus.add(c);
    return AttachPlan.of(script, new AttachPlan.Host(cpus, manyUprobes && Features.uprobeMulti(), manyKprobes && Features.kprobeMulti()));
  }

  /** {@return the options to load program {@code name} with: a multi link needs its attach type at load time} */
  static LoadOptions loadOptions(AttachPlan plan, String name, LoadOptions base) {
    AttachType t = plan.loadAttachTypes().get(name);
    return t == null ? base : base.withExpectedAttachType(t);
  }

  // ---- attaching -----------------------------------------------------------------------------------------------

  /** Attaches every program of {@code plan}; on failure, none stays attached. */
  void attachAll(AttachPlan plan) {
    try {
      BpfMap functions = maps.get(CompiledScript.FUNCTIONS_MAP);
      if (functions != null) fillFunctions(functions);
      for (AttachPlan.ProgramSteps p : plan.programs()) attachEach(programs.get(p.program()), p);
      if (maps.containsKey(CompiledScript.WATCH_MAP)) {
        watches = new WatchThread(RingBuffer.open(maps.get(CompiledScript.WATCH_MAP)));
        watches.start();
      }
    } catch (RuntimeException e) {
      detachAll();
      throw e;
    }
  }

  /** Writes the function of each attach point at its probe index, for programs that read {@code func} by cookie. */
  private void fillFunctions(BpfMap functions) {
    for (CompiledScript.ProbeProgram p : script.programs()) {
      for (int i = 0; i < p.attaches().size(); i++) {
        String f = Attach.functionOf(p.attaches().get(i));
        if (f == null) continue;
        long index = p.cookies().get(i);
        byte[] key = {(byte) index, (byte) (index >>> 8), (byte) (index >>> 16), (byte) (index >>> 24)};
        byte[] value = java.util.Arrays.copyOf(f.getBytes(java.nio.charset.StandardCharsets.UTF_8), functions.valueSize());
        value[value.length - 1] = 0;
        functions.update(key, value);
      }
    }
  }

  /** The steps of one program run in parallel once there are this many. */
  static final int PARALLEL_THRESHOLD = 32;
  private static final int MAX_THREADS = 8;

  /**
   * Carries out the steps of one program, in parallel threads when there are many: each is a few system calls, and
   * the work around them spreads over the CPUs.
   */
  private void attachEach(BpfProgram prog, AttachPlan.ProgramSteps p) {
    List<AttachPlan.Step> steps = p.steps();
    int n = steps.size();
    int threads = n < PARALLEL_THRESHOLD ? 1 : Math.min(MAX_THREADS, Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    List<RuntimeException> errors = new ArrayList<>();
    // the first failure stops the others: the script will not run
    Parallel.forEach(n, threads, "jbpf-attach", true, i -> attach(prog, steps.get(i), p.sources().get(i)), errors);
    Parallel.throwFirst(errors);
  }

  private void add(Attach source, Link l) {
    synchronized (links) {
      links.add(l);
    }
    onLink.accept(source, l);
  }

  private void attach(BpfProgram prog, AttachPlan.Step step, Attach source) {
    switch (step) {
      case AttachPlan.PerfLink(AttachPlan.Event event, long cookie) -> {
        PerfEvent pe;
        try {
          pe = open(event);
        } catch (SyscallException e) {
          if (!(event instanceof AttachPlan.Tracepoint(String cat, String name)) || e.errno() != Errno.ENOENT) throw e;
          // A tracepoint that is not there, one of several attach points of its probe (else compiling refused it):
          // skipped, as bpftrace 0.17 skips it after bcc's message, once a warning at compile time has named it.
          err.println("open(" + Tracefs.get().root().resolve("events").resolve(cat).resolve(name).resolve("id") + "): No such file or directory");
          return;
        }
        add(source, Link.perfEvent(prog, pe, cookie));
      }
      case AttachPlan.RawTracepoint(String tp) -> add(source, Link.rawTracepoint(prog, tp));
      case AttachPlan.Tracing t -> add(source, Link.tracing(prog, 0));
      case AttachPlan.KprobeMulti k -> add(source, Link.kprobeMulti(prog, k.functions(), longs(k.cookies()), k.ret()));
      case AttachPlan.UprobeMulti u -> {
        boolean refs = u.refCtrOffsets().stream().anyMatch(r -> r != 0);
        add(source, Link.uprobeMulti(prog, Path.of(u.path()), longs(u.offsets()), refs ? longs(u.refCtrOffsets()) : null,
            longs(u.cookies()), u.ret(), u.pid() > 0 ? u.pid() : -1));
      }
      case AttachPlan.OnCall c -> {}     // see WatchThread
    }
  }

  /** Opens {@code e}; the link that takes it enables it. */
  static PerfEvent open(AttachPlan.Event e) {
    return switch (e) {
      case AttachPlan.Tracepoint(String cat, String name) -> PerfEvent.tracepoint(cat, name);
      case AttachPlan.Kprobe k -> k.function() == null ? PerfEvent.kprobe(k.address(), k.ret()) : PerfEvent.kprobe(k.function(), k.offset(), k.ret());
      case AttachPlan.Uprobe u -> PerfEvent.uprobe(Path.of(u.path()), u.offset(), u.refCtrOffset(), u.ret(), u.pid() > 0 ? u.pid() : -1);
      case AttachPlan.Counter c -> PerfEvent.counter(c.perfType(), c.config(), c.name(),
          c.frequency() ? Sampling.frequency(c.value()) : Sampling.period(c.value()), Target.cpu(c.cpu()));
      case AttachPlan.Breakpoint b -> PerfEvent.breakpoint(breakpoint(b.mode()), b.address(), b.length(),
          b.pid() > 0 ? (b.cpu() >= 0 ? Target.process(b.pid(), b.cpu()) : Target.process(b.pid())) : Target.cpu(b.cpu()));
    };
  }

  private static long[] longs(List<Long> l) {
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = l.get(i);
    return out;
  }

  static BreakpointType breakpoint(String mode) {
    return switch (mode) {
      case "r" -> BreakpointType.R;
      case "w" -> BreakpointType.W;
      case "rw" -> BreakpointType.RW;
      case "x" -> BreakpointType.X;
      default -> throw new IllegalStateException("watchpoint mode " + mode);
    };
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
            // told with the address it watches, as an address watchpoint would be (for unwatch)
            Attach.Watchpoint set = new Attach.Watchpoint(w.type(), w.spec(), address, w.length(), w.mode(), w.function(),
                w.argument(), w.setup(), w.pid());
            add(set, Link.perfEvent(programs.get(p.program()),
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

  /** Detaches {@code some} of the links made, e.g. those of one watchpoint. */
  void detach(java.util.Collection<Link> some) {
    synchronized (links) {
      links.removeAll(some);
    }
    Link.closeAll(some);
  }

  @Override public void close() { detachAll(); }
}
