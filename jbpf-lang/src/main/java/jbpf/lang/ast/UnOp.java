package jbpf.lang.ast;

/** A prefix operator. */
public enum UnOp {
  /** {@code -x} */ NEG("-"),
  /** {@code ~x} */ BNOT("~"),
  /** {@code !x} */ LNOT("!"),
  /** {@code *p}: dereference */ DEREF("*"),
  /** {@code &x}: address of */ ADDR("&");

  private final String symbol;

  UnOp(String symbol) { this.symbol = symbol; }

  /** {@return the operator as written} */
  public String symbol() { return symbol; }
}
