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
import jbpf.spec.CollectionSpec;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;

/**
 * Code generation: turns a {@link TypedProgram} into eBPF programs and map blueprints. One program per
 * probe (per attach point when the body reads that attach point's {@code args}); programs whose code comes
 * out identical are loaded once and attached everywhere, telling their attach points apart by cookie.
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
    List<ProgramSpec> programs = new ArrayList<>();
    List<CompiledScript.ProbeProgram> probePrograms = new ArrayList<>();
    Map<List<Object>, Integer> byCode = new HashMap<>();  // identical code → index in probePrograms
    List<Diagnostic> errors = new ArrayList<>();
    int scratch = 0;
    for (TProbe p : typed.probes()) {
      List<Long> cookies = new ArrayList<>();
      for (Attach a : p.attaches()) {
        cookies.add((long) probeNames.size());
        probeNames.add(a.name());
      }
      if (p.attaches().isEmpty()) continue;
      ProbeType type = p.attaches().getFirst().type();
      boolean cookie = options.attachCookies() && p.attaches().size() > 1 && supportsCookie(type);
      long probeIndex = cookie ? -1 : cookies.getFirst();
      Bytecode code;
      try {
        Generated gen = generate(p, typed, new ProbeGen.ProbeInfo(probeIndex, mapIndex, maxKeys, options.possibleCpus()));
        code = gen.code;
        scratch = Math.max(scratch, gen.scratch);
      } catch (Frame.StackFullException | ProbeGen.CallDepthException e) {
        errors.add(Diagnostic.error(p.body().span(), "probe " + p.text() + " " + e.getMessage()));
        continue;
      }
      List<Object> key = List.of(type, code.insns());
      Integer same = cookie || type == ProbeType.BEGIN || type == ProbeType.END ? null : byCode.get(key);
      if (same != null && options.attachCookies()) {
        CompiledScript.ProbeProgram old = probePrograms.get(same);
        List<Attach> at = new ArrayList<>(old.attaches());
        at.addAll(p.attaches());
        List<Long> ck = new ArrayList<>(old.cookies());
        ck.addAll(cookies);
        probePrograms.set(same, new CompiledScript.ProbeProgram(old.program(), type, at, ck));
        continue;
      }
      String name = programName(programs.size(), p.attaches().getFirst());
      programs.add(new ProgramSpec(name, programType(type), code));
      if (!cookie && type != ProbeType.BEGIN && type != ProbeType.END) byCode.put(key, probePrograms.size());
      probePrograms.add(new CompiledScript.ProbeProgram(name, type, p.attaches(), cookies));
    }
    if (!errors.isEmpty()) throw new CompileException(errors);
    if (scratch > 0) maps.put(ProbeGen.SCRATCH_MAP, new MapSpec(ProbeGen.SCRATCH_MAP, MapType.PERCPU_ARRAY, 4, Type.alignUp(scratch, 8), 1));
    supportMaps(programs, maps, maxKeys);
    return new CompiledScript(typed, new CollectionSpec(maps, programs), probePrograms, probeNames);
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
