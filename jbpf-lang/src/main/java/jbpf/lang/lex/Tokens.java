package jbpf.lang.lex;

import java.util.List;
import jbpf.source.Diagnostic;

/**
 * The tokens of a script, ending with one {@link TokenKind#EOF}, and the lexing errors found on the way.
 * A malformed token is reported here and either skipped or kept in its best-effort form, so the parser can go on.
 */
public record Tokens(List<Token> tokens, List<Diagnostic> diagnostics) {
  public Tokens {
    tokens = List.copyOf(tokens);
    diagnostics = List.copyOf(diagnostics);
  }
}
