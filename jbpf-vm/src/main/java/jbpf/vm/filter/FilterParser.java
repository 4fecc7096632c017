package jbpf.vm.filter;

import java.util.ArrayList;
import java.util.List;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.UnOp;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * Parses a filter predicate, the expression of a bpftrace predicate {@code /.../}, into the bpftrace AST:
 * identifiers, integer, string and boolean literals, parentheses, the unary operators {@code ! - ~} and the
 * binary operators of {@link BinOp} with C precedence. A sample: {@code pid != 0 && comm == "myapp"}.
 */
public final class FilterParser {
  private record Tok(String kind, String text, Span span) {}

  private final Source source;
  private final List<Tok> toks = new ArrayList<>();
  private int pos;

  private FilterParser(Source source) { this.source = source; }

  /** {@return the expression in {@code source}} @throws CompileException at the first syntax error */
  public static Expr parse(Source source) throws CompileException {
    FilterParser p = new FilterParser(source);
    p.lex();
    Expr e = p.expr(0);
    Tok t = p.peek();
    if (!t.kind().equals("eof")) throw p.error(t.span(), "unexpected '" + t.text() + "' after the expression", null);
    return e;
  }

  private CompileException error(Span span, String message, String hint) {
    return new CompileException(Diagnostic.error(span, message, hint));
  }

  private void lex() throws CompileException {
    String s = source.text();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) { i++; continue; }
      int start = i;
      if (Character.isLetter(c) || c == '_') {
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        toks.add(new Tok("ident", s.substring(start, i), source.span(start, i)));
      } else if (Character.isDigit(c)) {
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        toks.add(new Tok("int", s.substring(start, i), source.span(start, i)));
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          char d = s.charAt(i++);
          if (d == '\\' && i < s.length()) {
            char e = s.charAt(i++);
            b.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; case '0' -> '\0'; case 'r' -> '\r'; default -> e; });
          } else {
            b.append(d);
          }
        }
        if (i >= s.length()) throw error(source.span(start, i), "unterminated string", "close it with \"");
        i++;
        toks.add(new Tok("string", b.toString(), source.span(start, i)));
      } else {
        String[] ops = {"==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "<", ">", "!", "~", "-", "+", "*", "/", "%", "&", "|", "^", "(", ")"};
        String op = null;
        for (String o : ops) if (s.startsWith(o, i)) { op = o; break; }
        if (op == null) throw error(source.span(i, i + 1), "unexpected character '" + c + "'", null);
        i += op.length();
        toks.add(new Tok("op", op, source.span(start, i)));
      }
    }
    toks.add(new Tok("eof", "end of input", source.span(s.length(), s.length())));
  }

  private Tok peek() { return toks.get(pos); }

  private Tok next() { return toks.get(pos++); }

  private static BinOp binop(Tok t) {
    if (!t.kind().equals("op")) return null;
    for (BinOp b : BinOp.values()) if (b.symbol().equals(t.text())) return b;
    return null;
  }

  private Expr expr(int minPrec) throws CompileException {
    Expr left = unary();
    while (true) {
      BinOp op = binop(peek());
      if (op == null || op.precedence() < minPrec) return left;
      next();
      Expr right = expr(op.precedence() + 1);
      left = new Expr.Binary(op, left, right, left.span().to(right.span()));
    }
  }

  private Expr unary() throws CompileException {
    Tok t = peek();
    if (t.kind().equals("op")) {
      UnOp op = switch (t.text()) { case "!" -> UnOp.LNOT; case "-" -> UnOp.NEG; case "~" -> UnOp.BNOT; default -> null; };
      if (op != null) {
        next();
        Expr operand = unary();
        return new Expr.Unary(op, operand, t.span().to(operand.span()));
      }
    }
    return primary();
  }

  private Expr primary() throws CompileException {
    Tok t = next();
    switch (t.kind()) {
      case "int" -> { return integer(t); }
      case "string" -> { return new Expr.Str(t.text(), t.span()); }
      case "ident" -> {
        if (t.text().equals("true") || t.text().equals("false")) return new Expr.Bool(t.text().equals("true"), t.span());
        return new Expr.Ident(t.text(), t.span());
      }
      case "op" -> {
        if (t.text().equals("(")) {
          Expr e = expr(0);
          Tok close = next();
          if (!close.text().equals(")")) throw error(close.span(), "expected ')' but found '" + close.text() + "'", null);
          return e;
        }
      }
      default -> {}
    }
    throw error(t.span(), "expected an expression but found '" + t.text() + "'", null);
  }

  private Expr integer(Tok t) throws CompileException {
    String s = t.text().replace("_", "");
    boolean unsigned = s.endsWith("u") || s.endsWith("U");
    if (unsigned) s = s.substring(0, s.length() - 1);
    try {
      long v;
      if (s.startsWith("0x") || s.startsWith("0X")) v = Long.parseUnsignedLong(s.substring(2), 16);
      else if (s.startsWith("0b") || s.startsWith("0B")) v = Long.parseUnsignedLong(s.substring(2), 2);
      else if (s.length() > 1 && s.startsWith("0")) v = Long.parseUnsignedLong(s.substring(1), 8);
      else v = Long.parseUnsignedLong(s);
      return new Expr.Int(v, unsigned || v < 0, t.span());
    } catch (NumberFormatException e) {
      throw error(t.span(), "invalid integer literal '" + t.text() + "'", null);
    }
  }
}
