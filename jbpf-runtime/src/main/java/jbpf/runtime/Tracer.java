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
   * @param notifyAttached print {@code __BPFTRACE_NOTIFY_PROBES_ATTACHED} once attached, for test harnesses
   */
  public record Options(boolean verbose, boolean printMapsOnExit, boolean notifyAttached) {}

  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

  private final CompiledScript script;
  private final Options options;
  private final Output out;
  private final PrintStream err;
  private final Map<String, BpfMap> maps = new LinkedHashMap<>();
  private final Map<String, BpfProgram> programs = new HashMap<>();
  private final List<Link> links = new ArrayList<>();
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
    Tracer t = new Tracer(script, options, out, err);
    try {
      for (MapSpec m : script.collection().maps().values()) t.maps.put(m.name(), Globals.create(m));
      LoadOptions lo = LoadOptions.defaults().withLog(options.verbose() ? VerifierLog.STATS : VerifierLog.ON_FAILURE);
      for (ProgramSpec p : script.collection().programs()) {
        if (options.verbose()) err.print("\nProgram " + p.name() + ":\n" + p.code().disassemble());
        BpfProgram prog;
        SubprogramBtf.Result functions = SubprogramBtf.of(p.name(), p.code());
        try (jbpf.prog.BtfObject btf = functions == null ? null : jbpf.prog.BtfObject.load(functions.btf())) {
          prog = BpfProgram.load(p, t.maps::get, btf == null ? lo : lo.withBtf(new jbpf.prog.ProgramBtf(btf, functions.funcInfo(), null)));
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

  /** Attaches every program except BEGIN and END, which run when {@link #run()} starts and ends. */
  public void attach() {
    links.addAll(Attacher.attachAll(script, programs, (a, l) -> {
      long addr = Globals.watchedAddress(a);
      if (addr != -1) watchpoints.computeIfAbsent(addr, k -> new ArrayList<>()).add(l);
    }));
  }

  /** Detaches the watchpoints on {@code address}, for {@code unwatch()}. */
  private void unwatch(long address) {
    List<Link> ls = watchpoints.remove(address);
    if (ls == null) return;
    links.removeAll(ls);
    Link.closeAll(ls);
  }

  /** Asks a running {@link #run()} to stop as on Ctrl-C: run END, print the maps, return. Safe from any thread. */
  public void requestStop() {
    stopRequested = true;
    RingBuffer r = ring;
    if (r != null) r.wakeup();
  }

  /**
   * Runs BEGIN, then carries out events until a program calls {@code exit()} or {@link #requestStop()} is
   * called, then runs END and prints the maps. {@return the exit code: the argument of {@code exit()}, or 0}
   */
  public int run() {
    if (options.notifyAttached()) {
      out.flush();
      System.out.println("__BPFTRACE_NOTIFY_PROBES_ATTACHED");
      System.out.flush();
    }
    Globals.write(maps.get(CompiledScript.GLOBALS_MAP));
    runSpecial(ProbeType.BEGIN);
    drain();
    long lastCheck = System.nanoTime();
    while (!exited && !stopRequested) {
      ring.poll(1000, this::onRecord);
      out.flush();
      long now = System.nanoTime();
      if (now - lastCheck > 1_000_000_000L) {
        checkCounters();
        lastCheck = now;
      }
    }
    detach();
    drain();
    boolean exitedBefore = exited;
    exited = false;
    runSpecial(ProbeType.END);
    drain();
    exited |= exitedBefore;
    checkCounters();
    List<MapDump> dumps = new ArrayList<>();
    if (options.printMapsOnExit()) for (MapInfo m : script.typed().maps()) dumps.add(reader.read(m, maps.get(m.specName())));
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
    Link.closeAll(links);
    links.clear();
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
