package jbpf.lang.ast;

/** A binary operator, with its C precedence (higher binds tighter). All are left-associative. */
public enum BinOp {
  MUL("*", 10), DIV("/", 10), MOD("%", 10),
  ADD("+", 9), SUB("-", 9),
  SHL("<<", 8), SHR(">>", 8),
  LT("<", 7), LE("<=", 7), GT(">", 7), GE(">=", 7),
  EQ("==", 6), NE("!=", 6),
  BAND("&", 5), BXOR("^", 4), BOR("|", 3),
  LAND("&&", 2), LOR("||", 1);

  private final String symbol;
  private final int precedence;

  BinOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  /** {@return the operator as written} */
  public String symbol() { return symbol; }

  /** {@return the binding strength: 10 for {@code * / %} down to 1 for {@code ||}} */
  public int precedence() { return precedence; }

  /** {@return whether the result is a truth value: a comparison or a logical operator} */
  public boolean isComparison() { return precedence == 7 || precedence == 6; }

  /** {@return whether this is {@code &&} or {@code ||}, which short-circuit} */
  public boolean isLogical() { return this == LAND || this == LOR; }
}
