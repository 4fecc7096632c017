package jbpf.runtime;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.MapInfo;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.output.MapDump;
import jbpf.output.Output;
import jbpf.prog.BpfProgram;
import jbpf.prog.LoadOptions;
import jbpf.prog.TestRun;
import jbpf.prog.VerifierLog;
import jbpf.ringbuf.RingBuffer;
import jbpf.spec.MapSpec;
import jbpf.spec.ProgramSpec;

/**
 * A compiled script, live in the kernel: its maps created, programs loaded and attached, and a loop that
 * carries out the programs' asynchronous events until the script exits or is interrupted. Closing it detaches
 * and unloads everything.
 */
public final class Tracer implements AutoCloseable {
  /**
   * How to run.
   *
   * @param verbose print each program's bytecode and the verifier's log ({@code -v})
   * @param printMapsOnExit print every map when the script ends (the two line breaks before them are printed anyway)
   * @param notifyAttached print {@code __BPFTRACE_NOTIFY_PROBES_ATTACHED} to the error stream once attached, for
   *     test harnesses (where bpftrace 0.17 prints it)
   */
  public record Options(boolean verbose, boolean printMapsOnExit, boolean notifyAttached) {}

  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

  private final CompiledScript script;
  private final Options options;
  private final Output out;
  private final PrintStream err;
  private final Map<String, BpfMap> maps = new LinkedHashMap<>();
  private final Map<String, BpfProgram> programs = new HashMap<>();
  private AttachPlan plan;
  private Attacher attacher;
  private boolean attached;
  private Runnable onRunning;
  private final ValueDecoder decoder;
  private final MapReader reader;
  private final EventDispatcher dispatcher;
  private final Map<String, MapInfo> mapInfo = new HashMap<>();
  private final Map<Long, List<Link>> watchpoints = new HashMap<>();
  private RingBuffer ring;
  private volatile boolean stopRequested;
  private boolean exited;
  private int exitCode;
  private Counters counters;
  private MapListener listener;
  private long started = System.nanoTime();
  private long nextSample = Long.MAX_VALUE;

  private Tracer(CompiledScript script, Options options, Output out, PrintStream err) {
    this.script = script;
    this.options = options;
    this.out = out;
    this.err = err;
    this.decoder = new ValueDecoder(script.probeNames(), new ValueResolver(maps, ValueResolver.Options.fromEnvironment(System.getenv())));
    this.reader = new MapReader(decoder);
    this.dispatcher = new EventDispatcher(script, out, decoder, reader, maps, err, this::unwatch);
    for (MapInfo m : script.typed().maps()) mapInfo.put(m.specName(), m);
  }

  /**
   * Creates the maps and loads the programs of {@code script}; nothing is attached yet.
   *
   * @throws jbpf.sys.BpfException if the kernel refuses a map or a program
   */
  public static Tracer load(CompiledScript script, Options options, Output out, PrintStream err) {
    Globals.requireHelpers(script);
    Attacher.preflight(script);
    Tracer t = new Tracer(script, options, out, err);
    try {
      t.plan = Attacher.plan(script);
      for (MapSpec m : script.collection().maps().values()) t.maps.put(m.name(), Globals.create(m));
      LoadOptions lo = LoadOptions.defaults().withLog(options.verbose() ? VerifierLog.STATS : VerifierLog.ON_FAILURE);
      for (ProgramSpec p : script.collection().programs()) {
        if (options.verbose()) err.print("\nProgram " + p.name() + ":\n" + p.code().disassemble());
        BpfProgram prog;
        LoadOptions plo = Attacher.loadOptions(t.plan, p.name(), lo);
        SubprogramBtf.Result functions = SubprogramBtf.of(p.name(), p.code());
        try (jbpf.prog.BtfObject btf = functions == null ? null : jbpf.prog.BtfObject.load(functions.btf())) {
          prog = BpfProgram.load(p, t.maps::get, btf == null ? plo : plo.withBtf(new jbpf.prog.ProgramBtf(btf, functions.funcInfo(), null)));
        } catch (jbpf.sys.VerifierException e) {
          throw new ProgramRejectedException(p, t.probeOf(p.name()), e);
        }
        if (options.verbose() && prog.verifierLog() != null && !prog.verifierLog().isEmpty())
          err.print("\nThe verifier log:\n" + prog.verifierLog() + "\n");
        t.programs.put(p.name(), prog);
      }
      t.ring = RingBuffer.open(t.maps.get(CompiledScript.EVENTS_MAP));
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private String probeOf(String program) {
    for (CompiledScript.ProbeProgram p : script.programs())
      if (p.program().equals(program)) return p.attaches().getFirst().name() + (p.attaches().size() > 1 ? " (and " + (p.attaches().size() - 1) + " more)" : "");
    return program;
  }

  /** {@return the number of attach points, BEGIN and END included: the N of "Attaching N probes..."} */
  public int probeCount() {
    return probeCount(script);
  }

  /** {@return the number of attach points of {@code script}, BEGIN and END included}, as {@link #probeCount()} */
  public static int probeCount(CompiledScript script) {
    int n = 0;
    for (CompiledScript.ProbeProgram p : script.programs()) n += p.attaches().size();
    return n;
  }

  /**
   * Attaches every program except BEGIN and END, which run when {@link #run()} starts and ends; {@link #run()}
   * attaches them after BEGIN unless this has done it already (e.g. for {@code --dry-run}).
   */
  public void attach() {
    if (attached) return;
    attached = true;
    if (attacher == null) {
      attacher = new Attacher(script, programs, maps, err, (a, l) -> {
        // told from the threads that attach, and from the one that sets watchpoints on function arguments
        if (a instanceof Attach.Watchpoint w && w.address() != 0) {
          synchronized (watchpoints) {
            watchpoints.computeIfAbsent(w.address(), k -> new ArrayList<>()).add(l);
          }
        }
      });
    }
    attacher.attachAll(plan);
  }

  /** Detaches the watchpoints on {@code address}, for {@code unwatch()}. */
  private void unwatch(long address) {
    List<Link> ls;
    synchronized (watchpoints) {
      ls = watchpoints.remove(address);
    }
    if (ls != null) attacher.detach(ls);
  }

  /** Has {@code action} run once BEGIN has run and every probe is attached: e.g. start the {@code -c} command. */
  public void onRunning(Runnable action) { this.onRunning = action; }

  /**
   * Shows {@code l} the contents of the maps it wants while {@link #run()} runs: what {@code print()} prints, what
   * {@code clear()} removes, samples, and the maps at the end.
   */
  public void listen(MapListener l) {
    listener = l;
    dispatcher.listen(l, () -> System.nanoTime() - started);
  }

  /** Reads the maps the listener samples, when their time has come. */
  private void sample() {
    long now = System.nanoTime();
    if (now < nextSample) return;
    for (MapInfo m : script.typed().maps())
      if (listener.samples(m)) listener.sampled(m, reader.read(m, maps.get(m.specName())), now - started);
    nextSample = now + listener.sampleInterval();
  }

  /** Asks a running {@link #run()} to stop as on Ctrl-C: run END, print the maps, return. Safe from any thread. */
  public void requestStop() {
    stopRequested = true;
    RingBuffer r = ring;
    if (r != null) r.wakeup();
  }

  /**
   * Runs BEGIN, attaches the other probes, then carries out events until a program calls {@code exit()} or {@link #requestStop()} is
   * called, then runs END and prints the maps. {@return the exit code: the argument of {@code exit()}, or 0}
   */
  public int run() {
    Globals.write(maps.get(CompiledScript.GLOBALS_MAP));
    started = System.nanoTime();
    if (listener != null && listener.sampleInterval() > 0) nextSample = started + listener.sampleInterval();
    // As bpftrace 0.17: BEGIN runs before the other probes are attached, so its events come before theirs (they
    // are all in one ring buffer, read once everything is attached), and the first interval comes a period after it.
    runSpecial(ProbeType.BEGIN);
    attach();
    if (options.notifyAttached()) err.println("__BPFTRACE_NOTIFY_PROBES_ATTACHED");
    if (onRunning != null) onRunning.run();
    long lastCheck = System.nanoTime();
    while (!exited && !stopRequested) {
      ring.poll(nextSample == Long.MAX_VALUE ? 1000 : (int) Math.clamp((nextSample - System.nanoTime()) / 1_000_000 + 1, 1, 1000), this::onRecord);
      out.flush();
      if (nextSample != Long.MAX_VALUE && !exited && !stopRequested) sample();
      long now = System.nanoTime();
      if (now - lastCheck > 1_000_000_000L) {
        checkCounters();
        lastCheck = now;
      }
    }
    detach();
    drain();
    if (listener != null) listener.stopping(System.nanoTime() - started);
    boolean exitedBefore = exited;
    exited = false;
    runSpecial(ProbeType.END);
    drain();
    exited |= exitedBefore;
    checkCounters();
    List<MapDump> dumps = new ArrayList<>();
    long ended = System.nanoTime() - started;
    for (MapInfo m : script.typed().maps()) {
      boolean listened = listener != null && listener.wants(m);
      if (!options.printMapsOnExit() && !listened) continue;
      MapDump dump = reader.read(m, maps.get(m.specName()));
      if (options.printMapsOnExit()) dumps.add(dump);
      if (listened) listener.ended(m, dump, ended);
    }
    out.exit(dumps);
    out.flush();
    return exitCode;
  }

  private void runSpecial(ProbeType type) {
    for (CompiledScript.ProbeProgram p : script.programs()) {
      if (p.type() != type) continue;
      programs.get(p.program()).testRun(TestRun.withContext(new byte[8]));
    }
  }

  private void drain() {
    while (ring.consume(this::onRecord) > 0) {
      // keep going until the ring is empty
    }
    out.flush();
  }

  private void detach() {
    if (attacher != null) attacher.detachAll();
  }

  private void onRecord(MemorySegment rec) {
    if (exited) return;
    switch (dispatcher.dispatch(rec)) {
      case EventDispatcher.Outcome.Continue c -> {}
      case EventDispatcher.Outcome.Exit(int code) -> {
        exitCode = code;
        exited = true;
      }
    }
  }

  /** Reports events lost since the last check, and maps that filled up (once each). */
  private void checkCounters() {
    if (counters == null) counters = new Counters(script.typed(), maps.get(CompiledScript.LOST_MAP), maps.get(CompiledScript.ERRORS_MAP));
    counters.check(out);
  }

  @Override public void close() {
    detach();
    if (ring != null) ring.close();
    programs.values().forEach(BpfProgram::close);
    programs.clear();
    maps.values().forEach(BpfMap::close);
    maps.clear();
  }
}
