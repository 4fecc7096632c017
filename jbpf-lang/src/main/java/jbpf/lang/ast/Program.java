package jbpf.lang.ast;

import java.util.List;
import jbpf.source.Span;

/**
 * A whole script: {@code #include} lines, C type definitions, an optional {@code config = { ... }} block,
 * user functions ({@code fn name(...)}), macros and probes, in source order within each list.
 */
public record Program(List<String> includes, List<Decl> decls, List<ConfigEntry> config, List<Decl.Function> functions,
                      List<Decl.Macro> macros, List<Probe> probes, Span span) implements Node {
  public Program {
    includes = List.copyOf(includes);
    decls = List.copyOf(decls);
    config = List.copyOf(config);
    functions = List.copyOf(functions);
    macros = List.copyOf(macros);
    probes = List.copyOf(probes);
  }
}
