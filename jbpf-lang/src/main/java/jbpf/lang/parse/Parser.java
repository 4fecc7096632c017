package jbpf.lang.parse;

import static jbpf.lang.lex.TokenKind.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.ConfigEntry;
import jbpf.lang.ast.Decl;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Probe;
import jbpf.lang.ast.Program;
import jbpf.lang.ast.Stmt;
import jbpf.lang.ast.TypeName;
import jbpf.lang.ast.UnOp;
import jbpf.lang.lex.IntLiteral;
import jbpf.lang.lex.Lexer;
import jbpf.lang.lex.Token;
import jbpf.lang.lex.TokenKind;
import jbpf.lang.lex.Tokens;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * Parses a bpftrace script into a {@link Program}. Every syntax error in the script is reported, in bpftrace's words
 * ({@code syntax error, unexpected ;, expecting )}); after an error the parser skips to the end of the statement
 * ({@code ;} or the {@code }} of its block) or to the next probe and goes on. Parsing never throws and takes time
 * linear in the length of the script.
 *
 * <p>Choices the grammar leaves open:
 * <ul>
 *   <li>{@code (X) e} is a cast when {@code X} is a type: a builtin type ({@code uint8}, {@code string}...), a C type
 *       ({@code unsigned long}, {@code struct s *}), a typedef declared earlier in the script, a kernel fixed-width
 *       typedef ({@code u64}, {@code __u32}) or any name ending in {@code _t}. Any other identifier is a cast only when
 *       an operand that cannot be read as a binary operator follows, so {@code (size) + 1} adds and {@code (pid_t)arg0}
 *       and {@code (mytype)arg0} cast; builtins such as {@code pid} are never types.</li>
 *   <li>{@code -} directly before an integer literal is folded into a negative {@link Expr.Int}, as bpftrace does.</li>
 *   <li>{@code sizeof(X)} and {@code offsetof(X, f)} with an identifier {@code X} that is not known as a type hold the
 *       expression {@link Expr.Ident} {@code X}; semantic analysis may read it as a type name.</li>
 *   <li>In a {@link TypeName}, an array without a length ({@code uint8[]}) has {@code arrayLength} 0.</li>
 *   <li>{@link Decl.Param} names keep their sigil ({@code $a}, {@code @m}, or a bare {@code a} for a macro's expression
 *       parameter).</li>
 *   <li>Struct members: an unnamed bit-field ({@code int : 3;}) or an anonymous struct/union member has the name
 *       {@code ""}. An inline struct, union or enum definition becomes a declaration of its own, before the type that
 *       contains it; an untagged one is named {@code (anonymous at FILE:LINE:COL)}. A function pointer member is a
 *       {@code void *}.</li>
 *   <li>{@code _ = e} (bpftrace's discard) is the expression statement {@code e}.</li>
 * </ul>
 */
public final class Parser {
  /** The macros defined before a script is read: jbpf takes kernel types from BTF, so scripts see {@code BPFTRACE_HAVE_BTF}. */
  public static final Set<String> DEFAULT_DEFINES = Set.of("BPFTRACE_HAVE_BTF");

  /** The deepest nesting of expressions and blocks accepted, far beyond real scripts; it keeps the parser's stack bounded. */
  static final int MAX_NESTING = 256;

  private static final Set<String> BUILTIN_TYPES = Set.of(
      "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "string", "inet", "buffer", "void",
      "timestamp", "macaddr_t", "cgroup_path_t", "strerror_t", "min_t", "max_t", "sum_t", "count_t", "avg_t", "stats_t",
      "umin_t", "umax_t", "usum_t", "ucount_t", "uavg_t", "ustats_t", "tseries_t");
  private static final Set<String> C_TYPE_WORDS = Set.of("unsigned", "signed", "short", "long", "int", "char", "float", "double", "_Bool");
  private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict", "__restrict__", "__const", "__volatile__");
  private static final Set<String> KERNEL_TYPEDEFS = Set.of(
      "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64",
      "__be16", "__be32", "__be64", "__le16", "__le32", "__le64");
  private static final Set<String> BUILTIN_VARIABLES = Set.of(
      "pid", "tid", "uid", "gid", "nsecs", "elapsed", "numaid", "cpu", "ncpus", "cgroup", "comm", "kstack", "ustack", "stack",
      "retval", "func", "probe", "curtask", "rand", "ctx", "username", "args", "cpid", "jiffies", "usermode");
  private static final Pattern ARG_BUILTIN = Pattern.compile("s?arg[0-9]+");
  /** Words that cannot be identifiers in an expression. */
  private static final Set<String> RESERVED = Set.of(
      "if", "else", "while", "for", "unroll", "return", "break", "continue", "let", "struct", "union", "enum", "typedef",
      "sizeof", "offsetof", "true", "false");
  /** Words shown as themselves in "unexpected ..." messages, as bison shows keyword tokens. */
  private static final Set<String> KEYWORDS = Set.of(
      "if", "else", "while", "for", "unroll", "return", "break", "continue", "let", "struct", "union", "enum", "typedef",
      "sizeof", "offsetof", "config", "fn", "macro", "import");
  private static final Set<String> TOP_KEYWORDS = Set.of("struct", "union", "enum", "typedef", "fn", "macro", "config", "let", "import");

  private final Source source;
  private final List<Token> tokens;
  private int pos;
  private int nesting;
  private int lastErrorAt = -1;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  /** Errors found at the end of the file, which only repeat a lexing error that ran to the end (an open comment or string). */
  private final Set<Diagnostic> atEnd = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> typedefs = new HashSet<>();

  private final List<Decl> decls = new ArrayList<>();
  private final List<ConfigEntry> config = new ArrayList<>();
  private final List<Decl.Function> functions = new ArrayList<>();
  private final List<Decl.Macro> macros = new ArrayList<>();
  private final List<Probe> probes = new ArrayList<>();

  /** Thrown once a syntax error has been recorded, to unwind to the nearest point that can resynchronise. */
  private static final class SyntaxError extends RuntimeException {
    SyntaxError() { super("syntax error", null, false, false); }
  }

  private Parser(Source source, List<Token> tokens) {
    this.source = source;
    this.tokens = tokens;
  }

  /** {@return the program in {@code source} and every problem found, with {@link #DEFAULT_DEFINES} predefined} */
  public static ParseResult parse(Source source) { return parse(source, DEFAULT_DEFINES); }

  /**
   * {@return the program in {@code source} and every problem found}
   *
   * @param defines the preprocessor macros defined (as {@code 1}) before the script is read
   */
  public static ParseResult parse(Source source, Set<String> defines) {
    Tokens lexed = Lexer.lex(source);
    Preprocessor.Result pre = Preprocessor.run(source, lexed.tokens(), defines);
    Parser parser = new Parser(source, pre.tokens());
    Program program = parser.program(pre.includes());
    List<Diagnostic> all = new ArrayList<>(lexed.diagnostics());
    all.addAll(pre.diagnostics());
    int length = source.text().length();
    boolean lexedToEnd = lexed.diagnostics().stream().anyMatch(d -> d.span() != null && d.span().end() == length);
    for (Diagnostic d : parser.diagnostics) {
      if (!(lexedToEnd && parser.atEnd.contains(d))) all.add(d);
    }
    all.sort(Comparator.comparingInt((Diagnostic d) -> d.span() == null ? -1 : d.span().start()));
    return new ParseResult(program, all);
  }

  /**
   * {@return the program in {@code source}}
   *
   * @throws CompileException holding every diagnostic, if any of them is an error
   */
  public static Program parseOrThrow(Source source) throws CompileException {
    ParseResult result = parse(source);
    if (result.hasErrors()) throw new CompileException(result.diagnostics());
    return result.program();
  }

  /**
   * {@return the lone expression that is the whole of {@code source}}, e.g. {@code pid != 0 && comm == "myapp"}, read
   * as the expression of a statement or predicate (no attach points, no preprocessor). Event filters use it.
   *
   * @throws CompileException holding every lexing and syntax error, in source order
   */
  public static Expr parseExpression(Source source) throws CompileException {
    Tokens lexed = Lexer.lexFragment(source, 0, source.text().length());
    List<Diagnostic> all = new ArrayList<>(lexed.diagnostics());
    Expr e = condition(source, lexed.tokens(), all);
    all.sort(Comparator.comparingInt((Diagnostic d) -> d.span() == null ? -1 : d.span().start()));
    if (e == null || all.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR)) throw new CompileException(all);
    return e;
  }

  /**
   * {@return the expression in {@code tokens} (which end with {@link TokenKind#EOF}), or {@code null} after reporting
   * an error into {@code diagnostics}} Used for {@code #if} conditions.
   */
  static Expr condition(Source source, List<Token> tokens, List<Diagnostic> diagnostics) {
    Parser parser = new Parser(source, tokens);
    Expr e = null;
    try {
      e = parser.expr();
      if (!parser.at(EOF)) throw parser.unexpected(parser.peek(), List.of(), null);
    } catch (SyntaxError err) {
      e = null;
    }
    diagnostics.addAll(parser.diagnostics);
    return e;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Top level

  private Program program(List<String> includes) {
    while (!at(EOF)) {
      int start = pos;
      try {
        topLevel();
      } catch (SyntaxError e) {
        syncTopLevel(start);
      }
    }
    return new Program(includes, decls, config, functions, macros, probes, source.span(0, source.text().length()));
  }

  private void topLevel() {
    Token t = peek();
    switch (t.kind()) {
      case ATTACH_POINT -> probes.add(probe());
      case SEMI -> advance();
      case LBRACE -> {
        error(t.span(), "No attach points for probe", "name what to trace before the block, e.g. BEGIN { ... } or kprobe:vfs_read { ... }");
        block();
      }
      case IDENT -> {
        switch (t.text()) {
          case "struct", "union", "enum" -> typeDefinition();
          case "typedef" -> typedef();
          case "fn" -> functions.add(function());
          case "macro" -> macros.add(macro());
          case "config" -> configBlock();
          case "let" -> throw error(t.span(), "map declarations (let @m = hash(n);) are not supported",
              "remove the declaration; maps come into existence when they are first assigned");
          case "import" -> throw error(t.span(), "import is not supported", "copy the imported definitions into the script");
          default -> throw unexpected(t, List.of(), null);
        }
      }
      default -> throw unexpected(t, List.of(), t.kind() == SLASH ? "a predicate follows an attach point, e.g. kprobe:f /pid == 1/ { ... }" : null);
    }
  }

  /** Skips to the next probe or top-level declaration after an error, over whole {@code {...}} groups. */
  private void syncTopLevel(int start) {
    if (pos == start && !at(EOF)) advance();
    int depth = 0;
    while (!at(EOF)) {
      Token t = peek();
      if (depth == 0 && (t.kind() == ATTACH_POINT || (t.kind() == IDENT && TOP_KEYWORDS.contains(t.text())))) return;
      advance();
      if (t.kind() == LBRACE) depth++;
      else if (t.kind() == RBRACE && depth > 0 && --depth == 0) return;
      else if (t.kind() == SEMI && depth == 0) return;
    }
  }

  private Probe probe() {
    int start = pos;
    List<AttachPoint> attachPoints = new ArrayList<>();
    attachPoints.add(attachPoint(advance()));
    while (at(COMMA)) {
      advance();
      if (at(ATTACH_POINT)) attachPoints.add(attachPoint(advance()));
    }
    for (AttachPoint ap : attachPoints) {
      int eq = ap.raw().indexOf('=');
      int colon = ap.raw().indexOf(':');
      if (eq > 0 && (colon < 0 || eq < colon)) {
        error(ap.span(), "probe names (NAME=PROBE) are not supported", "remove \"" + ap.raw().substring(0, eq + 1) + "\"");
      }
    }
    Expr predicate = null;
    if (at(SLASH)) {
      advance();
      try {
        predicate = expr();
        if (!at(PRED_END)) {
          Token t = peek();
          String hint = switch (t.kind()) {
            case ASSIGN -> "use == to compare";
            case LBRACE -> "close the predicate with / before the {";
            default -> null;
          };
          throw unexpected(t, List.of(PRED_END.display()), hint);
        }
        advance();
      } catch (SyntaxError e) {
        predicate = null;
        while (!at(EOF) && !at(LBRACE) && !at(ATTACH_POINT)) {
          if (advance().kind() == PRED_END) break;
        }
      }
    }
    if (!at(LBRACE)) {
      Token t = peek();
      if (t.kind() == EOF) throw atEnd(error(errorSpan(t), "unexpected end of file, expected {", null));
      unexpected(t, List.of("{"), attachPointHint(attachPoints.getLast(), t));
      while (!at(EOF) && !at(LBRACE) && !at(ATTACH_POINT)) advance();
      if (!at(LBRACE)) throw new SyntaxError();
    }
    Stmt.Block body = block();
    return new Probe(attachPoints, predicate, body, spanFrom(start));
  }

  /** A likely fix when something other than a predicate or block follows an attach point. */
  private String attachPointHint(AttachPoint last, Token next) {
    if (next.kind() == IDENT && tokenAt(pos + 1).kind() == COLON) return "separate attach points with a comma: " + last.raw() + ", " + next.text() + ":...";
    String lastPart = last.parts().getLast();
    if (last.parts().size() > 2 && lastPart.indexOf('/') > 0) {
      return "a / after a function name belongs to the name here; put a blank before the predicate: "
          + last.raw().substring(0, last.raw().length() - (lastPart.length() - lastPart.indexOf('/'))) + " /...";
    }
    return null;
  }

  /** Splits an attach point at the colons outside quotes, removing the quotes and their {@code \"} escapes. */
  static AttachPoint attachPoint(Token t) { return attachPoint(t.text(), t.span()); }

  /** Splits attach-point text, as {@link #attachPoint(Token)}; for text rewritten after parsing ({@code i:ms:$1}). */
  public static AttachPoint attachPoint(String raw, Span span) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < raw.length() && (raw.charAt(i + 1) == '"' || raw.charAt(i + 1) == '\\')) part.append(raw.charAt(++i));
        else if (c == '"') quoted = false;
        else part.append(c);
      } else if (c == '"') {
        quoted = true;
      } else if (c == ':') {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return new AttachPoint(raw, parts, span);
  }

  private void configBlock() {
    advance();
    expect(ASSIGN, "=");
    Token open = expect(LBRACE, "{");
    while (!at(RBRACE)) {
      if (at(EOF)) {
        unclosed(open);
        return;
      }
      if (at(SEMI)) {
        advance();
        continue;
      }
      int before = pos;
      try {
        Token key = expect(IDENT, IDENT.display());
        expect(ASSIGN, "=");
        Expr value = expr();
        config.add(new ConfigEntry(key.text(), value, spanFrom(before)));
        if (!at(SEMI) && !at(RBRACE)) throw unexpected(peek(), List.of(";", "}"), null);
      } catch (SyntaxError e) {
        syncStatement();
        if (pos == before && !at(RBRACE) && !at(EOF)) advance();
      }
    }
    advance();
  }

  private Decl.Function function() {
    int start = pos;
    advance();
    Token name = expect(IDENT, IDENT.display());
    expect(LPAREN, "(");
    List<Decl.Param> params = new ArrayList<>();
    if (!at(RPAREN)) {
      do {
        if (at(COMMA)) advance();
        int p = pos;
        Token var = expect(VAR, VAR.display());
        expect(COLON, ":");
        TypeName type = type();
        params.add(new Decl.Param(var.text(), type, spanFrom(p)));
      } while (at(COMMA));
    }
    expect(RPAREN, ")", COMMA.display());
    if (!at(COLON)) throw unexpected(peek(), List.of(":"), "declare the return type, e.g. fn " + name.text() + "(...): void { ... }");
    advance();
    TypeName returnType = type();
    Stmt.Block body = block();
    return new Decl.Function(name.text(), params, returnType, body, spanFrom(start));
  }

  private Decl.Macro macro() {
    int start = pos;
    advance();
    Token name = expect(IDENT, IDENT.display());
    expect(LPAREN, "(");
    List<Decl.Param> params = new ArrayList<>();
    if (!at(RPAREN)) {
      do {
        if (at(COMMA)) advance();
        Token p = peek();
        if (p.kind() == VAR || p.kind() == MAP || (p.kind() == IDENT && !RESERVED.contains(p.text()))) {
          advance();
          params.add(new Decl.Param(p.text(), null, p.span()));
        } else {
          throw unexpected(p, List.of(IDENT.display(), VAR.display(), MAP.display()), null);
        }
      } while (at(COMMA));
    }
    expect(RPAREN, ")", COMMA.display());
    Stmt.Block body = block();
    return new Decl.Macro(name.text(), params, body, spanFrom(start));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // C type definitions

  /** {@code struct s { ... };}, {@code union u { ... };}, {@code enum e { ... };} or a forward declaration. */
  private void typeDefinition() {
    int start = pos;
    Token keyword = advance();
    Token name = at(IDENT) && !RESERVED.contains(peek().text()) ? advance() : null;
    if (at(LBRACE)) {
      if (keyword.is("enum")) enumDefinition(keyword, name, start);
      else structDefinition(keyword, name, start);
      if ((at(IDENT) && !TOP_KEYWORDS.contains(peek().text())) || at(STAR)) {
        throw error(peek().span(), "variables cannot be declared outside probes", "end the definition with } and declare variables in a probe");
      }
    } else if (name == null) {
      throw unexpected(peek(), List.of(IDENT.display(), "{"), null);
    } else if (!at(SEMI)) {
      throw unexpected(peek(), List.of("{", ";"), null);
    }
  }

  /** Parses {@code { members }} and records the struct; {@return its type name, e.g. {@code struct s}} */
  private String structDefinition(Token keyword, Token nameToken, int start) {
    String name = nameToken != null ? nameToken.text() : anonymousName(keyword);
    Token open = expect(LBRACE, "{");
    List<Decl.Field> fields = new ArrayList<>();
    nesting++;
    try {
      if (nesting > MAX_NESTING) throw error(open.span(), "definitions nested too deeply (more than " + MAX_NESTING + " levels)", null);
      while (!at(RBRACE)) {
        if (at(EOF)) {
          unclosed(open);
          break;
        }
        if (at(SEMI)) {
          advance();
          continue;
        }
        int before = pos;
        try {
          member(fields);
        } catch (SyntaxError e) {
          syncStatement();
          if (pos == before && !at(RBRACE) && !at(EOF)) advance();
        }
      }
      if (at(RBRACE)) advance();
    } finally {
      nesting--;
    }
    decls.add(new Decl.Struct(keyword.is("union"), name, fields, spanFrom(start)));
    return keyword.text() + " " + name;
  }

  private void enumDefinition(Token keyword, Token nameToken, int start) {
    String name = nameToken != null ? nameToken.text() : anonymousName(keyword);
    expect(LBRACE, "{");
    List<Decl.Enumerator> values = new ArrayList<>();
    while (!at(RBRACE)) {
      int e = pos;
      Token n = expect(IDENT, IDENT.display());
      Expr value = null;
      if (at(ASSIGN)) {
        advance();
        value = ternary();
      }
      values.add(new Decl.Enumerator(n.text(), value, spanFrom(e)));
      if (!at(COMMA)) break;
      advance();
    }
    expect(RBRACE, "}", COMMA.display());
    decls.add(new Decl.Enum(name, values, spanFrom(start)));
  }

  private String anonymousName(Token keyword) {
    Span s = keyword.span();
    return "(anonymous at " + source.name() + ":" + s.line() + ":" + s.column() + ")";
  }

  /** The base type of a declaration, with any inline definition recorded. */
  private record Specifiers(String name, boolean inlineDefinition, boolean anonymous) {}

  private Specifiers specifiers() {
    skipQualifiers();
    int start = pos;
    Token t = peek();
    Specifiers result;
    if (t.is("struct") || t.is("union") || t.is("enum")) {
      advance();
      Token name = at(IDENT) && !RESERVED.contains(peek().text()) ? advance() : null;
      if (at(LBRACE)) {
        if (t.is("enum")) {
          enumDefinition(t, name, start);
          result = new Specifiers("enum " + (name != null ? name.text() : anonymousName(t)), true, name == null);
        } else {
          result = new Specifiers(structDefinition(t, name, start), true, name == null);
        }
      } else if (name == null) {
        throw unexpected(peek(), List.of(IDENT.display(), "{"), null);
      } else {
        result = new Specifiers(t.text() + " " + name.text(), false, false);
      }
    } else if (t.kind() == IDENT && C_TYPE_WORDS.contains(t.text())) {
      result = new Specifiers(cTypeWords(), false, false);
    } else if (t.kind() == IDENT && !RESERVED.contains(t.text())) {
      advance();
      result = new Specifiers(t.text(), false, false);
    } else {
      throw unexpected(t, List.of("type"), null);
    }
    skipQualifiers();
    return result;
  }

  private String cTypeWords() {
    StringBuilder name = new StringBuilder();
    while (peek().kind() == IDENT && (C_TYPE_WORDS.contains(peek().text()) || QUALIFIERS.contains(peek().text()))) {
      Token w = advance();
      if (QUALIFIERS.contains(w.text())) continue;
      if (!name.isEmpty()) name.append(' ');
      name.append(w.text());
    }
    return name.toString();
  }

  private void skipQualifiers() {
    while (peek().kind() == IDENT && QUALIFIERS.contains(peek().text())) advance();
  }

  /** One member declaration: {@code TYPE a, *b[4], c : 3;}. */
  private void member(List<Decl.Field> fields) {
    int start = pos;
    Specifiers base = specifiers();
    if (at(SEMI)) {
      advance();
      if (base.inlineDefinition() && base.anonymous() && !base.name().startsWith("enum")) {
        fields.add(new Decl.Field(new TypeName(base.name(), 0, -1, spanFrom(start)), "", -1, spanFrom(start)));
      }
      return;
    }
    while (true) {
      Declarator d = declarator();
      int bits = -1;
      if (at(COLON)) {
        advance();
        bits = constant(binary(1), "bit-field width");
      }
      if (d.name().isEmpty() && bits < 0) throw unexpected(peek(), List.of(IDENT.display()), null);
      TypeName type = new TypeName(d.functionPointer() ? "void" : base.name(), d.pointers(), d.arrayLength(), spanFrom(start));
      fields.add(new Decl.Field(type, d.name(), bits, spanFrom(start)));
      if (!at(COMMA)) break;
      advance();
    }
    // Clang only warns about a missing ';' before the closing brace, so bpftrace accepts { int a; char b[4] }.
    if (!at(RBRACE)) expect(SEMI, ";");
  }

  private record Declarator(String name, int pointers, int arrayLength, boolean functionPointer) {}

  /** {@code *name[N]}, {@code (*name)(args)}, or nothing before {@code : width}. */
  private Declarator declarator() {
    int pointers = 0;
    skipQualifiers();
    while (at(STAR)) {
      advance();
      pointers++;
      skipQualifiers();
    }
    if (at(LPAREN)) {
      advance();
      int inner = 0;
      while (at(STAR)) {
        advance();
        inner++;
        skipQualifiers();
      }
      if (inner == 0) throw unexpected(peek(), List.of("*"), null);
      Token name = expect(IDENT, IDENT.display());
      int array = at(LBRACKET) ? arraySuffix() : -1;
      expect(RPAREN, ")");
      Token params = expect(LPAREN, "(");
      int depth = 1;
      while (depth > 0) {
        Token t = peek();
        if (t.kind() == EOF || t.kind() == LBRACE || t.kind() == RBRACE || t.kind() == SEMI) {
          throw error(params.span(), "unclosed parameter list of function pointer '" + name.text() + "'", null);
        }
        advance();
        if (t.kind() == LPAREN) depth++;
        else if (t.kind() == RPAREN) depth--;
      }
      return new Declarator(name.text(), inner, array, true);
    }
    String name = "";
    if (at(IDENT) && !RESERVED.contains(peek().text())) name = advance().text();
    int array = at(LBRACKET) ? arraySuffix() : -1;
    return new Declarator(name, pointers, array, false);
  }

  /** {@code [N]} or {@code []} (length 0); {@return the length} */
  private int arraySuffix() {
    expect(LBRACKET, "[");
    int length = 0;
    if (!at(RBRACKET)) length = constant(expr(), "array length");
    expect(RBRACKET, "]");
    if (at(LBRACKET)) throw error(peek().span(), "multi-dimensional arrays are not supported", "declare a one-dimensional array of the same size");
    return length;
  }

  private int constant(Expr e, String what) {
    Long v = ConstEval.eval(e);
    if (v == null || v < 0 || v > Integer.MAX_VALUE) {
      throw error(e.span(), what + " must be a constant integer from 0 to " + Integer.MAX_VALUE, null);
    }
    return (int) (long) v;
  }

  private void typedef() {
    int start = pos;
    advance();
    Specifiers base = specifiers();
    while (true) {
      Declarator d = declarator();
      if (d.name().isEmpty()) throw unexpected(peek(), List.of(IDENT.display()), null);
      TypeName type = new TypeName(d.functionPointer() ? "void" : base.name(), d.pointers(), d.arrayLength(), spanFrom(start));
      decls.add(new Decl.Typedef(type, d.name(), spanFrom(start)));
      typedefs.add(d.name());
      if (!at(COMMA)) break;
      advance();
    }
    // Clang only warns about a missing ';' before the closing brace, so bpftrace accepts { int a; char b[4] }.
    if (!at(RBRACE)) expect(SEMI, ";");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Types in casts, sizeof, offsetof, let and fn

  /** A type as written in a cast or declaration: {@code uint8}, {@code struct task_struct *}, {@code char[16]}. */
  private TypeName type() {
    int start = pos;
    skipQualifiers();
    Token t = peek();
    String name;
    if (t.is("struct") || t.is("union") || t.is("enum")) {
      advance();
      name = t.text() + " " + expect(IDENT, IDENT.display()).text();
    } else if (t.kind() == IDENT && C_TYPE_WORDS.contains(t.text())) {
      name = cTypeWords();
    } else if (t.kind() == IDENT && !RESERVED.contains(t.text())) {
      advance();
      name = t.text();
    } else {
      throw unexpected(t, List.of("type"), null);
    }
    skipQualifiers();
    int pointers = 0;
    while (at(STAR)) {
      advance();
      pointers++;
      skipQualifiers();
    }
    int array = at(LBRACKET) ? arraySuffix() : -1;
    return new TypeName(name, pointers, array, spanFrom(start));
  }

  /**
   * Where a type written from token {@code i} on would end, and whether it can only be a type.
   *
   * @param end the index of the first token after the type
   */
  private record TypeScan(int end, boolean certain) {}

  private TypeScan scanType(int i) {
    boolean certain = false;
    while (tokenAt(i).kind() == IDENT && QUALIFIERS.contains(tokenAt(i).text())) {
      i++;
      certain = true;
    }
    Token t = tokenAt(i);
    if (t.kind() != IDENT) return null;
    if (t.is("struct") || t.is("union") || t.is("enum")) {
      if (tokenAt(i + 1).kind() != IDENT) return null;
      i += 2;
      certain = true;
    } else if (C_TYPE_WORDS.contains(t.text())) {
      while (tokenAt(i).kind() == IDENT && (C_TYPE_WORDS.contains(tokenAt(i).text()) || QUALIFIERS.contains(tokenAt(i).text()))) i++;
      certain = true;
    } else if (RESERVED.contains(t.text())) {
      return null;
    } else {
      certain |= knownType(t.text());
      i++;
    }
    while (tokenAt(i).kind() == IDENT && QUALIFIERS.contains(tokenAt(i).text())) i++;
    while (tokenAt(i).kind() == STAR) {
      i++;
      certain = true;
      while (tokenAt(i).kind() == IDENT && QUALIFIERS.contains(tokenAt(i).text())) i++;
    }
    if (tokenAt(i).kind() == LBRACKET) {
      if (tokenAt(i + 1).kind() == RBRACKET) {
        i += 2;
        certain = true;
      } else if (tokenAt(i + 1).kind() == INT && tokenAt(i + 2).kind() == RBRACKET) {
        i += 3;
      } else {
        return null;
      }
    }
    return new TypeScan(i, certain);
  }

  private boolean knownType(String name) {
    return BUILTIN_TYPES.contains(name) || typedefs.contains(name) || KERNEL_TYPEDEFS.contains(name) || name.endsWith("_t");
  }

  private static boolean isBuiltinVariable(String name) {
    return BUILTIN_VARIABLES.contains(name) || ARG_BUILTIN.matcher(name).matches();
  }

  /** Whether the {@code (} at {@code pos} opens a cast. */
  private boolean atCast() {
    TypeScan scan = scanType(pos + 1);
    if (scan == null || tokenAt(scan.end()).kind() != RPAREN) return false;
    if (scan.certain()) return true;
    Token base = tokenAt(pos + 1);
    if (isBuiltinVariable(base.text())) return false;
    return startsOperand(tokenAt(scan.end() + 1));
  }

  /** Whether {@code t} can start an operand and cannot be read as a binary operator. */
  private static boolean startsOperand(Token t) {
    return switch (t.kind()) {
      case INT, CHAR, STRING, VAR, POSITIONAL, MAP, LPAREN, BANG, TILDE, INC, DEC -> true;
      case IDENT -> !RESERVED.contains(t.text()) || t.is("sizeof") || t.is("offsetof") || t.is("true") || t.is("false");
      default -> false;
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Statements

  private Stmt.Block block() {
    int start = pos;
    Token open = expect(LBRACE, "{");
    List<Stmt> stmts = new ArrayList<>();
    nesting++;
    try {
      if (nesting > MAX_NESTING) throw error(open.span(), "blocks nested too deeply (more than " + MAX_NESTING + " levels)", null);
      while (true) {
        Token t = peek();
        if (t.kind() == RBRACE) {
          advance();
          break;
        }
        if (t.kind() == EOF) {
          unclosed(open);
          break;
        }
        if (t.kind() == SEMI) {
          advance();
          continue;
        }
        int before = pos;
        try {
          Stmt s = statement();
          stmts.add(s);
          if (endsWithBlock(s) || at(RBRACE) || at(EOF)) continue;
          if (at(SEMI)) {
            advance();
            continue;
          }
          Token u = peek();
          throw unexpected(u, List.of("}"), startsStatement(u) ? "end the previous statement with ;" : null);
        } catch (SyntaxError e) {
          syncStatement();
          if (pos == before && !at(RBRACE) && !at(EOF)) advance();
        }
      }
    } finally {
      nesting--;
    }
    return new Stmt.Block(stmts, spanFrom(start));
  }

  private void unclosed(Token open) {
    atEnd(error(errorSpan(peek()), "syntax error, unexpected end of file, expecting }",
        "the { at " + source.name() + ":" + open.span().line() + ":" + open.span().column() + " is never closed"));
  }

  /** Marks the error just reported as one found at the end of the file. */
  private SyntaxError atEnd(SyntaxError e) {
    if (!diagnostics.isEmpty() && diagnostics.getLast().span().start() == lastErrorAt) atEnd.add(diagnostics.getLast());
    return e;
  }

  private static boolean endsWithBlock(Stmt s) {
    return s instanceof Stmt.Block || s instanceof Stmt.If || s instanceof Stmt.While || s instanceof Stmt.ForMap
        || s instanceof Stmt.ForRange || s instanceof Stmt.Unroll;
  }

  private static boolean startsStatement(Token t) {
    return switch (t.kind()) {
      case IDENT, VAR, MAP, POSITIONAL, INT, CHAR, STRING, LPAREN, LBRACE, INC, DEC, STAR, BANG, TILDE, MINUS -> true;
      default -> false;
    };
  }

  /** Skips the rest of a statement after an error: up to and including its {@code ;}, or to the {@code }} closing its block. */
  private void syncStatement() {
    int depth = 0;
    while (true) {
      Token t = peek();
      switch (t.kind()) {
        case EOF, ATTACH_POINT -> { return; }
        case SEMI -> {
          if (depth == 0) {
            advance();
            return;
          }
        }
        case LBRACE -> depth++;
        case RBRACE -> {
          if (depth == 0) return;
          if (--depth == 0) {
            advance();
            return;
          }
        }
        default -> { }
      }
      advance();
    }
  }

  private Stmt statement() {
    Token t = peek();
    int start = pos;
    if (t.kind() == LBRACE) return block();
    if (t.kind() == IDENT) {
      switch (t.text()) {
        case "if" -> { return ifStatement(); }
        case "else" -> throw error(t.span(), "syntax error, unexpected else", "else must directly follow the } of an if block");
        case "while" -> {
          advance();
          Expr cond = parenthesized("while");
          Stmt.Block body = body("while");
          return new Stmt.While(cond, body, spanFrom(start));
        }
        case "for" -> { return forStatement(); }
        case "unroll" -> {
          advance();
          Expr count = parenthesized("unroll");
          Stmt.Block body = body("unroll");
          return new Stmt.Unroll(count, body, spanFrom(start));
        }
        case "return" -> {
          advance();
          Expr value = at(SEMI) || at(RBRACE) || at(EOF) ? null : expr();
          return new Stmt.Return(value, spanFrom(start));
        }
        case "break" -> {
          advance();
          return new Stmt.Break(t.span());
        }
        case "continue" -> {
          advance();
          return new Stmt.Continue(t.span());
        }
        case "let" -> { return let(); }
        default -> { }
      }
    }
    Expr e = expr();
    TokenKind k = peek().kind();
    BinOp compound = compoundOperator(k);
    if (k != ASSIGN && compound == null) return new Stmt.ExprStmt(e, spanFrom(start));
    advance();
    Expr value = expr();
    Span span = spanFrom(start);
    return switch (e) {
      case Expr.Var v -> new Stmt.Assign(v, compound, value, span);
      case Expr.Map m -> new Stmt.Assign(m, compound, value, span);
      case Expr.Ident id when id.name().equals("_") && k == ASSIGN -> new Stmt.ExprStmt(value, span);
      case Expr.TupleIndex _ -> {
        error(span, "Tuples are immutable once created. Consider creating a new tuple and assigning it instead.", null);
        yield new Stmt.ExprStmt(value, span);
      }
      default -> {
        error(e.span(), "cannot assign to this expression; only maps (@m, @m[k]) and scratch variables ($x) can be assigned", null);
        yield new Stmt.ExprStmt(value, span);
      }
    };
  }

  private static BinOp compoundOperator(TokenKind k) {
    return switch (k) {
      case PLUS_ASSIGN -> BinOp.ADD;
      case MINUS_ASSIGN -> BinOp.SUB;
      case STAR_ASSIGN -> BinOp.MUL;
      case SLASH_ASSIGN -> BinOp.DIV;
      case PERCENT_ASSIGN -> BinOp.MOD;
      case AMP_ASSIGN -> BinOp.BAND;
      case PIPE_ASSIGN -> BinOp.BOR;
      case CARET_ASSIGN -> BinOp.BXOR;
      case SHL_ASSIGN -> BinOp.SHL;
      case SHR_ASSIGN -> BinOp.SHR;
      default -> null;
    };
  }

  private Expr parenthesized(String keyword) {
    if (!at(LPAREN)) throw unexpected(peek(), List.of("("), "put the " + (keyword.equals("unroll") ? "count" : "condition") + " in parentheses: " + keyword + " (...) { ... }");
    advance();
    Expr e = expr();
    expect(RPAREN, ")");
    return e;
  }

  private Stmt.Block body(String keyword) {
    if (!at(LBRACE)) throw unexpected(peek(), List.of("{"), "the body of " + keyword + " is a block in braces: { ... }");
    return block();
  }

  private Stmt ifStatement() {
    int start = pos;
    advance();
    Expr cond = parenthesized("if");
    Stmt.Block then = body("if");
    Stmt otherwise = null;
    if (atWord("else")) {
      advance();
      if (atWord("if")) otherwise = ifStatement();
      else if (at(LBRACE)) otherwise = block();
      else throw unexpected(peek(), List.of("{", "if"), null);
    }
    return new Stmt.If(cond, then, otherwise, spanFrom(start));
  }

  private Stmt forStatement() {
    int start = pos;
    advance();
    expect(LPAREN, "(");
    Token var = expect(VAR, VAR.display());
    expect(COLON, ":");
    Expr first = expr();
    if (at(DOTDOT)) {
      advance();
      Expr end = expr();
      expect(RPAREN, ")");
      Stmt.Block body = body("for");
      return new Stmt.ForRange(var.text().substring(1), first, end, body, spanFrom(start));
    }
    expect(RPAREN, ")", "..");
    Stmt.Block body = body("for");
    if (first instanceof Expr.Map m && m.keys().isEmpty()) return new Stmt.ForMap(var.text().substring(1), m, body, spanFrom(start));
    error(first.span(), "a for loop iterates over a map or a range", "write for ($kv : @map) { ... } or for ($i : 0..n) { ... }");
    return body;
  }

  private Stmt let() {
    int start = pos;
    advance();
    if (at(MAP)) throw error(peek().span(), "map declarations (let @m = hash(n);) are not supported", "remove the declaration; maps come into existence when they are first assigned");
    Token var = expect(VAR, VAR.display());
    TypeName type = null;
    if (at(COLON)) {
      advance();
      type = type();
    }
    Expr value = null;
    if (at(ASSIGN)) {
      advance();
      value = expr();
    }
    return new Stmt.VarDecl(var.text().substring(1), type, value, spanFrom(start));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Expressions

  private Expr expr() { return ternary(); }

  private Expr ternary() {
    int start = pos;
    Expr cond = binary(1);
    if (!at(QUESTION)) return cond;
    advance();
    Expr then = expr();
    expect(COLON, ":");
    nesting++;
    try {
      if (nesting > MAX_NESTING) throw error(peek().span(), "expression nested too deeply (more than " + MAX_NESTING + " levels)", null);
      Expr otherwise = ternary();
      return new Expr.Ternary(cond, then, otherwise, spanFrom(start));
    } finally {
      nesting--;
    }
  }

  /** Precedence climbing over the left-associative binary operators of at least {@code minPrecedence}. */
  private Expr binary(int minPrecedence) {
    int start = pos;
    Expr left = unary();
    while (true) {
      BinOp op = binaryOperator(peek().kind());
      if (op == null || op.precedence() < minPrecedence) return left;
      advance();
      Expr right = binary(op.precedence() + 1);
      left = new Expr.Binary(op, left, right, spanFrom(start));
    }
  }

  private static BinOp binaryOperator(TokenKind k) {
    return switch (k) {
      case STAR -> BinOp.MUL;
      case SLASH -> BinOp.DIV;
      case PERCENT -> BinOp.MOD;
      case PLUS -> BinOp.ADD;
      case MINUS -> BinOp.SUB;
      case SHL -> BinOp.SHL;
      case SHR -> BinOp.SHR;
      case LT -> BinOp.LT;
      case LE -> BinOp.LE;
      case GT -> BinOp.GT;
      case GE -> BinOp.GE;
      case EQ -> BinOp.EQ;
      case NE -> BinOp.NE;
      case AMP -> BinOp.BAND;
      case CARET -> BinOp.BXOR;
      case PIPE -> BinOp.BOR;
      case LAND -> BinOp.LAND;
      case LOR -> BinOp.LOR;
      default -> null;
    };
  }

  private Expr unary() {
    Token t = peek();
    int start = pos;
    nesting++;
    try {
      if (nesting > MAX_NESTING) throw error(t.span(), "expression nested too deeply (more than " + MAX_NESTING + " levels)", null);
      return switch (t.kind()) {
        case MINUS -> {
          advance();
          Expr operand = unary();
          if (operand instanceof Expr.Int i && pos == start + 2 && (!i.unsigned() || (i.value() == Long.MIN_VALUE && !hasUnsignedSuffix(previous().text())))) {
            yield new Expr.Int(-i.value(), false, spanFrom(start));
          }
          yield new Expr.Unary(UnOp.NEG, operand, spanFrom(start));
        }
        case TILDE -> prefix(UnOp.BNOT, start);
        case BANG -> prefix(UnOp.LNOT, start);
        case STAR -> prefix(UnOp.DEREF, start);
        case AMP -> prefix(UnOp.ADDR, start);
        case INC, DEC -> {
          advance();
          Expr target = unary();
          checkUpdateTarget(target, t);
          yield new Expr.Update(target, t.kind() == INC, true, spanFrom(start));
        }
        case LPAREN -> atCast() ? cast() : postfix();
        default -> postfix();
      };
    } finally {
      nesting--;
    }
  }

  private static boolean hasUnsignedSuffix(String literal) {
    String s = literal.toLowerCase(Locale.ROOT);
    return s.endsWith("u") || s.endsWith("ul") || s.endsWith("lu") || s.endsWith("ull") || s.endsWith("llu");
  }

  private Expr prefix(UnOp op, int start) {
    advance();
    Expr operand = unary();
    return new Expr.Unary(op, operand, spanFrom(start));
  }

  private Expr cast() {
    int start = pos;
    advance();
    TypeName type = type();
    expect(RPAREN, ")");
    Expr operand = unary();
    return new Expr.Cast(type, operand, spanFrom(start));
  }

  private void checkUpdateTarget(Expr target, Token op) {
    if (!(target instanceof Expr.Var) && !(target instanceof Expr.Map)) {
      error(target.span(), "The " + op.text() + " operator must be applied to a map or variable", null);
    }
  }

  private Expr postfix() {
    int start = pos;
    Expr e = primary();
    while (true) {
      Token t = peek();
      switch (t.kind()) {
        case DOT -> {
          advance();
          Token f = peek();
          if (f.kind() == INT) {
            advance();
            if (!f.text().matches("[0-9]{1,9}")) throw error(f.span(), "a tuple index is a decimal integer, e.g. $t.0", null);
            e = new Expr.TupleIndex(e, Integer.parseInt(f.text()), spanFrom(start));
          } else if (f.kind() == IDENT) {
            advance();
            e = new Expr.Field(e, f.text(), false, spanFrom(start));
          } else {
            throw unexpected(f, List.of(IDENT.display(), INT.display()), null);
          }
        }
        case ARROW -> {
          advance();
          Token f = expect(IDENT, IDENT.display());
          e = new Expr.Field(e, f.text(), true, spanFrom(start));
        }
        case LBRACKET -> {
          advance();
          Expr index = expr();
          expect(RBRACKET, "]");
          e = new Expr.Index(e, index, spanFrom(start));
        }
        case INC, DEC -> {
          advance();
          checkUpdateTarget(e, t);
          e = new Expr.Update(e, t.kind() == INC, false, spanFrom(start));
        }
        default -> { return e; }
      }
    }
  }

  private Expr primary() {
    Token t = peek();
    int start = pos;
    switch (t.kind()) {
      case INT -> {
        advance();
        IntLiteral value;
        try {
          value = IntLiteral.parse(t.text());
        } catch (IntLiteral.InvalidException e) {
          value = new IntLiteral(0, false);
        }
        return new Expr.Int(value.value(), value.unsigned(), t.span());
      }
      case CHAR -> {
        advance();
        return new Expr.Int(t.text().codePointAt(0), false, t.span());
      }
      case STRING -> {
        advance();
        return new Expr.Str(t.text(), t.span());
      }
      case VAR -> {
        advance();
        return new Expr.Var(t.text().substring(1), t.span());
      }
      case POSITIONAL -> {
        advance();
        return positional(t);
      }
      case MAP -> { return map(); }
      case LPAREN -> { return parenthesizedOrTuple(); }
      case IDENT -> { return identifier(); }
      case LBRACE -> {
        error(t.span(), "block expressions are not supported", "compute the value in statements before, e.g. $v = ...;");
        block();
        throw new SyntaxError();
      }
      default -> throw unexpected(t, List.of(), null);
    }
  }

  private Expr positional(Token t) {
    if (t.text().equals("$#")) return new Expr.Positional(0, t.span());
    String digits = t.text().substring(1);
    long n = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw error(t.span(), "param " + t.text() + " is out of integer range [1, " + Integer.MAX_VALUE + "]",
          n == 0 ? "positional parameters start at $1; $# is their count" : null);
    }
    return new Expr.Positional((int) n, t.span());
  }

  private Expr map() {
    int start = pos;
    Token m = advance();
    String name = m.text().substring(1);
    if (!at(LBRACKET)) return new Expr.Map(name, List.of(), m.span());
    advance();
    if (at(RBRACKET)) throw error(peek().span(), "syntax error, unexpected ]", "a map without keys is written " + m.text());
    List<Expr> keys = list(RBRACKET);
    return new Expr.Map(name, keys, spanFrom(start));
  }

  /** {@code e, e, ...} up to and including {@code close}. */
  private List<Expr> list(TokenKind close) {
    List<Expr> items = new ArrayList<>();
    items.add(expr());
    while (at(COMMA)) {
      advance();
      items.add(expr());
    }
    expect(close, close.display(), COMMA.display());
    return items;
  }

  private Expr parenthesizedOrTuple() {
    int start = pos;
    advance();
    if (at(RPAREN)) {
      advance();
      throw error(spanFrom(start), "empty tuples are not supported", null);
    }
    Expr first = expr();
    if (at(RPAREN)) {
      advance();
      return first;
    }
    if (!at(COMMA)) throw unexpected(peek(), List.of(")", COMMA.display()), null);
    List<Expr> elements = new ArrayList<>();
    elements.add(first);
    while (at(COMMA)) {
      advance();
      if (at(RPAREN)) break;
      elements.add(expr());
    }
    expect(RPAREN, ")", COMMA.display());
    if (elements.size() < 2) throw error(spanFrom(start), "one-element tuples are not supported", "use the element itself");
    return new Expr.Tuple(elements, spanFrom(start));
  }

  private Expr identifier() {
    Token t = advance();
    int start = pos - 1;
    switch (t.text()) {
      case "true" -> { return new Expr.Bool(true, t.span()); }
      case "false" -> { return new Expr.Bool(false, t.span()); }
      case "sizeof" -> { return sizeof(start); }
      case "offsetof" -> { return offsetof(start); }
      default -> { }
    }
    if (RESERVED.contains(t.text())) {
      pos--;
      throw unexpected(t, List.of(), null);
    }
    if (at(LPAREN)) {
      advance();
      List<Expr> args = at(RPAREN) ? List.of() : null;
      if (args == null) args = list(RPAREN);
      else advance();
      return new Expr.Call(t.text(), args, spanFrom(start));
    }
    return new Expr.Ident(t.text(), t.span());
  }

  private Expr sizeof(int start) {
    expect(LPAREN, "(");
    TypeScan scan = scanType(pos);
    if (scan != null && scan.certain() && tokenAt(scan.end()).kind() == RPAREN) {
      TypeName type = type();
      expect(RPAREN, ")");
      return new Expr.Sizeof(type, null, spanFrom(start));
    }
    Expr operand = expr();
    expect(RPAREN, ")");
    return new Expr.Sizeof(null, operand, spanFrom(start));
  }

  private Expr offsetof(int start) {
    expect(LPAREN, "(");
    TypeScan scan = scanType(pos);
    TypeName type = null;
    Expr operand = null;
    if (scan != null && scan.certain() && tokenAt(scan.end()).kind() == COMMA) type = type();
    else operand = expr();
    expect(COMMA, COMMA.display());
    List<String> fields = new ArrayList<>();
    fields.add(expect(IDENT, IDENT.display()).text());
    while (at(DOT)) {
      advance();
      fields.add(expect(IDENT, IDENT.display()).text());
    }
    expect(RPAREN, ")", ".");
    return new Expr.Offsetof(type, operand, fields, spanFrom(start));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tokens and errors

  private Token peek() { return tokens.get(pos); }

  private Token tokenAt(int i) { return tokens.get(Math.min(i, tokens.size() - 1)); }

  private boolean at(TokenKind kind) { return tokens.get(pos).kind() == kind; }

  private boolean atWord(String word) { return tokens.get(pos).is(word); }

  private Token advance() {
    Token t = tokens.get(pos);
    if (t.kind() != EOF) pos++;
    return t;
  }

  private Token previous() { return tokens.get(Math.max(0, pos - 1)); }

  private Token expect(TokenKind kind, String... expecting) {
    if (at(kind)) return advance();
    throw unexpected(peek(), List.of(expecting), null);
  }

  /** {@return the span from token {@code start} to the last token consumed} */
  private Span spanFrom(int start) {
    Span first = tokenAt(start).span();
    return pos > start ? first.to(tokens.get(pos - 1).span()) : first;
  }

  /** Errors at the end of the file point at the last real token, as bpftrace's do. */
  private Span errorSpan(Token t) {
    if (t.kind() != EOF) return t.span();
    for (int i = tokens.size() - 2; i >= 0; i--) {
      if (tokens.get(i).kind() != EOF) return tokens.get(i).span();
    }
    return t.span();
  }

  private SyntaxError error(Span span, String message, String hint) {
    if (span.start() != lastErrorAt) {
      diagnostics.add(Diagnostic.error(span, message, hint));
      lastErrorAt = span.start();
    }
    return new SyntaxError();
  }

  private SyntaxError unexpected(Token t, List<String> expecting, String hint) {
    StringBuilder message = new StringBuilder("syntax error, unexpected ").append(describe(t));
    if (!expecting.isEmpty()) message.append(", expecting ").append(String.join(" or ", expecting));
    SyntaxError e = error(errorSpan(t), message.toString(), hint);
    return t.kind() == EOF ? atEnd(e) : e;
  }

  private static String describe(Token t) {
    return switch (t.kind()) {
      case IDENT -> KEYWORDS.contains(t.text()) ? t.text() : IDENT.display();
      case POSITIONAL -> t.text().equals("$#") ? "$#" : POSITIONAL.display();
      default -> t.kind().display();
    };
  }
}
