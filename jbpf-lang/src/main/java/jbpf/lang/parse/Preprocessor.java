package jbpf.lang.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jbpf.lang.ast.Expr;
import jbpf.lang.lex.Lexer;
import jbpf.lang.lex.Token;
import jbpf.lang.lex.TokenKind;
import jbpf.lang.lex.Tokens;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * The part of the C preprocessor that bpftrace scripts use, applied to tokens:
 * <pre>
 * #ifndef BPFTRACE_HAVE_BTF
 * #include &lt;linux/sched.h&gt;
 * #else
 * #include &lt;sys/socket.h&gt;
 * #endif
 * #define RED "\033[31m"
 * </pre>
 * Tokens in branches not taken are dropped; {@code #include} targets are collected (their files are not read: jbpf
 * takes kernel types from BTF); object-like {@code #define}s replace later identifiers, with the tokens taking the
 * place of the name they replace. {@code #if} understands integers, {@code defined}, and C's operators.
 */
final class Preprocessor {
  /** What preprocessing leaves: the tokens to parse, the {@code #include} targets as written, and problems found. */
  record Result(List<Token> tokens, List<String> includes, List<Diagnostic> diagnostics) {}

  /** More tokens than any real script produces from one macro; stops definitions that grow exponentially. */
  private static final int MAX_EXPANSION = 100_000;

  private static final class Condition {
    final Token directive;
    final boolean parentActive;
    boolean active;
    boolean taken;
    boolean sawElse;

    Condition(Token directive, boolean parentActive, boolean value) {
      this.directive = directive;
      this.parentActive = parentActive;
      this.active = parentActive && value;
      this.taken = value;
    }
  }

  private final Source source;
  private final Map<String, List<Token>> macros = new HashMap<>();
  private final List<Token> out = new ArrayList<>();
  private final List<String> includes = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Deque<Condition> conditions = new ArrayDeque<>();
  private int expanded;

  private Preprocessor(Source source, Set<String> defines) {
    this.source = source;
    for (String name : defines) macros.put(name, List.of(new Token(TokenKind.INT, "1", source.span(0, 0))));
  }

  static Result run(Source source, List<Token> tokens, Set<String> defines) {
    Preprocessor p = new Preprocessor(source, defines);
    for (Token t : tokens) {
      if (t.kind() == TokenKind.PREPROC) {
        p.directive(t);
      } else if (t.kind() == TokenKind.EOF) {
        for (Condition c : p.conditions) {
          p.diagnostics.add(Diagnostic.error(c.directive.span(), "unterminated " + name(c.directive.text()), "close it with #endif"));
        }
        p.out.add(t);
      } else if (p.active()) {
        if (t.kind() == TokenKind.IDENT && p.macros.containsKey(t.text())) {
          p.expanded = 0;
          p.expand(t, t.span(), new HashSet<>(), p.out);
        } else {
          p.out.add(t);
        }
      }
    }
    return new Result(p.out, p.includes, p.diagnostics);
  }

  private boolean active() { return conditions.isEmpty() || conditions.peek().active; }

  /** Appends {@code t} to {@code into}, replacing macros, recursively, by their bodies; each token takes the span {@code at}. */
  private void expand(Token t, Span at, Set<String> expanding, List<Token> into) {
    if (++expanded > MAX_EXPANSION) {
      if (expanded == MAX_EXPANSION + 1) diagnostics.add(Diagnostic.error(at, "macro expansion exceeds " + MAX_EXPANSION + " tokens", null));
      return;
    }
    List<Token> body = t.kind() == TokenKind.IDENT ? macros.get(t.text()) : null;
    if (body == null || expanding.contains(t.text())) {
      into.add(t.span() == at ? t : new Token(t.kind(), t.text(), at));
      return;
    }
    expanding.add(t.text());
    for (Token b : body) expand(b, at, expanding, into);
    expanding.remove(t.text());
  }

  private static String name(String directive) {
    String rest = directive.substring(1).stripLeading();
    int end = 0;
    while (end < rest.length() && Character.isLetter(rest.charAt(end))) end++;
    return "#" + rest.substring(0, end);
  }

  private void directive(Token t) {
    String text = t.text();
    int i = 1;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
    int nameStart = i;
    while (i < text.length() && Character.isLetter(text.charAt(i))) i++;
    String name = text.substring(nameStart, i);
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
    int argStart = t.span().start() + i;
    int argEnd = t.span().end();
    String arg = stripComments(text.substring(i)).strip();

    switch (name) {
      case "ifdef", "ifndef" -> {
        boolean value = false;
        if (active()) {
          String macro = leadingIdentifier(arg);
          if (macro.isEmpty()) diagnostics.add(Diagnostic.error(t.span(), "#" + name + " needs a macro name", null));
          value = macros.containsKey(macro) == name.equals("ifdef");
        }
        conditions.push(new Condition(t, active(), value));
      }
      case "if" -> {
        boolean parent = active();
        conditions.push(new Condition(t, parent, parent && condition(t, argStart, argEnd)));
      }
      case "elif" -> {
        Condition c = conditions.peek();
        if (c == null) {
          diagnostics.add(Diagnostic.error(t.span(), "#elif without #if", null));
        } else if (c.sawElse) {
          diagnostics.add(Diagnostic.error(t.span(), "#elif after #else", null));
        } else if (c.taken) {
          c.active = false;
        } else {
          boolean value = c.parentActive && condition(t, argStart, argEnd);
          c.active = c.parentActive && value;
          c.taken = value;
        }
      }
      case "else" -> {
        Condition c = conditions.peek();
        if (c == null) {
          diagnostics.add(Diagnostic.error(t.span(), "#else without #if", null));
        } else if (c.sawElse) {
          diagnostics.add(Diagnostic.error(t.span(), "#else after #else", null));
        } else {
          c.active = c.parentActive && !c.taken;
          c.taken = true;
          c.sawElse = true;
        }
      }
      case "endif" -> {
        if (conditions.isEmpty()) diagnostics.add(Diagnostic.error(t.span(), "#endif without #if", null));
        else conditions.pop();
      }
      default -> {
        if (active()) other(t, name, arg, argStart, argEnd);
      }
    }
  }

  private void other(Token t, String name, String arg, int argStart, int argEnd) {
    switch (name) {
      case "include" -> {
        if ((arg.startsWith("<") && arg.endsWith(">") && arg.length() > 2) || (arg.startsWith("\"") && arg.endsWith("\"") && arg.length() > 2)) {
          includes.add(arg);
        } else {
          diagnostics.add(Diagnostic.error(t.span(), "#include expects \"FILE\" or <FILE>", null));
        }
      }
      case "define" -> define(t, argStart, argEnd);
      case "undef" -> macros.remove(leadingIdentifier(arg));
      case "error" -> diagnostics.add(Diagnostic.error(t.span(), arg.isEmpty() ? "#error" : arg, null));
      case "warning" -> diagnostics.add(Diagnostic.warning(t.span(), arg.isEmpty() ? "#warning" : arg));
      case "", "pragma", "line", "ident" -> { }
      default -> diagnostics.add(Diagnostic.error(t.span(), "invalid preprocessor directive #" + name, null));
    }
  }

  private void define(Token t, int argStart, int argEnd) {
    String text = source.text();
    int nameEnd = argStart;
    if (nameEnd < argEnd && isIdentStart(text.charAt(nameEnd))) {
      nameEnd++;
      while (nameEnd < argEnd && isIdentPart(text.charAt(nameEnd))) nameEnd++;
    }
    if (nameEnd == argStart) {
      diagnostics.add(Diagnostic.error(t.span(), "#define needs a macro name", null));
      return;
    }
    String name = text.substring(argStart, nameEnd);
    if (nameEnd < argEnd && text.charAt(nameEnd) == '(') {
      diagnostics.add(Diagnostic.error(source.span(argStart, nameEnd + 1), "function-like macros are not supported",
          "write a bpftrace macro instead: macro " + name + "(...) { ... }"));
      return;
    }
    Tokens body = Lexer.lexFragment(source, nameEnd, argEnd);
    diagnostics.addAll(body.diagnostics());
    macros.put(name, body.tokens().subList(0, body.tokens().size() - 1));
  }

  /** Evaluates the condition of {@code #if} or {@code #elif}, reporting problems and treating them as false. */
  private boolean condition(Token t, int start, int end) {
    Tokens lexed = Lexer.lexFragment(source, start, end);
    diagnostics.addAll(lexed.diagnostics());
    List<Token> in = lexed.tokens();
    List<Token> resolved = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Token tok = in.get(i);
      if (tok.is("defined")) {
        int j = i + 1;
        boolean paren = j < in.size() && in.get(j).kind() == TokenKind.LPAREN;
        if (paren) j++;
        if (j < in.size() && in.get(j).kind() == TokenKind.IDENT && (!paren || (j + 1 < in.size() && in.get(j + 1).kind() == TokenKind.RPAREN))) {
          resolved.add(new Token(TokenKind.INT, macros.containsKey(in.get(j).text()) ? "1" : "0", tok.span()));
          i = paren ? j + 1 : j;
          continue;
        }
        diagnostics.add(Diagnostic.error(tok.span(), "defined needs a macro name, e.g. defined(X)", null));
        return false;
      }
      resolved.add(tok);
    }
    List<Token> macrosReplaced = new ArrayList<>();
    expanded = 0;
    for (Token tok : resolved) expand(tok, tok.span(), new HashSet<>(), macrosReplaced);
    List<Token> expandedTokens = new ArrayList<>();
    for (Token tok : macrosReplaced) {
      expandedTokens.add(tok.kind() == TokenKind.IDENT && !tok.is("true") && !tok.is("false") ? new Token(TokenKind.INT, "0", tok.span()) : tok);
    }
    if (expandedTokens.size() == 1) {
      diagnostics.add(Diagnostic.error(t.span(), name(t.text()) + " needs a condition", null));
      return false;
    }
    Expr e = Parser.condition(source, expandedTokens, diagnostics);
    if (e == null) return false;
    Long value = ConstEval.eval(e);
    if (value == null) {
      diagnostics.add(Diagnostic.error(e.span(), "the condition of " + name(t.text()) + " is not a constant integer expression", null));
      return false;
    }
    return value != 0;
  }

  private static String leadingIdentifier(String s) {
    int end = 0;
    while (end < s.length() && (end == 0 ? isIdentStart(s.charAt(end)) : isIdentPart(s.charAt(end)))) end++;
    return s.substring(0, end);
  }

  /** Removes {@code //} and {@code /* *\/} comments outside string and character literals. */
  private static String stripComments(String s) {
    StringBuilder out = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        out.append(c);
        if (c == '\\' && i + 1 < s.length()) out.append(s.charAt(++i));
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
        out.append(c);
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
        break;
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        if (close < 0) break;
        out.append(' ');
        i = close + 1;
      } else if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\n' || s.charAt(i + 1) == '\r')) {
        out.append(' ');
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

  private static boolean isIdentPart(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }
}
