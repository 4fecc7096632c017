package jbpf.lang.lex;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * Turns script text into {@link Tokens}. Errors (an invalid character, an unterminated string or comment, a bad
 * number) become diagnostics; the lexer never throws and always reaches the end of the text.
 *
 * <p>Where a token starts decides how it is read, as in bpftrace:
 * <ul>
 *   <li>At the top level, a word that is not a declaration keyword ({@code struct}, {@code fn}, {@code config}...)
 *       starts an attach point, which runs up to whitespace, {@code ,}, {@code {} or a predicate's {@code /}; quoted
 *       parts may hold anything. A {@code /} belongs to the attach point when it is the first character of a part, when
 *       the part already is a path ({@code /usr/lib}, {@code ./a.out}), or when the provider takes a file
 *       ({@code uprobe}, {@code uretprobe}, {@code usdt} and their short names); otherwise it starts the predicate, so
 *       {@code kprobe:f/pid == 1/} and {@code BEGIN/1/} work.</li>
 *   <li>In a predicate, a {@code /} followed by blanks or comments and then {@code {} is {@link TokenKind#PRED_END};
 *       any other {@code /} divides.</li>
 *   <li>A {@code #} that starts a line outside of strings is a preprocessor directive running to the end of the line
 *       (with {@code \} continuations); {@code #!} lines are skipped.</li>
 * </ul>
 */
public final class Lexer {
  private enum State { TOP, AFTER_ATTACH_POINT, NEXT_ATTACH_POINT, PREDICATE, BODY, DECL, FRAGMENT }

  private static final Set<String> DECL_KEYWORDS = Set.of("struct", "union", "enum", "typedef", "fn", "macro", "config", "let", "import");
  private static final Set<String> FILE_PROVIDERS = Set.of("uprobe", "u", "uretprobe", "ur", "usdt", "U");

  private final Source source;
  private final String text;
  private final int limit;
  private int pos;
  private State state;
  private int depth;
  private boolean declEndsAtBrace;
  private final List<Token> tokens = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  private Lexer(Source source, int start, int end, State state) {
    this.source = source;
    this.text = source.text();
    this.pos = start;
    this.limit = end;
    this.state = state;
  }

  /** {@return the tokens of a whole script} */
  public static Tokens lex(Source source) {
    return new Lexer(source, 0, source.text().length(), State.TOP).run();
  }

  /**
   * {@return the tokens of {@code [start, end)} of {@code source}, read as statement text} No attach points or
   * predicates are recognised, {@code #} is an ordinary (invalid) character, and a {@code \} at the end of a line is
   * a line continuation. This is how the bodies of {@code #define} and the conditions of {@code #if} are read.
   */
  public static Tokens lexFragment(Source source, int start, int end) {
    if (start < 0 || end < start || end > source.text().length()) throw new IllegalArgumentException("bad fragment [" + start + ", " + end + ")");
    return new Lexer(source, start, end, State.FRAGMENT).run();
  }

  private Tokens run() {
    if (state == State.TOP && pos == 0 && limit > 0 && text.charAt(0) == '\uFEFF') pos++;
    while (true) {
      skipTrivia();
      if (pos >= limit) break;
      char c = text.charAt(pos);
      if (c == '#' && state != State.FRAGMENT && atLineStart(pos)) {
        directive();
        continue;
      }
      switch (state) {
        case TOP -> top();
        case NEXT_ATTACH_POINT -> {
          if (isIdentStart(c) || c == '*' || positionalStart(pos)) attachPoint();
          else {
            state = State.AFTER_ATTACH_POINT;
            afterAttachPoint();
          }
        }
        case AFTER_ATTACH_POINT -> afterAttachPoint();
        case PREDICATE, BODY, DECL, FRAGMENT -> token();
      }
    }
    tokens.add(new Token(TokenKind.EOF, "", source.span(limit, limit)));
    return new Tokens(tokens, diagnostics);
  }

  // ---- states

  private void top() {
    char c = text.charAt(pos);
    if (isIdentStart(c)) {
      int end = identEnd(pos);
      String word = text.substring(pos, end);
      if (DECL_KEYWORDS.contains(word) && !(end < limit && text.charAt(end) == ':')) {
        emit(TokenKind.IDENT, word, pos, end);
        pos = end;
        state = State.DECL;
        depth = 0;
        declEndsAtBrace = !(word.equals("typedef") || word.equals("let") || word.equals("import"));
        return;
      }
      attachPoint();
    } else if (c == '*' || positionalStart(pos)) {
      attachPoint();  // `$1 { ... }`: the whole attach point is a parameter, expanded by the analyzer
    } else {
      token();
    }
  }

  private boolean positionalStart(int at) {
    return text.charAt(at) == '$' && at + 1 < limit && Character.isDigit(text.charAt(at + 1));
  }

  private void afterAttachPoint() {
    char c = text.charAt(pos);
    if (c == ',') {
      emit(TokenKind.COMMA, ",", pos, pos + 1);
      pos++;
      state = State.NEXT_ATTACH_POINT;
    } else if (c == '/') {
      emit(TokenKind.SLASH, "/", pos, pos + 1);
      pos++;
      state = State.PREDICATE;
    } else {
      token();
    }
  }

  /** Reads one attach point as written; see the class comment for where it ends. */
  private void attachPoint() {
    int start = pos;
    int partStart = pos;
    boolean colon = false;
    while (pos < limit) {
      char c = text.charAt(pos);
      if (c == '"') {
        int quote = pos++;
        while (pos < limit && text.charAt(pos) != '"' && text.charAt(pos) != '\n') {
          if (text.charAt(pos) == '\\' && pos + 1 < limit && text.charAt(pos + 1) != '\n') pos++;
          pos++;
        }
        if (pos >= limit || text.charAt(pos) != '"') {
          error(quote, pos, "unterminated string", null);
          break;
        }
        pos++;
        continue;
      }
      if (isSpace(c) || c == ',' || c == '{' || c == '}' || c == ';') break;
      if (c == ':') {
        colon = true;
        partStart = ++pos;
        continue;
      }
      if (c == '/') {
        boolean path = colon && (partStart == pos || isPathStart(text.charAt(partStart))
            || text.substring(partStart, pos).indexOf('/') >= 0 || FILE_PROVIDERS.contains(text.substring(start, text.indexOf(':', start))));
        if (!path) break;
      }
      pos++;
    }
    emit(TokenKind.ATTACH_POINT, text.substring(start, pos), start, pos);
    state = State.AFTER_ATTACH_POINT;
  }

  private static boolean isPathStart(char c) { return c == '/' || c == '.' || c == '~'; }

  /** A preprocessor line, or a {@code #!} line that is skipped. */
  private void directive() {
    int start = pos;
    int end = pos;
    while (true) {
      int eol = text.indexOf('\n', end);
      if (eol < 0 || eol >= limit) {
        end = limit;
        break;
      }
      int last = eol - 1;
      if (last >= start && text.charAt(last) == '\r') last--;
      if (last >= start && text.charAt(last) == '\\') {
        end = eol + 1;
        continue;
      }
      end = eol;
      break;
    }
    pos = end;
    int textEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
    if (text.startsWith("#!", start)) return;
    emit(TokenKind.PREPROC, text.substring(start, textEnd), start, textEnd);
  }

  // ---- ordinary tokens

  private void token() {
    int start = pos;
    char c = text.charAt(pos);
    if (isIdentStart(c)) {
      int end = identEnd(pos);
      emit(TokenKind.IDENT, text.substring(start, end), start, end);
      pos = end;
      return;
    }
    if (c >= '0' && c <= '9') {
      number();
      return;
    }
    char n = pos + 1 < limit ? text.charAt(pos + 1) : '\0';
    char n2 = pos + 2 < limit ? text.charAt(pos + 2) : '\0';
    switch (c) {
      case '"' -> string();
      case '\'' -> character();
      case '$' -> dollar();
      case '@' -> {
        int end = isIdentStart(n) ? identEnd(pos + 1) : pos + 1;
        emit(TokenKind.MAP, text.substring(start, end), start, end);
        pos = end;
      }
      case '{' -> {
        op(TokenKind.LBRACE, 1);
        switch (state) {
          case TOP, AFTER_ATTACH_POINT, NEXT_ATTACH_POINT, PREDICATE -> {
            state = State.BODY;
            depth = 1;
          }
          case BODY, DECL -> depth++;
          case FRAGMENT -> { }
        }
      }
      case '}' -> {
        op(TokenKind.RBRACE, 1);
        switch (state) {
          case BODY -> {
            if (--depth <= 0) state = State.TOP;
          }
          case DECL -> {
            depth = Math.max(0, depth - 1);
            if (depth == 0 && declEndsAtBrace) state = State.TOP;
          }
          case AFTER_ATTACH_POINT, NEXT_ATTACH_POINT, PREDICATE -> state = State.TOP;
          case TOP, FRAGMENT -> { }
        }
      }
      case ';' -> {
        op(TokenKind.SEMI, 1);
        if ((state == State.DECL && depth == 0) || state == State.AFTER_ATTACH_POINT || state == State.NEXT_ATTACH_POINT
            || state == State.PREDICATE) {
          state = State.TOP;
        }
      }
      case '(' -> op(TokenKind.LPAREN, 1);
      case ')' -> op(TokenKind.RPAREN, 1);
      case '[' -> op(TokenKind.LBRACKET, 1);
      case ']' -> op(TokenKind.RBRACKET, 1);
      case ',' -> op(TokenKind.COMMA, 1);
      case ':' -> op(TokenKind.COLON, 1);
      case '?' -> op(TokenKind.QUESTION, 1);
      case '~' -> op(TokenKind.TILDE, 1);
      case '.' -> {
        if (n == '.') op(TokenKind.DOTDOT, 2);
        else op(TokenKind.DOT, 1);
      }
      case '-' -> {
        if (n == '>') op(TokenKind.ARROW, 2);
        else if (n == '-') op(TokenKind.DEC, 2);
        else if (n == '=') op(TokenKind.MINUS_ASSIGN, 2);
        else op(TokenKind.MINUS, 1);
      }
      case '+' -> {
        if (n == '+') op(TokenKind.INC, 2);
        else if (n == '=') op(TokenKind.PLUS_ASSIGN, 2);
        else op(TokenKind.PLUS, 1);
      }
      case '*' -> {
        if (n == '=') op(TokenKind.STAR_ASSIGN, 2);
        else op(TokenKind.STAR, 1);
      }
      case '/' -> {
        if (state == State.PREDICATE && endsPredicate(pos + 1)) op(TokenKind.PRED_END, 1);
        else if (n == '=') op(TokenKind.SLASH_ASSIGN, 2);
        else op(TokenKind.SLASH, 1);
      }
      case '%' -> {
        if (n == '=') op(TokenKind.PERCENT_ASSIGN, 2);
        else op(TokenKind.PERCENT, 1);
      }
      case '&' -> {
        if (n == '&') op(TokenKind.LAND, 2);
        else if (n == '=') op(TokenKind.AMP_ASSIGN, 2);
        else op(TokenKind.AMP, 1);
      }
      case '|' -> {
        if (n == '|') op(TokenKind.LOR, 2);
        else if (n == '=') op(TokenKind.PIPE_ASSIGN, 2);
        else op(TokenKind.PIPE, 1);
      }
      case '^' -> {
        if (n == '=') op(TokenKind.CARET_ASSIGN, 2);
        else op(TokenKind.CARET, 1);
      }
      case '!' -> {
        if (n == '=') op(TokenKind.NE, 2);
        else op(TokenKind.BANG, 1);
      }
      case '=' -> {
        if (n == '=') op(TokenKind.EQ, 2);
        else op(TokenKind.ASSIGN, 1);
      }
      case '<' -> {
        if (n == '<' && n2 == '=') op(TokenKind.SHL_ASSIGN, 3);
        else if (n == '<') op(TokenKind.SHL, 2);
        else if (n == '=') op(TokenKind.LE, 2);
        else op(TokenKind.LT, 1);
      }
      case '>' -> {
        if (n == '>' && n2 == '=') op(TokenKind.SHR_ASSIGN, 3);
        else if (n == '>') op(TokenKind.SHR, 2);
        else if (n == '=') op(TokenKind.GE, 2);
        else op(TokenKind.GT, 1);
      }
      default -> {
        int len = Character.isHighSurrogate(c) && pos + 1 < limit && Character.isLowSurrogate(n) ? 2 : 1;
        error(pos, pos + len, "invalid character '" + printable(text.codePointAt(pos)) + "'", null);
        pos += len;
      }
    }
  }

  private void op(TokenKind kind, int length) {
    emit(kind, text.substring(pos, pos + length), pos, pos + length);
    pos += length;
  }

  /** {@return whether a {@code /} whose next character is at {@code p} closes a predicate: only blanks and comments lie before a {@code {} or the end} */
  private boolean endsPredicate(int p) {
    while (p < limit) {
      char c = text.charAt(p);
      if (isSpace(c)) {
        p++;
      } else if (c == '/' && p + 1 < limit && text.charAt(p + 1) == '/') {
        int eol = text.indexOf('\n', p);
        p = eol < 0 || eol > limit ? limit : eol;
      } else if (c == '/' && p + 1 < limit && text.charAt(p + 1) == '*') {
        int close = text.indexOf("*/", p + 2);
        p = close < 0 || close + 2 > limit ? limit : close + 2;
      } else {
        return c == '{';
      }
    }
    return true;
  }

  private void number() {
    int start = pos;
    while (pos < limit && isIdentPart(text.charAt(pos))) pos++;
    String literal = text.substring(start, pos);
    try {
      IntLiteral.parse(literal);
    } catch (IntLiteral.InvalidException e) {
      error(start, pos, e.getMessage(), e.hint());
    }
    emit(TokenKind.INT, literal, start, pos);
  }

  private void dollar() {
    int start = pos;
    char n = pos + 1 < limit ? text.charAt(pos + 1) : '\0';
    if (n == '#') {
      op(TokenKind.POSITIONAL, 2);
    } else if (n >= '0' && n <= '9') {
      int end = pos + 1;
      while (end < limit && text.charAt(end) >= '0' && text.charAt(end) <= '9') end++;
      emit(TokenKind.POSITIONAL, text.substring(start, end), start, end);
      pos = end;
    } else if (isIdentStart(n)) {
      int end = identEnd(pos + 1);
      emit(TokenKind.VAR, text.substring(start, end), start, end);
      pos = end;
    } else {
      error(pos, pos + 1, "invalid character '$'", "a scratch variable is written $name, a positional parameter $1");
      pos++;
    }
  }

  private void string() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= limit || text.charAt(pos) == '\n') {
        if (!value.isEmpty() && value.charAt(value.length() - 1) == '\r') value.setLength(value.length() - 1);
        error(start, pos, "unterminated string", null);
        break;
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        break;
      }
      if (c == '\\') escape(value);
      else {
        value.append(c);
        pos++;
      }
    }
    emit(TokenKind.STRING, value.toString(), start, pos);
  }

  private void character() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    boolean terminated = false;
    while (pos < limit && text.charAt(pos) != '\n') {
      char c = text.charAt(pos);
      if (c == '\'') {
        pos++;
        terminated = true;
        break;
      }
      if (c == '\\') escape(value);
      else {
        value.append(c);
        pos++;
      }
    }
    if (!terminated) error(start, pos, "unterminated character literal", null);
    else if (value.isEmpty()) error(start, pos, "empty character literal", null);
    else if (value.codePointCount(0, value.length()) > 1) {
      error(start, pos, "character literal holds more than one character", "use double quotes for a string: \"" + text.substring(start + 1, pos - 1) + "\"");
    }
    String ch = value.isEmpty() ? "\0" : value.substring(0, Character.charCount(value.codePointAt(0)));
    emit(TokenKind.CHAR, ch, start, pos);
  }

  /** Decodes the escape sequence at {@code pos} (a backslash) into {@code out}. */
  private void escape(StringBuilder out) {
    int start = pos;
    if (pos + 1 >= limit || text.charAt(pos + 1) == '\n') {
      pos++;
      return;
    }
    char e = text.charAt(pos + 1);
    pos += 2;
    switch (e) {
      case 'n' -> out.append('\n');
      case 't' -> out.append('\t');
      case 'r' -> out.append('\r');
      case 'a' -> out.append('\u0007');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'v' -> out.append('\u000b');
      case '"', '\\', '\'', '?' -> out.append(e);
      case 'x', 'X' -> {
        int value = 0;
        int digits = 0;
        while (digits < 2 && pos < limit && Character.digit(text.charAt(pos), 16) >= 0 && text.charAt(pos) < 128) {
          value = value * 16 + Character.digit(text.charAt(pos++), 16);
          digits++;
        }
        if (digits == 0) error(start, pos, "invalid escape character '\\" + e + "'", "a hex escape needs digits, e.g. \\x1b");
        else out.append((char) value);
      }
      default -> {
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          int digits = 1;
          while (digits < 3 && pos < limit && text.charAt(pos) >= '0' && text.charAt(pos) <= '7') {
            value = value * 8 + (text.charAt(pos++) - '0');
            digits++;
          }
          if (value > 255) error(start, pos, "octal escape sequence out of range '" + text.substring(start, pos) + "'", null);
          else out.append((char) value);
        } else {
          int cp = text.codePointAt(pos - 1);
          pos += Character.charCount(cp) - 1;
          error(start, pos, "invalid escape character '\\" + printable(cp) + "'", null);
        }
      }
    }
  }

  // ---- trivia

  private void skipTrivia() {
    while (pos < limit) {
      char c = text.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '/' && pos + 1 < limit && text.charAt(pos + 1) == '/') {
        int eol = text.indexOf('\n', pos);
        pos = eol < 0 || eol > limit ? limit : eol;
      } else if (c == '/' && pos + 1 < limit && text.charAt(pos + 1) == '*') {
        int close = text.indexOf("*/", pos + 2);
        if (close < 0 || close + 2 > limit) {
          error(pos, limit, "end of file during comment", "close the comment with */");
          pos = limit;
        } else {
          pos = close + 2;
        }
      } else if (c == '\\' && state == State.FRAGMENT && pos + 1 < limit
          && (text.charAt(pos + 1) == '\n' || (text.charAt(pos + 1) == '\r' && pos + 2 < limit && text.charAt(pos + 2) == '\n'))) {
        pos += text.charAt(pos + 1) == '\r' ? 3 : 2;
      } else {
        return;
      }
    }
  }

  private boolean atLineStart(int p) {
    for (int i = p - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == '\n') return true;
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f') return false;
    }
    return true;
  }

  // ---- helpers

  private void emit(TokenKind kind, String value, int start, int end) {
    tokens.add(new Token(kind, value, source.span(start, end)));
  }

  private void error(int start, int end, String message, String hint) {
    diagnostics.add(Diagnostic.error(source.span(start, Math.max(start, end)), message, hint));
  }

  private int identEnd(int p) {
    p++;
    while (p < limit && isIdentPart(text.charAt(p))) p++;
    return p;
  }

  static boolean isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

  static boolean isIdentPart(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }

  private static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b'; }

  private static String printable(int cp) {
    if (cp >= 0x20 && cp < 0x7f) return Character.toString(cp);
    if (cp < 0x100) return String.format("\\x%02x", cp);
    return Character.isISOControl(cp) || !Character.isDefined(cp) ? String.format("\\u%04x", cp) : Character.toString(cp);
  }
}
