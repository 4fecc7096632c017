package jbpf.lang.typed;

import java.util.List;
import java.util.Set;
import jbpf.lang.probe.Attach;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * A script after semantic analysis: every probe with its concrete attach points and typed body, every
 * map, every asynchronous event, and the settings that shape code generation.
 */
public record TypedProgram(Source source, List<TProbe> probes, List<MapInfo> maps, List<AsyncEvent> events, Settings settings,
                           List<TFunction> functions, List<Diagnostic> warnings) {
  public TypedProgram {
    probes = List.copyOf(probes);
    maps = List.copyOf(maps);
    events = List.copyOf(events);
    functions = List.copyOf(functions);
    warnings = List.copyOf(warnings);
  }

  public TypedProgram(Source source, List<TProbe> probes, List<MapInfo> maps, List<AsyncEvent> events, Settings settings) {
    this(source, probes, maps, events, settings, List.of(), List.of());
  }

  /** {@return the user function named {@code name}} @throws IllegalStateException if there is none */
  public TFunction function(String name) {
    for (TFunction f : functions) if (f.name().equals(name)) return f;
    throw new IllegalStateException("no user function " + name);
  }

  /**
   * A user function {@code fn name($a: type, ...): type { ... }}, compiled once per program that calls it.
   *
   * @param returnType {@link jbpf.lang.types.Type.Void} for a function that returns no value
   */
  public record TFunction(String name, List<Variable> params, jbpf.lang.types.Type returnType, TStmt.Block body, Span span) {
    public TFunction { params = List.copyOf(params); }
  }

  /** A probe: where it attaches, its predicate (or {@code null}), its body. */
  public record TProbe(String text, List<Attach> attaches, TExpr predicate, TStmt.Block body, int index) {
    public TProbe { attaches = List.copyOf(attaches); }
  }

  /**
   * Settings from the command line, the environment and the script's {@code config} block.
   *
   * @param maxStrlen the size of string buffers ({@code BPFTRACE_MAX_STRLEN}, default 64)
   * @param maxMapKeys the capacity of each map ({@code BPFTRACE_MAP_KEYS_MAX}, default 4096)
   * @param ringBufBytes the size of the event ring buffer
   * @param printMapsOnExit whether every map is printed when the script ends ({@code print_maps_on_exit})
   * @param fromEnvironment the {@code config} keys that environment variables set, which the script cannot
   *     override (as in bpftrace), e.g. {@code max_map_keys}
   * @param unsafe whether functions with side effects ({@code system}, {@code signal}...) are allowed ({@code --unsafe})
   */
  public record Settings(int maxStrlen, int maxMapKeys, int ringBufBytes, boolean printMapsOnExit, Set<String> fromEnvironment,
                         boolean unsafe) {
    public static final Settings DEFAULT = new Settings(64, 4096, 1 << 22);

    public Settings {
      fromEnvironment = Set.copyOf(fromEnvironment);
    }

    public Settings(int maxStrlen, int maxMapKeys, int ringBufBytes) { this(maxStrlen, maxMapKeys, ringBufBytes, true, Set.of(), false); }

    /** {@return these settings with {@code unsafe} set} */
    public Settings withUnsafe(boolean unsafe) {
      return new Settings(maxStrlen, maxMapKeys, ringBufBytes, printMapsOnExit, fromEnvironment, unsafe);
    }
  }
}
