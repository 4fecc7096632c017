package jbpf.lang.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.asm.Bytecode;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.typed.TypedProgram.TProbe;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.spec.AttachType;
import jbpf.spec.CollectionSpec;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;

/**
 * Code generation: turns a {@link TypedProgram} into eBPF programs and map blueprints. One program per
 * probe (per attach point when the body reads what differs between its attach points, such as {@code args}, or
 * when the kernel has no attach cookies); programs whose code comes out identical are loaded once and attached
 * everywhere, telling their attach points apart by cookie. Watchpoints on a function's argument get a uprobe
 * program besides, which reports the address to watch.
 */
public final class CodeGen {
  private CodeGen() {}

  /**
   * What code generation may assume about the kernel.
   *
   * @param attachCookies whether {@code bpf_get_attach_cookie} is available (Linux 5.15+)
   * @param possibleCpus the number of possible CPUs, over which programs combine per-CPU values; 0 if unknown
   */
  public record Options(boolean attachCookies, int possibleCpus) {
    public static final Options DEFAULT = new Options(true, 0);

    public Options(boolean attachCookies) { this(attachCookies, 0); }
  }

  /** Generates code for {@code typed}. @throws CompileException if a probe cannot be compiled (e.g. too much stack) */
  public static CompiledScript generate(TypedProgram typed, Options options) throws CompileException {
    Map<String, MapSpec> maps = new LinkedHashMap<>();
    Map<String, Integer> mapIndex = new HashMap<>();
    int maxKeys = typed.settings().maxMapKeys();
    for (MapInfo m : typed.maps()) {
      mapIndex.put(m.specName(), mapIndex.size());
      maps.put(m.specName(), MapStorage.of(m, maxKeys).spec(m.specName()));
    }
    maps.put(CompiledScript.EVENTS_MAP, MapSpec.ringBuffer(CompiledScript.EVENTS_MAP, typed.settings().ringBufBytes()));
    maps.put(CompiledScript.LOST_MAP, new MapSpec(CompiledScript.LOST_MAP, MapType.ARRAY, 4, 8, 1));
    maps.put(CompiledScript.ERRORS_MAP, new MapSpec(CompiledScript.ERRORS_MAP, MapType.ARRAY, 4, 8 * Math.max(1, typed.maps().size()), 1));

    List<String> probeNames = new ArrayList<>();
    Unit unit = new Unit(options, typed, mapIndex);
    for (TProbe p : typed.probes()) {
      List<Long> cookies = new ArrayList<>();
      for (Attach a : p.attaches()) {
        cookies.add((long) probeNames.size());
        probeNames.add(a.name());
      }
      if (p.attaches().isEmpty()) continue;
      ProbeType type = p.attaches().getFirst().type();
      boolean cookie = options.attachCookies() && p.attaches().size() > 1 && supportsCookie(type);
      if (cookie || p.attaches().size() == 1 || type == ProbeType.BEGIN || type == ProbeType.END) {
        unit.add(p, p.attaches(), cookies, cookie ? -1 : cookies.getFirst());
      } else {
        // Without cookies each attach point gets its own program, for its own value of the probe builtin.
        for (int i = 0; i < p.attaches().size(); i++) unit.add(p, List.of(p.attaches().get(i)), List.of(cookies.get(i)), cookies.get(i));
      }
    }
    for (TProbe p : typed.probes()) {
      for (Attach a : p.attaches()) {
        if (a instanceof Attach.Watchpoint w && w.setup() != null) unit.watchSetup(w, probeNames.indexOf(w.name()));
      }
    }
    List<Diagnostic> errors = unit.errors;
    List<ProgramSpec> programs = unit.programs;
    List<CompiledScript.ProbeProgram> probePrograms = unit.probePrograms;
    if (unit.watchSetups > 0) {
      maps.put(CompiledScript.WATCH_MAP, MapSpec.ringBuffer(CompiledScript.WATCH_MAP, 1 << 16));
    }
    if (programs.stream().anyMatch(p -> p.code().mapNames().contains(CompiledScript.FUNCTIONS_MAP))) {
      int longest = 1;
      for (CompiledScript.ProbeProgram p : probePrograms)
        for (Attach a : p.attaches()) if (Attach.functionOf(a) != null) longest = Math.max(longest, Attach.functionOf(a).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1);
      maps.put(CompiledScript.FUNCTIONS_MAP, new MapSpec(CompiledScript.FUNCTIONS_MAP, MapType.ARRAY, 4, Type.alignUp(longest, 8), probeNames.size()));
    }
    if (!errors.isEmpty()) throw new CompileException(errors);
    int scratch = unit.scratch;
    if (scratch > 0) maps.put(ProbeGen.SCRATCH_MAP, new MapSpec(ProbeGen.SCRATCH_MAP, MapType.PERCPU_ARRAY, 4, Type.alignUp(scratch, 8), 1));
    supportMaps(programs, maps, maxKeys);
    return new CompiledScript(typed, new CollectionSpec(maps, programs), probePrograms, probeNames);
  }

  /** The programs generated so far, with identical ones shared. */
  private static final class Unit {
    final Options options;
    final TypedProgram typed;
    final Map<String, Integer> mapIndex;
    final List<ProgramSpec> programs = new ArrayList<>();
    final List<CompiledScript.ProbeProgram> probePrograms = new ArrayList<>();
    final Map<List<Object>, Integer> byCode = new HashMap<>();  // identical code → index in probePrograms
    final List<Diagnostic> errors = new ArrayList<>();
    int scratch;       // the most scratch memory a program needs
    int watchSetups;

    Unit(Options options, TypedProgram typed, Map<String, Integer> mapIndex) {
      this.options = options;
      this.typed = typed;
      this.mapIndex = mapIndex;
    }

    /** Generates the program of {@code p} for {@code attaches}; {@code probeIndex} is -1 to read the attach cookie. */
    void add(TProbe p, List<Attach> attaches, List<Long> cookies, long probeIndex) {
      ProbeType type = attaches.getFirst().type();
      TProbe probe = attaches.equals(p.attaches()) ? p : new TProbe(p.text(), attaches, p.predicate(), p.body(), p.index());
      Bytecode code;
      try {
        Generated gen = generate(probe, typed, new ProbeGen.ProbeInfo(probeIndex, mapIndex, typed.settings().maxMapKeys(), options.possibleCpus()));
        code = gen.code;
        scratch = Math.max(scratch, gen.scratch);
      } catch (Frame.StackFullException | ProbeGen.CallDepthException e) {
        errors.add(Diagnostic.error(p.body().span(), "probe " + p.text() + " " + e.getMessage()));
        return;
      }
      // A kfunc program is loaded for one function: programs with the same code cannot be shared between them.
      boolean shareable = probeIndex >= 0 && type != ProbeType.BEGIN && type != ProbeType.END && type != ProbeType.KFUNC
          && type != ProbeType.KRETFUNC && (options.attachCookies() || type == ProbeType.RAWTRACEPOINT);
      List<Object> key = List.of(type, code.insns());
      Integer same = shareable ? byCode.get(key) : null;
      if (same != null) {
        CompiledScript.ProbeProgram old = probePrograms.get(same);
        List<Attach> at = new ArrayList<>(old.attaches());
        at.addAll(attaches);
        List<Long> ck = new ArrayList<>(old.cookies());
        ck.addAll(cookies);
        probePrograms.set(same, new CompiledScript.ProbeProgram(old.program(), type, at, ck));
        return;
      }
      String name = programName(programs.size(), attaches.getFirst());
      programs.add(programSpec(name, attaches.getFirst(), code));
      if (shareable) byCode.put(key, probePrograms.size());
      probePrograms.add(new CompiledScript.ProbeProgram(name, type, attaches, cookies));
    }

    /**
     * Adds the uprobe program that starts watchpoint {@code w} on a function's argument: it sends the argument's
     * value, with the watchpoint's probe index and the thread, to the {@link CompiledScript#WATCH_MAP} ring buffer, and
     * unless the watchpoint is asynchronous stops the process until userspace has set the watchpoint.
     */
    void watchSetup(Attach.Watchpoint w, int probeIndex) {
      String name = programName(programs.size(), w.setup());
      programs.add(new ProgramSpec(name, ProgramType.KPROBE, WatchSetupGen.generate(w, probeIndex)));
      probePrograms.add(new CompiledScript.ProbeProgram(name, ProbeType.UPROBE, List.of(w.setup()), List.of((long) probeIndex)));
      watchSetups++;
    }
  }

  /** {@return the blueprint of a program attached at {@code a}: kfunc programs name their function and attach type} */
  static ProgramSpec programSpec(String name, Attach a, Bytecode code) {
    if (a instanceof Attach.Kfunc k)
      return new ProgramSpec(name, ProgramType.TRACING, attachType(a.type()), k.function(), code, "GPL");
    return new ProgramSpec(name, programType(a.type()), code);
  }

  /** {@return the attach type a program of probe type {@code t} is loaded with, or {@code null} for none} */
  static AttachType attachType(ProbeType t) {
    return switch (t) {
      case KFUNC -> AttachType.TRACE_FENTRY;
      case KRETFUNC -> AttachType.TRACE_FEXIT;
      case BEGIN, END, TRACEPOINT, RAWTRACEPOINT, KPROBE, KRETPROBE, UPROBE, URETPROBE, USDT, PROFILE, INTERVAL, SOFTWARE,
           HARDWARE, WATCHPOINT, ASYNCWATCHPOINT, ITER -> null;
    };
  }

  /** Adds the maps that programs use for their functions: stack maps by depth, and the globals. */
  private static void supportMaps(List<ProgramSpec> programs, Map<String, MapSpec> maps, int maxKeys) {
    for (ProgramSpec p : programs) {
      for (String name : p.code().mapNames()) {
        if (maps.containsKey(name)) continue;
        if (name.equals(CompiledScript.GLOBALS_MAP)) {
          maps.put(name, new MapSpec(name, MapType.ARRAY, 4, CompiledScript.GLOBALS_SIZE, 1));
        } else if (name.startsWith(CompiledScript.STACK_MAP_PREFIX)) {
          int depth = Integer.parseInt(name.substring(CompiledScript.STACK_MAP_PREFIX.length()));
          maps.put(name, new MapSpec(name, MapType.STACK_TRACE, 4, 8 * depth, maxKeys));
        }
      }
    }
  }

  /** A probe's code and the scratch memory it needs. */
  private record Generated(Bytecode code, int scratch) {}

  /** Stack budgets to try, largest first: each later one moves more values to scratch memory. */
  private static final int[] BUDGETS = {Frame.LIMIT, 256, 128, 64, 0};

  /**
   * Generates {@code p} with all of the stack at its disposal, and if its functions together need more than the
   * kernel allows, again with less, so that the common case stays on the stack.
   */
  private static Generated generate(TProbe p, TypedProgram typed, ProbeGen.ProbeInfo info) {
    Frame.StackFullException last = null;
    for (int budget : BUDGETS) {
      try {
        ProbeGen g = new ProbeGen(p, typed, info, budget);
        Bytecode code = g.generate();
        return new Generated(code, g.scratchSize());
      } catch (Frame.StackFullException e) {
        last = e;
      }
    }
    throw last;
  }

  private static boolean supportsCookie(ProbeType t) {
    return switch (t) {
      case TRACEPOINT, KPROBE, KRETPROBE, UPROBE, URETPROBE, USDT, PROFILE, INTERVAL, SOFTWARE, HARDWARE,
           WATCHPOINT, ASYNCWATCHPOINT -> true;
      case BEGIN, END, RAWTRACEPOINT, KFUNC, KRETFUNC, ITER -> false;
    };
  }

  static ProgramType programType(ProbeType t) {
    return switch (t) {
      case BEGIN, END, RAWTRACEPOINT -> ProgramType.RAW_TRACEPOINT;
      case TRACEPOINT -> ProgramType.TRACEPOINT;
      case KPROBE, KRETPROBE, UPROBE, URETPROBE, USDT -> ProgramType.KPROBE;
      case PROFILE, INTERVAL, SOFTWARE, HARDWARE, WATCHPOINT, ASYNCWATCHPOINT -> ProgramType.PERF_EVENT;
      case KFUNC, KRETFUNC, ITER -> ProgramType.TRACING;
    };
  }

  /** {@return a program name the kernel keeps (15 characters of [A-Za-z0-9_])} */
  private static String programName(int index, Attach a) {
    String base = a.name().replaceAll("[^A-Za-z0-9_]", "_");
    String name = base + "_" + index;
    if (name.length() > 15) name = base.substring(0, Math.min(base.length(), 15 - 1 - String.valueOf(index).length())) + "_" + index;
    return name;
  }

  static boolean bucketed(AggKind k) { return k != null && k.bucketed(); }
}
