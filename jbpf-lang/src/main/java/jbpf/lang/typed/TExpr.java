package jbpf.lang.typed;

import java.util.List;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.UnOp;
import jbpf.lang.builtins.Builtin;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/** A type-checked expression. Every node carries its {@link Type}; code generation accepts nothing else. */
public sealed interface TExpr {
  Type type();

  Span span();

  /** An integer constant. */
  record Const(long value, Type type, Span span) implements TExpr {}

  /** A string constant, stored NUL-padded in {@code type().size()} bytes. */
  record StrConst(String value, Type.Str type, Span span) implements TExpr {}

  /** A builtin variable. */
  record BuiltinRef(Builtin builtin, Type type, Span span) implements TExpr {}

  /** A field of the probe's context record ({@code args->field} of a tracepoint). */
  record CtxField(Type.Field field, Type type, Span span) implements TExpr {}

  /**
   * A value in memory at {@code ctx[base] + ctx[index] * scale + displacement}, read with a probe-read helper: a
   * function argument on the stack, or a USDT argument in memory. {@code base} and {@code index} are byte offsets
   * into the context (of {@code pt_regs} registers), -1 when absent; {@code user} says whether the memory belongs
   * to the process rather than the kernel.
   */
  record CtxMemory(int base, int index, int scale, long displacement, boolean user, Type type, Span span) implements TExpr {}

  /**
   * The name of the function a kprobe, uprobe or kfunc fired in ({@code func}): a constant where the program serves
   * one attach point, else looked up by the attach cookie in {@code jbpf.lang.codegen.CompiledScript#FUNCTIONS_MAP}.
   */
  record ProbeFunction(Type.Str type, Span span) implements TExpr {}

  /** A scratch variable. */
  record VarRef(Variable var, Type type, Span span) implements TExpr {}

  /** The value of a map element; {@code key} is {@code null} for a map without keys. Reads 0 if absent. */
  record MapGet(MapInfo map, TExpr key, Type type, Span span) implements TExpr {}

  /** A binary operation; comparisons of strings compare their bytes. */
  record Binary(BinOp op, TExpr left, TExpr right, Type type, Span span) implements TExpr {}

  /** A unary operation. */
  record Unary(UnOp op, TExpr operand, Type type, Span span) implements TExpr {}

  /** {@code cond ? then : otherwise}. */
  record Ternary(TExpr cond, TExpr then, TExpr otherwise, Type type, Span span) implements TExpr {}

  /** A conversion of {@code operand} to {@code type}: integer truncation or extension. */
  record Cast(TExpr operand, Type type, Span span) implements TExpr {}

  /** A tuple built from its elements. */
  record TupleOf(List<TExpr> elements, Type.Tuple type, Span span) implements TExpr {
    public TupleOf { elements = List.copyOf(elements); }
  }

  /** Element {@code index} of a tuple. */
  record TupleGet(TExpr tuple, int index, Type type, Span span) implements TExpr {}

  /** {@code ++}/{@code --} of a variable or map element, yielding the value before ({@code !prefix}) or after. */
  record Update(TExpr target, boolean increment, boolean prefix, Type type, Span span) implements TExpr {}
}
