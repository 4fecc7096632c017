package jbpf.source;

import java.util.List;

/** A script that cannot be compiled: every diagnostic found, in source order. */
public final class CompileException extends Exception {
  private final List<Diagnostic> diagnostics;

  public CompileException(List<Diagnostic> diagnostics) {
    super(diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).findFirst()
        .or(() -> diagnostics.stream().findFirst()).map(Diagnostic::message).orElse("compilation failed"));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public CompileException(Diagnostic diagnostic) { this(List.of(diagnostic)); }

  /** {@return the diagnostics, at least one of them an error} */
  public List<Diagnostic> diagnostics() { return diagnostics; }

  /** {@return all diagnostics rendered, as they are printed} */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) out.append(d.render());
    return out.toString();
  }
}
