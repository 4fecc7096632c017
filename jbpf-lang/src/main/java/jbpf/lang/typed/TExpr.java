package jbpf.lang.typed;

import java.util.List;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.UnOp;
import jbpf.lang.builtins.Builtin;
import jbpf.lang.builtins.Function;
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

  /**
   * A function computed in the kernel.
   *
   * @param imm a constant operand fixed by semantic analysis, whose meaning {@link Function} gives per function
   */
  record Call(Function function, List<TExpr> args, long imm, Type type, Span span) implements TExpr {
    public Call { args = List.copyOf(args); }
  }

  /** {@code ++}/{@code --} of a variable or map element, yielding the value before ({@code !prefix}) or after. */
  record Update(TExpr target, boolean increment, boolean prefix, Type type, Span span) implements TExpr {}

  /**
   * A map function with a value: {@code has_key(@m, key)} or {@code len(@m)}. {@code key} is {@code null} for
   * {@code len}; {@code kfunc} is the BTF id of the kernel function that counts a map's elements, or 0.
   */
  record MapCall(MapFn fn, MapInfo map, TExpr key, int kfunc, Type type, Span span) implements TExpr {}

  /** The map functions of {@link MapCall}. */
  enum MapFn { HAS_KEY, LEN }

  /**
   * The value {@code pointer} points to, read with {@code probe_read_kernel} (or {@code _user} for a user
   * pointer). For a record, array or string the whole value; a field or element of it reads only its bytes.
   */
  record Deref(TExpr pointer, Type type, Span span) implements TExpr {}

  /** Field {@code field} of a record value {@code base}; a bitfield is extracted from the bytes that hold it. */
  record FieldOf(TExpr base, Type.Field field, Type type, Span span) implements TExpr {}

  /** Element {@code index} of an array or string value {@code base}; reads 0 when the index is out of bounds. */
  record IndexOf(TExpr base, TExpr index, Type type, Span span) implements TExpr {}

  /** {@code &place}: the address of a value in kernel or user memory, e.g. {@code &$task->comm}. */
  record AddrOf(TExpr place, Type type, Span span) implements TExpr {}

  /** Statements, then a value: a macro expanded where an expression is expected. */
  record Seq(List<TStmt> stmts, TExpr value, Type type, Span span) implements TExpr {
    public Seq { stmts = List.copyOf(stmts); }
  }

  /** A call of the user function {@code function} ({@code fn name(...)}), compiled to a BPF subprogram. */
  record CallFn(String function, List<TExpr> args, Type type, Span span) implements TExpr {
    public CallFn { args = List.copyOf(args); }
  }
}
