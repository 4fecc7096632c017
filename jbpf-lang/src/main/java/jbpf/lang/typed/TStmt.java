package jbpf.lang.typed;

import java.util.List;
import jbpf.lang.ast.BinOp;
import jbpf.lang.types.AggKind;
import jbpf.source.Span;

/** A type-checked statement. */
public sealed interface TStmt {
  Span span();

  /** Statements in order. */
  record Block(List<TStmt> stmts, Span span) implements TStmt {
    public Block { stmts = List.copyOf(stmts); }
  }

  /** An expression evaluated for its effect. */
  record Eval(TExpr expr, Span span) implements TStmt {}

  /** {@code $var = value}. */
  record VarStore(Variable var, TExpr value, Span span) implements TStmt {}

  /** {@code @map[key] = value}; {@code key} is {@code null} for a map without keys. */
  record MapStore(MapInfo map, TExpr key, TExpr value, Span span) implements TStmt {}

  /**
   * {@code @map[key] = fn(args)} for an aggregation: {@code count()}, {@code sum(x)}, {@code hist(x)}...;
   * {@code args} holds the value argument, if the function has one.
   */
  record Aggregate(MapInfo map, TExpr key, AggKind kind, List<TExpr> args, Span span) implements TStmt {
    public Aggregate { args = List.copyOf(args); }
  }

  /** {@code delete(@map[key])}. */
  record MapDelete(MapInfo map, TExpr key, Span span) implements TStmt {}

  /** {@code if (cond) then else otherwise}; {@code otherwise} may be {@code null}. */
  record If(TExpr cond, TStmt then, TStmt otherwise, Span span) implements TStmt {}

  /** {@code while (cond) body}. */
  record While(TExpr cond, TStmt body, Span span) implements TStmt {}

  /** {@code break;} */
  record Break(Span span) implements TStmt {}

  /** {@code continue;} */
  record Continue(Span span) implements TStmt {}

  /**
   * {@code return;} in a probe, which ends it, or {@code return value;} in a user function; {@code value}
   * may be {@code null}.
   */
  record Return(TExpr value, Span span) implements TStmt {
    public Return(Span span) { this(null, span); }
  }

  /**
   * {@code for ($i : start..end) body}: {@code var} runs from {@code start} up to {@code end}, exclusive; both are
   * evaluated once, before the first iteration.
   */
  record ForRange(Variable var, TExpr start, TExpr end, TStmt body, Span span) implements TStmt {}

  /** {@code for ($kv : @map) body}: {@code var} is the tuple {@code (key, value)} of each element in turn. */
  record ForMap(Variable var, MapInfo map, TStmt body, Span span) implements TStmt {}

  /**
   * {@code @map[key] op= value}, {@code key} evaluated once; an absent element counts as 0. {@code value} has the
   * map's value type.
   */
  record MapCompound(MapInfo map, TExpr key, BinOp op, TExpr value, Span span) implements TStmt {}

  /**
   * An action carried out in userspace: the program sends event {@code event} with the values of
   * {@code args} laid out as {@code event.payload()}.
   */
  record Emit(AsyncEvent event, List<TExpr> args, Span span) implements TStmt {
    public Emit { args = List.copyOf(args); }
  }
}
