package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jbpf.lang.ast.Expr;
import jbpf.lang.builtins.Builtin;
import jbpf.lang.builtins.Function;
import jbpf.lang.probe.Attach;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.TracepointFormat;
import jbpf.lang.types.Type;
import jbpf.output.FormatError;
import jbpf.output.PrintfFormat;
import jbpf.source.Span;

/** Checks calls of the language's functions: statements such as {@code printf()} and {@code exit()}, and functions that compute values. */
final class Calls {
  private final Analyzer an;
  final Functions functions;

  Calls(Analyzer a) {
    this.an = a;
    this.functions = new Functions(a);
  }

  /** {@return whether {@code name} is a function that returns nothing and so stands only as a statement} */
  static boolean isStatement(String name) {
    return switch (name) {
      case "printf", "print", "clear", "zero", "delete", "exit", "time", "system", "cat", "join", "errorf", "warnf",
           "debugf", "unwatch" -> true;
      default -> Functions.isStatement(name);
    };
  }

  TStmt callStmt(Expr.Call c) {
    List<Expr> args = c.args();
    return switch (c.name()) {
      case "printf" -> printf(c);
      case "print", "clear", "zero", "delete" -> MapFunctions.statement(an, c);
      case "exit" -> {
        TExpr code = args.isEmpty() ? new TExpr.Const(0, Type.INT64, c.span()) : an.expr(args.getFirst());
        if (args.size() > 1) { an.error(c.span(), "exit() takes at most one argument"); yield null; }
        if (code == null) yield null;
        if (!Analyzer.isIntegral(code.type())) { an.error(args.getFirst().span(), "exit() code must be an integer"); yield null; }
        AsyncEvent ev = an.event(id -> new AsyncEvent.Exit(id, new Type.Tuple(List.of(Type.INT64))));
        yield new TStmt.Block(List.of(new TStmt.Emit(ev, List.of(an.convert(code, Type.INT64, code.span(), "exit")), c.span()),
            new TStmt.Return(c.span())), c.span());
      }
      case "time" -> {
        String fmt = "%H:%M:%S\n";
        if (args.size() > 1) { an.error(c.span(), "time() takes at most one argument"); yield null; }
        if (args.size() == 1) {
          if (!(args.getFirst() instanceof Expr.Str(String s, Span sp))) { an.error(args.getFirst().span(), "time() format must be a string literal"); yield null; }
          fmt = s;
        }
        String f = fmt;
        AsyncEvent ev = an.event(id -> new AsyncEvent.Time(id, f, new Type.Tuple(List.of())));
        yield new TStmt.Emit(ev, List.of(), c.span());
      }
      case "system", "cat" -> {
        boolean system = c.name().equals("system");
        // bpftrace guards system() only: cat() reads a file as the tracer's user, as the script could with -o.
        boolean ok = !system || functions.unsafe(c);
        Formatted f = formatted(c);
        if (f == null || !ok) yield null;
        AsyncEvent ev = an.event(id -> system ? new AsyncEvent.SystemCommand(id, f.format(), f.payload()) : new AsyncEvent.Cat(id, f.format(), f.payload()));
        yield new TStmt.Emit(ev, f.args(), c.span());
      }
      case "errorf", "warnf" -> {
        Formatted f = formatted(c);
        if (f == null) yield null;
        boolean error = c.name().equals("errorf");
        String location = c.span().toString();
        AsyncEvent ev = an.event(id -> new AsyncEvent.Message(id, error, location, f.format(), f.payload()));
        yield new TStmt.Emit(ev, f.args(), c.span());
      }
      case "debugf" -> debugf(c);
      case "join" -> join(c);
      case "unwatch" -> {
        if (args.size() != 1) { an.error(c.span(), "unwatch() requires 1 argument (" + args.size() + " provided)"); yield null; }
        TExpr addr = an.expr(args.getFirst());
        if (addr == null) yield null;
        if (!Analyzer.isIntegral(addr.type()) && !(addr.type() instanceof Type.Ptr)) {
          an.error(c.span(), "unwatch() only supports integer arguments (" + Functions.kindName(addr.type()) + " provided)");
          yield null;
        }
        TExpr a = Analyzer.isIntegral(addr.type()) ? an.convert(addr, Type.UINT64, addr.span(), "unwatch") : new TExpr.Cast(addr, Type.UINT64, addr.span());
        AsyncEvent ev = an.event(id -> new AsyncEvent.Unwatch(id, new Type.Tuple(List.of(Type.UINT64))));
        yield new TStmt.Emit(ev, List.of(a), c.span());
      }
      case "signal", "override" -> {
        TExpr t = functions.call(c);
        yield t == null ? null : new TStmt.Eval(t, c.span());
      }
      default -> null;
    };
  }

  TStmt printf(Expr.Call c) {
    Formatted f = formatted(c);
    if (f == null) return null;
    AsyncEvent ev = an.event(id -> new AsyncEvent.Printf(id, f.format(), f.payload()));
    return new TStmt.Emit(ev, f.args(), c.span());
  }

  /** The checked arguments of a printf-style call: its format, the values converted to how they are sent, and their layout. */
  private record Formatted(String format, List<TExpr> args, Type.Tuple payload) {}

  /**
   * Checks a call taking a format and arguments ({@code printf}, {@code system}, {@code cat}, {@code errorf}...) as
   * bpftrace does, naming every function {@code printf} in its messages. {@return the checked call, or
   * {@code null} after reporting}
   */
  private Formatted formatted(Expr.Call c) {
    if (c.args().isEmpty()) {
      an.error(c.span(), c.name() + "() requires at least 1 argument (0 provided)");
      return null;
    }
    if (!(c.args().getFirst() instanceof Expr.Str(String fmt, Span fs))) {
      TExpr t = an.expr(c.args().getFirst());
      an.error(c.span(), c.name() + "() expects a string literal (" + (t == null ? "none" : Functions.kindName(t.type())) + " provided)");
      return null;
    }
    List<TExpr> args = new ArrayList<>();
    boolean ok = true;
    for (Expr e : c.args().subList(1, c.args().size())) {
      TExpr t = an.expr(e);
      if (t == null) ok = false;
      else args.add(t);
    }
    if (!ok) return null;
    PrintfFormat pf = PrintfFormat.parse(fmt);
    Optional<FormatError> problem = pf.check("printf", args.stream().map(t -> argType(t.type())).toList());
    if (problem.isPresent()) {
      an.error(c.span(), problem.get().message());
      return null;
    }
    List<Type> types = new ArrayList<>();
    List<TExpr> conv = new ArrayList<>();
    for (TExpr t : args) {
      Type st = Analyzer.storageType(t.type());
      types.add(st);
      conv.add(an.convert(t, st, t.span(), c.name()));
    }
    return new Formatted(fmt, conv, new Type.Tuple(types));
  }

  /** {@return how {@link PrintfFormat} sees a value of type {@code t}: pointers are integers; stacks, symbols and other resolved values are strings} */
  static PrintfFormat.ArgType argType(Type t) {
    return switch (t) {
      case Type.Int i -> PrintfFormat.ArgType.integer();
      case Type.Bool b -> PrintfFormat.ArgType.integer();
      case Type.Ptr p -> PrintfFormat.ArgType.integer();
      case Type.Str s -> PrintfFormat.ArgType.string();
      case Type.Probe p -> PrintfFormat.ArgType.string();
      case Type.Stack s -> PrintfFormat.ArgType.string();
      case Type.Resolved r -> PrintfFormat.ArgType.string();
      case Type.Buf b -> PrintfFormat.ArgType.buffer();
      case Type.Agg a -> new PrintfFormat.ArgType(PrintfFormat.ArgKind.OTHER, a.kind().fn());
      default -> new PrintfFormat.ArgType(PrintfFormat.ArgKind.OTHER, Functions.kindName(t));
    };
  }

  /** {@code debugf(fmt, args...)}: bpf_trace_printk, which takes at most three integer arguments. */
  private TStmt debugf(Expr.Call c) {
    Formatted f = formatted(c);
    if (f == null) return null;
    if (f.args().size() > 3) {
      an.error(c.span(), "debugf() takes at most 3 arguments after the format (" + f.args().size() + " provided)");
      return null;
    }
    for (TExpr a : f.args()) {
      if (!(a.type() instanceof Type.Int)) {
        an.error(a.span(), "debugf() only supports integer arguments (" + Functions.kindName(a.type()) + " provided)",
            "bpf_trace_printk() cannot print strings from the BPF stack; use printf()");
        return null;
      }
    }
    for (PrintfFormat.Spec s : PrintfFormat.parse(f.format()).specs()) {
      if (s.lengthModifier() == PrintfFormat.Length.NONE && s.conversion() != PrintfFormat.Conversion.C) {
        an.error(c.span(), "debugf() needs the length of every integer conversion, e.g. %ld instead of %d",
            "the kernel's bpf_trace_printk() reads every argument as 64 bits only when told so");
        return null;
      }
    }
    List<TExpr> args = new ArrayList<>();
    args.add(new TExpr.StrConst(f.format(), new Type.Str(f.format().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1), c.span()));
    args.addAll(f.args());
    return new TStmt.Eval(new TExpr.Call(Function.DEBUGF, args, 0, Type.VOID, c.span()), c.span());
  }

  /** {@code join(array[, delimiter])}: the kernel reads the array's strings; userspace joins and prints them. */
  private TStmt join(Expr.Call c) {
    List<Expr> args = c.args();
    if (args.isEmpty() || args.size() > 2) {
      an.error(c.span(), "join() takes 1 or 2 arguments (" + args.size() + " provided)");
      return null;
    }
    String delim = " ";
    if (args.size() == 2) {
      delim = functions.literal(c, 1);
      if (delim == null) return null;
    }
    TExpr arr = an.expr(args.getFirst());
    if (arr == null) return null;
    if (!(arr.type() instanceof Type.Ptr) && !Analyzer.isIntegral(arr.type())) {
      an.error(c.span(), "join() expects an integer or a pointer type as first argument (" + Analyzer.describe(arr.type()) + " provided)");
      return null;
    }
    long flags = arr.type() instanceof Type.Ptr p ? (p.user() ? Function.Read.USER : Function.Read.KERNEL) : 0;
    List<Type> strings = new ArrayList<>();
    for (int i = 0; i < Functions.JOIN_ARGS; i++) strings.add(new Type.Str(Functions.JOIN_ARG_SIZE));
    Type.Tuple elements = new Type.Tuple(strings);
    TExpr source = Analyzer.isIntegral(arr.type()) ? an.convert(arr, Type.UINT64, arr.span(), "join") : arr;
    TExpr read = new TExpr.Call(Function.JOIN_ARGS, List.of(source), flags, elements, c.span());
    String d = delim;
    AsyncEvent ev = an.event(id -> new AsyncEvent.Join(id, d, new Type.Tuple(List.of(elements))));
    return new TStmt.Emit(ev, List.of(read), c.span());
  }

  TExpr call(Expr.Call c) {
    if (Aggregates.aggregation(c.name()) != null) {
      an.error(c.span(), c.name() + "() should be directly assigned to a map, e.g. @x = " + c.name() + "(...)");
      return null;
    }
    // len(@map) counts a map's entries; len() of anything else is a string or stack length
    boolean mapArgument = c.args().size() == 1 && c.args().getFirst() instanceof Expr.Map;
    if (MapFunctions.isValueFunction(c.name()) && (!c.name().equals("len") || mapArgument)) return MapFunctions.call(an, c);
    if (isStatement(c.name())) {
      an.error(c.span(), c.name() + "() should not be used in an expression");
      return null;
    }
    if (Functions.handles(c.name())) return functions.call(c);
    if (c.args().isEmpty() && Builtins.isBuiltin(c.name())) return an.builtins.ident(c.name(), c.span());
    // as bpftrace words it, under the name only
    Span name = new Span(c.span().source(), c.span().start(), Math.min(c.span().end(), c.span().start() + c.name().length()));
    an.error(name, "Unknown function: " + c.name());
    return null;
  }
}
