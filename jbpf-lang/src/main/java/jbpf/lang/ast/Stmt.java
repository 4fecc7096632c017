package jbpf.lang.ast;

import java.util.List;
import jbpf.source.Span;

/** A statement in a probe, function or macro body. */
public sealed interface Stmt extends Node {
  /** {@code { s1; s2; ... }} */
  record Block(List<Stmt> stmts, Span span) implements Stmt {
    public Block { stmts = List.copyOf(stmts); }
  }

  /** An expression evaluated for its effect: {@code printf(...)}, {@code @x++}, {@code exit()}. */
  record ExprStmt(Expr expr, Span span) implements Stmt {}

  /**
   * {@code target = value}, or a compound assignment {@code target op= value} when {@code op} is not {@code null}.
   * The target is an {@link Expr.Var} or an {@link Expr.Map}.
   */
  record Assign(Expr target, BinOp op, Expr value, Span span) implements Stmt {}

  /** {@code let $name;}, {@code let $name: type;} or {@code let $name = value;}; {@code type} and {@code value} may be {@code null}. */
  record VarDecl(String name, TypeName type, Expr value, Span span) implements Stmt {}

  /** {@code if (cond) { ... } else ...}; {@code otherwise} is a {@link Block}, another {@link If}, or {@code null}. */
  record If(Expr cond, Block then, Stmt otherwise, Span span) implements Stmt {}

  /** {@code unroll (count) { ... }}: the body repeated {@code count} times, a constant from 1 to 100. */
  record Unroll(Expr count, Block body, Span span) implements Stmt {}

  /** {@code while (cond) { ... }} */
  record While(Expr cond, Block body, Span span) implements Stmt {}

  /** {@code for ($kv : @map) { ... }}: {@code $kv.0} is the key, {@code $kv.1} the value. */
  record ForMap(String var, Expr.Map map, Block body, Span span) implements Stmt {}

  /** {@code for ($i : start..end) { ... }}: {@code $i} runs from start inclusive to end exclusive. */
  record ForRange(String var, Expr start, Expr end, Block body, Span span) implements Stmt {}

  /** {@code break;} */
  record Break(Span span) implements Stmt {}

  /** {@code continue;} */
  record Continue(Span span) implements Stmt {}

  /** {@code return;} or {@code return value;}; {@code value} may be {@code null}. */
  record Return(Expr value, Span span) implements Stmt {}
}
