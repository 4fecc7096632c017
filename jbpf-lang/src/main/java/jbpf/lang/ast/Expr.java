package jbpf.lang.ast;

import java.util.List;
import jbpf.source.Span;

/** An expression. Identifiers stay unresolved here: semantic analysis decides builtin, enum constant or error. */
public sealed interface Expr extends Node {
  /**
   * An integer literal: decimal, {@code 0x}, {@code 0o}/leading-zero octal, {@code 0b}, with {@code _} separators,
   * a character literal ({@code 'a'}), or scientific notation ({@code 1e6}).
   *
   * @param value the bits; literals above {@code Long.MAX_VALUE} wrap, and {@code unsigned} is then set
   * @param unsigned whether the literal has a {@code u} suffix or does not fit in int64
   */
  record Int(long value, boolean unsigned, Span span) implements Expr {}

  /** A string literal with escapes decoded. */
  record Str(String value, Span span) implements Expr {}

  /** {@code true} or {@code false}. */
  record Bool(boolean value, Span span) implements Expr {}

  /** A positional parameter {@code $1} … {@code $N} ({@code n} ≥ 1), or {@code $#} when {@code n} is 0. */
  record Positional(int n, Span span) implements Expr {}

  /** A bare identifier: a builtin ({@code pid}, {@code arg0}, {@code args}), an enum constant, or unknown. */
  record Ident(String name, Span span) implements Expr {}

  /** A scratch variable {@code $name} (without the {@code $}). */
  record Var(String name, Span span) implements Expr {}

  /**
   * A map {@code @name} or element {@code @name[k1, k2]}; {@code name} is without the {@code @} and empty for
   * {@code @}. Several keys form a tuple key.
   */
  record Map(String name, List<Expr> keys, Span span) implements Expr {
    public Map { keys = List.copyOf(keys); }
  }

  /** A call of a builtin function, user function or macro: {@code count()}, {@code printf("%d", x)}. */
  record Call(String name, List<Expr> args, Span span) implements Expr {
    public Call { args = List.copyOf(args); }
  }

  /** {@code left op right}. */
  record Binary(BinOp op, Expr left, Expr right, Span span) implements Expr {}

  /** {@code op operand}. */
  record Unary(UnOp op, Expr operand, Span span) implements Expr {}

  /** {@code ++x}, {@code x++}, {@code --x}, {@code x--} on a variable or map element. */
  record Update(Expr target, boolean increment, boolean prefix, Span span) implements Expr {}

  /** {@code cond ? then : otherwise}. */
  record Ternary(Expr cond, Expr then, Expr otherwise, Span span) implements Expr {}

  /** {@code base.field} or {@code base->field} ({@code arrow}); also {@code args.x} and {@code args->x}. */
  record Field(Expr base, String field, boolean arrow, Span span) implements Expr {}

  /** {@code base.N}: element {@code N} of a tuple. */
  record TupleIndex(Expr base, int index, Span span) implements Expr {}

  /** {@code base[index]} on an array or pointer. */
  record Index(Expr base, Expr index, Span span) implements Expr {}

  /** {@code (type) operand}. */
  record Cast(TypeName type, Expr operand, Span span) implements Expr {}

  /** {@code sizeof(type)} ({@code type} set) or {@code sizeof(expr)} ({@code operand} set). */
  record Sizeof(TypeName type, Expr operand, Span span) implements Expr {}

  /** {@code offsetof(type, a.b)} ({@code type} set) or {@code offsetof(expr, a.b)} ({@code operand} set). */
  record Offsetof(TypeName type, Expr operand, List<String> fields, Span span) implements Expr {
    public Offsetof { fields = List.copyOf(fields); }
  }

  /** {@code (a, b, ...)} with at least two elements. */
  record Tuple(List<Expr> elements, Span span) implements Expr {
    public Tuple { elements = List.copyOf(elements); }
  }
}
