package jbpf.lang.parse;

import java.util.List;
import java.util.Objects;
import jbpf.lang.ast.Program;
import jbpf.source.Diagnostic;

/**
 * What {@link Parser#parse} found: the program, as complete as the errors allowed, and every diagnostic in source
 * order. When {@link #hasErrors()} the program is only good for showing more diagnostics, not for compiling.
 */
public record ParseResult(Program program, List<Diagnostic> diagnostics) {
  public ParseResult {
    Objects.requireNonNull(program);
    diagnostics = List.copyOf(diagnostics);
  }

  /** {@return whether any diagnostic is an error} */
  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
  }
}
