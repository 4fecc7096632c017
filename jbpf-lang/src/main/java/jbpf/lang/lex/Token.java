package jbpf.lang.lex;

import java.util.Objects;
import jbpf.source.Span;

/**
 * One token of a script.
 *
 * @param text identifiers, numbers and operators as written; for {@link TokenKind#STRING} and {@link TokenKind#CHAR}
 *     the value with escapes decoded and without quotes; for {@link TokenKind#ATTACH_POINT} the attach point as written;
 *     for {@link TokenKind#PREPROC} the whole directive line
 * @param span where the token was written ({@link Span#text()} is always the raw text)
 */
public record Token(TokenKind kind, String text, Span span) {
  public Token {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(text);
    Objects.requireNonNull(span);
  }

  /** {@return whether this is the identifier {@code word}, e.g. a keyword such as {@code if}} */
  public boolean is(String word) { return kind == TokenKind.IDENT && text.equals(word); }

  @Override public String toString() { return kind + "(" + text + ")@" + span; }
}
