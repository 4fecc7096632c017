package jbpf.lang.lex;

/** What a {@link Token} is. Keywords are {@link #IDENT}s: the parser decides where a word is reserved. */
public enum TokenKind {
  IDENT("identifier"),
  /** An integer literal as written: {@code 42}, {@code 0x2a}, {@code 1_000}, {@code 1e6}, {@code 10ms}. */
  INT("integer"),
  /** A character literal; the token text is the decoded character. */
  CHAR("integer"),
  /** A string literal; the token text is the decoded value. */
  STRING("string"),
  /** A scratch variable {@code $name}. */
  VAR("variable"),
  /** A positional parameter {@code $1} or the parameter count {@code $#}. */
  POSITIONAL("positional parameter"),
  /** A map {@code @name} or {@code @}. */
  MAP("map"),
  /** A whole attach point such as {@code uprobe:/bin/bash:readline}, as written. */
  ATTACH_POINT("attach point"),
  /** A preprocessor line such as {@code #include <linux/sched.h>}. */
  PREPROC("preprocessor directive"),
  LBRACE("{"), RBRACE("}"), LPAREN("("), RPAREN(")"), LBRACKET("["), RBRACKET("]"),
  SEMI(";"), COMMA("\",\""), COLON(":"), DOT("."), DOTDOT(".."), ARROW("->"), QUESTION("?"),
  ASSIGN("="), PLUS_ASSIGN("+="), MINUS_ASSIGN("-="), STAR_ASSIGN("*="), SLASH_ASSIGN("/="), PERCENT_ASSIGN("%="),
  AMP_ASSIGN("&="), PIPE_ASSIGN("|="), CARET_ASSIGN("^="), SHL_ASSIGN("<<="), SHR_ASSIGN(">>="),
  EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), LAND("&&"), LOR("||"),
  PLUS("+"), MINUS("-"), STAR("*"), SLASH("/"), PERCENT("%"), AMP("&"), PIPE("|"), CARET("^"),
  BANG("!"), TILDE("~"), SHL("<<"), SHR(">>"), INC("++"), DEC("--"),
  /** The {@code /} that closes a predicate: a {@code /} followed (after blanks and comments) by {@code {}. */
  PRED_END("end predicate"),
  EOF("end of file");

  private final String display;

  TokenKind(String display) { this.display = display; }

  /** {@return how bpftrace names this kind in "unexpected ..." messages, e.g. {@code identifier} or {@code ;}} */
  public String display() { return display; }
}
