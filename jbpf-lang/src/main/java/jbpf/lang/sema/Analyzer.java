package jbpf.lang.sema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Probe;
import jbpf.lang.ast.Program;
import jbpf.lang.ast.Stmt;
import jbpf.lang.ast.UnOp;
import jbpf.lang.builtins.Builtin;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeResolver;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.typed.TypedProgram.Settings;
import jbpf.lang.typed.TypedProgram.TProbe;
import jbpf.lang.typed.Variable;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;
import jbpf.lang.types.Type;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * Semantic analysis: resolves probes, names and types, and produces the {@link TypedProgram} that code
 * generation consumes. Map types are inferred from every assignment in the script, wherever it is, so
 * checking runs in passes until no map type changes; only the last pass reports errors.
 */
public final class Analyzer {
  private final Source source;
  final Calls calls = new Calls(this);
  final Aggregates aggregates = new Aggregates(this);
  final Builtins builtins = new Builtins(this);
  final ProbeContext probeContext = new ProbeContext(this);
  final KernelInfo kernel;
  final Settings settings;
  final List<String> params;

  private Analyzer(Source source, KernelInfo kernel, Settings settings, List<String> params) {
    this.source = source;
    this.kernel = kernel;
    this.settings = settings;
    this.params = List.copyOf(params);
  }

  /**
   * Analyzes {@code program}.
   *
   * @param params the positional parameters {@code $1}… given after the script
   * @throws CompileException with every error found
   */
  public static TypedProgram analyze(Program program, Source source, KernelInfo kernel, Settings settings, List<String> params)
      throws CompileException {
    return new Analyzer(source, kernel, settings, params).run(program);
  }

  // ---- state kept across passes -------------------------------------------------------------------------

  /** What is known of a map: key and value types, aggregation. {@code null} members are not yet known. */
  static final class MapState {
    final String name;
    final int index;
    Type key;
    Type value;
    AggKind agg;
    boolean multiKey;
    MapInfo info;

    MapState(String name, int index) {
      this.name = name;
      this.index = index;
    }
  }

  final Map<String, MapState> maps = new LinkedHashMap<>();
  boolean changed;
  boolean reporting;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  List<AsyncEvent> events = new ArrayList<>();

  private TypedProgram run(Program program) throws CompileException {
    // Resolve attach points once; errors there are final.
    List<List<Attach>> resolved = new ArrayList<>();
    ProbeResolver resolver = new ProbeResolver(kernel);
    for (Probe p : program.probes()) {
      List<Attach> all = new ArrayList<>();
      for (AttachPoint ap : p.attachPoints()) {
        ProbeResolver.Result r = resolver.resolve(ap);
        if (r.error() != null) diagnostics.add(r.error());
        all.addAll(r.attaches());
      }
      resolved.add(all);
    }
    if (!diagnostics.isEmpty()) throw new CompileException(diagnostics);

    List<TProbe> probes = List.of();
    for (int pass = 0; pass < 10; pass++) {
      changed = false;
      probes = checkAll(program, resolved);
      if (!changed) break;
    }
    reporting = true;
    events = new ArrayList<>();
    for (MapState m : maps.values()) m.info = null;
    probes = checkAll(program, resolved);
    if (!diagnostics.isEmpty()) throw new CompileException(sorted(diagnostics));
    List<MapInfo> infos = new ArrayList<>();
    for (MapState m : maps.values()) if (m.value != null) infos.add(info(m));
    return new TypedProgram(source, probes, infos, events, settings);
  }

  private static List<Diagnostic> sorted(List<Diagnostic> ds) {
    List<Diagnostic> out = new ArrayList<>(ds);
    out.sort((a, b) -> Integer.compare(a.span() == null ? -1 : a.span().start(), b.span() == null ? -1 : b.span().start()));
    return out;
  }

  private List<TProbe> checkAll(Program program, List<List<Attach>> resolved) {
    List<TProbe> out = new ArrayList<>();
    for (int i = 0; i < program.probes().size(); i++) {
      Probe p = program.probes().get(i);
      List<Attach> attaches = resolved.get(i);
      String text = p.attachPoints().stream().map(AttachPoint::raw).reduce((a, b) -> a + "," + b).orElse("");
      // A body that reads args is checked once per attach point: each tracepoint has its own layout.
      if ((usesArgs(p) || ProbeContext.perAttachPoint(p, attaches)) && attaches.size() > 1) {
        for (Attach a : attaches) out.add(checkProbe(p, text, List.of(a), out.size()));
      } else {
        out.add(checkProbe(p, text, attaches, out.size()));
      }
    }
    return out;
  }

  private static boolean usesArgs(Probe p) {
    boolean[] found = {false};
    AstWalker.walk(p, e -> { if (e instanceof Expr.Ident(String n, Span s) && n.equals("args")) found[0] = true; });
    return found[0];
  }

  // ---- per probe ----------------------------------------------------------------------------------------

  List<Attach> attaches;
  Map<String, Variable> vars;
  int loopDepth;

  private TProbe checkProbe(Probe p, String text, List<Attach> attaches, int index) {
    this.attaches = attaches;
    this.vars = new HashMap<>();
    this.loopDepth = 0;
    TExpr pred = null;
    if (p.predicate() != null) {
      pred = expr(p.predicate());
      if (pred != null && !isIntegral(pred.type()) && !(pred.type() instanceof Type.Ptr)) {
        error(p.predicate().span(), "Invalid type for predicate: " + pred.type());
      }
    }
    TStmt.Block body = block(p.body());
    return new TProbe(text, attaches, pred, body, index);
  }

  TStmt.Block block(Stmt.Block b) {
    List<TStmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      TStmt t = stmt(s);
      if (t != null) out.add(t);
    }
    return new TStmt.Block(out, b.span());
  }

  TStmt stmt(Stmt s) {
    return switch (s) {
      case Stmt.Block b -> block(b);
      case Stmt.ExprStmt(Expr e, Span span) -> exprStmt(e, span);
      case Stmt.Assign a -> assign(a);
      case Stmt.VarDecl d -> varDecl(d);
      case Stmt.If(Expr cond, Stmt.Block then, Stmt otherwise, Span span) -> {
        TExpr c = condition(cond);
        TStmt t = block(then);
        TStmt o = otherwise == null ? null : stmt(otherwise);
        yield c == null ? null : new TStmt.If(c, t, o, span);
      }
      case Stmt.While(Expr cond, Stmt.Block body, Span span) -> {
        TExpr c = condition(cond);
        loopDepth++;
        TStmt b = block(body);
        loopDepth--;
        yield c == null ? null : new TStmt.While(c, b, span);
      }
      case Stmt.Unroll(Expr count, Stmt.Block body, Span span) -> {
        TExpr n = expr(count);
        if (!(n instanceof TExpr.Const(long v, Type t, Span cs))) {
          if (n != null) error(count.span(), "unroll needs a constant count");
          yield null;
        }
        if (v < 1 || v > 100) {
          error(count.span(), "unroll count must be from 1 to 100, not " + v);
          yield null;
        }
        List<TStmt> copies = new ArrayList<>();
        for (int i = 0; i < v; i++) copies.add(block(body));
        yield new TStmt.Block(copies, span);
      }
      case Stmt.ForMap f -> { error(f.span(), "for loops over maps are not supported yet"); yield null; }
      case Stmt.ForRange f -> { error(f.span(), "for loops over ranges are not supported yet"); yield null; }
      case Stmt.Break(Span span) -> {
        if (loopDepth == 0) error(span, "'break' statement is not allowed outside of a loop");
        yield new TStmt.Break(span);
      }
      case Stmt.Continue(Span span) -> {
        if (loopDepth == 0) error(span, "'continue' statement is not allowed outside of a loop");
        yield new TStmt.Continue(span);
      }
      case Stmt.Return(Expr value, Span span) -> {
        if (value != null) error(value.span(), "a probe returns no value");
        yield new TStmt.Return(span);
      }
    };
  }

  TExpr condition(Expr cond) {
    TExpr c = expr(cond);
    if (c != null && !isIntegral(c.type()) && !(c.type() instanceof Type.Ptr)) {
      error(cond.span(), "Invalid condition: " + c.type());
      return null;
    }
    return c;
  }

  private TStmt varDecl(Stmt.VarDecl d) {
    if (vars.containsKey(d.name())) {
      error(d.span(), "Variable $" + d.name() + " is already declared");
      return null;
    }
    if (d.value() == null) {
      Type t = d.type() == null ? Type.INT64 : TypeNames.resolve(d.type(), this::error, settings);
      if (t == null) return null;
      Variable v = new Variable(d.name(), t);
      vars.put(d.name(), v);
      return new TStmt.VarStore(v, zero(t, d.span()), d.span());
    }
    TExpr value = expr(d.value());
    if (value == null) return null;
    Type t = d.type() == null ? storageType(value.type()) : TypeNames.resolve(d.type(), this::error, settings);
    if (t == null) return null;
    Variable v = new Variable(d.name(), t);
    vars.put(d.name(), v);
    return new TStmt.VarStore(v, convert(value, t, d.value().span(), "$" + d.name()), d.span());
  }

  private static TExpr zero(Type t, Span span) {
    return switch (t) {
      case Type.Str s -> new TExpr.StrConst("", s, span);
      default -> new TExpr.Const(0, t, span);
    };
  }

  private TStmt exprStmt(Expr e, Span span) {
    if (e instanceof Expr.Call c) {
      TStmt s = calls.callStmt(c);
      if (s != null || isStatementCall(c.name())) return s;
    }
    TExpr t = expr(e);
    return t == null ? null : new TStmt.Eval(t, span);
  }

  static boolean isStatementCall(String name) {
    return switch (name) {
      case "printf", "print", "clear", "zero", "delete", "exit", "time" -> true;
      default -> false;
    };
  }

  // ---- assignments ---------------------------------------------------------------------------------------

  private TStmt assign(Stmt.Assign a) {
    if (a.op() != null) {
      // x op= v is x = x op v; for a map element the key is evaluated twice, which is harmless: keys have no effects.
      Expr combined = new Expr.Binary(a.op(), a.target(), a.value(), a.span());
      return assign(new Stmt.Assign(a.target(), null, combined, a.span()));
    }
    return switch (a.target()) {
      case Expr.Var(String name, Span span) -> {
        TExpr value = expr(a.value());
        if (value == null) yield null;
        if (value.type() instanceof Type.Void) {
          error(a.value().span(), "Value of type void cannot be assigned to $" + name);
          yield null;
        }
        Variable v = vars.get(name);
        if (v == null) {
          v = new Variable(name, storageType(value.type()));
          vars.put(name, v);
        } else if (!assignable(value.type(), v.type())) {
          error(span, "Type mismatch for $" + name + ": trying to assign value of type '" + describe(value.type())
              + "' when variable already contains a value of type '" + describe(v.type()) + "'");
          yield null;
        }
        yield new TStmt.VarStore(v, convert(value, v.type(), a.value().span(), "$" + name), a.span());
      }
      case Expr.Map m -> mapAssign(m, a.value(), a.span());
      default -> {
        error(a.target().span(), "Can only assign to a variable ($x) or a map (@x)");
        yield null;
      }
    };
  }

  private TStmt mapAssign(Expr.Map m, Expr valueExpr, Span span) {
    MapState st = map(m.name());
    TExpr key = mapKey(m, st);
    if (valueExpr instanceof Expr.Call c) {
      AggKind agg = Aggregates.aggregation(c.name());
      if (agg != null) return aggregates.aggregate(m, st, key, agg, c, span);
    }
    TExpr value = expr(valueExpr);
    if (value == null) return null;
    if (value.type() instanceof Type.Void) {
      error(valueExpr.span(), "Value of type void cannot be assigned to @" + m.name());
      return null;
    }
    if (st.agg != null) {
      error(m.span(), "Type mismatch for @" + m.name() + ": trying to assign value of type '" + describe(value.type())
          + "' when map already contains a value of type '" + st.agg.fn() + "_t'");
      return null;
    }
    Type vt = storageType(value.type());
    if (st.value == null) {
      st.value = vt;
      changed = true;
    } else if (!assignable(vt, st.value)) {
      error(m.span(), "Type mismatch for @" + m.name() + ": trying to assign value of type '" + describe(value.type())
          + "' when map already contains a value of type '" + describe(st.value) + "'");
      return null;
    } else if (st.value instanceof Type.Str s && vt.size() > s.size()) {
      st.value = vt;
      changed = true;
    }
    MapInfo info = info(st);
    if (info == null || (m.keys().size() > 0 && key == null)) return null;
    return new TStmt.MapStore(info, key, convert(value, st.value, valueExpr.span(), "@" + m.name()), span);
  }

  MapState map(String name) {
    return maps.computeIfAbsent(name, n -> new MapState(n, maps.size()));
  }

  /** Checks and types the key of a map access, recording the key type on first use. */
  TExpr mapKey(Expr.Map m, MapState st) {
    if (m.keys().isEmpty()) {
      if (st.key == null) {
        st.key = Type.VOID;
        changed = true;
      } else if (!(st.key instanceof Type.Void)) {
        error(m.span(), "Argument mismatch for @" + m.name() + ": trying to access with no arguments when map expects arguments: ["
            + describe(st.key) + "]");
      }
      return null;
    }
    List<TExpr> keys = new ArrayList<>();
    for (Expr k : m.keys()) {
      TExpr t = expr(k);
      if (t == null) return null;
      if (t.type() instanceof Type.Void || t.type() instanceof Type.Agg) {
        error(k.span(), "Invalid map key type: " + describe(t.type()));
        return null;
      }
      keys.add(t);
    }
    TExpr key = keys.size() == 1 ? keys.getFirst() : tuple(keys, m.span());
    if (keys.size() > 1) st.multiKey = true;
    Type kt = storageType(key.type());
    if (st.key == null) {
      st.key = kt;
      changed = true;
    } else if (!keyCompatible(kt, st.key)) {
      error(m.span(), "Argument mismatch for @" + m.name() + ": trying to access with arguments: [" + describeKey(kt)
          + "] when map expects arguments: [" + describeKey(st.key) + "]");
      return null;
    } else {
      Type widened = widen(st.key, kt);
      if (!widened.equals(st.key)) {
        st.key = widened;
        changed = true;
      }
    }
    return convert(key, st.key, m.span(), "@" + m.name());
  }

  MapInfo info(MapState st) {
    if (st.value == null || st.key == null) return null;
    MapInfo i = st.info;
    if (i == null || !i.key().equals(st.key) || !i.value().equals(st.value)) {
      String specName = "AT_" + (st.name.isEmpty() ? "" : st.name);
      for (MapState other : maps.values())
        if (other != st && ("AT_" + other.name).equals(specName)) specName = specName + "_" + st.index;
      i = new MapInfo(st.name.isEmpty() ? "@" : "@" + st.name, specName, st.key, st.value, st.agg, st.multiKey);
      st.info = i;
    }
    return i;
  }

  // ---- statement calls -----------------------------------------------------------------------------------

  AsyncEvent event(java.util.function.IntFunction<AsyncEvent> make) {
    AsyncEvent e = make.apply(events.size());
    events.add(e);
    return e;
  }

  void undefinedMap(Expr.Map m) {
    error(m.span(), "Undefined map: @" + m.name());
  }

  // ---- expressions ---------------------------------------------------------------------------------------

  /** {@return the typed expression, or {@code null} after reporting an error (or while a map type is unknown)} */
  TExpr expr(Expr e) {
    return switch (e) {
      case Expr.Int(long v, boolean unsigned, Span span) -> new TExpr.Const(v, unsigned ? Type.UINT64 : Type.INT64, span);
      case Expr.Str(String v, Span span) -> new TExpr.StrConst(v, new Type.Str(v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1), span);
      case Expr.Bool(boolean v, Span span) -> new TExpr.Const(v ? 1 : 0, Type.BOOL, span);
      case Expr.Positional(int n, Span span) -> builtins.positional(n, span);
      case Expr.Ident(String name, Span span) -> builtins.ident(name, span);
      case Expr.Var(String name, Span span) -> {
        Variable v = vars.get(name);
        if (v == null) { error(span, "Undefined or undeclared variable: $" + name); yield null; }
        yield new TExpr.VarRef(v, v.type(), span);
      }
      case Expr.Map m -> {
        MapState st = maps.get(m.name());
        if (st == null || st.value == null) {
          if (reporting) error(m.span(), "Undefined map: @" + m.name());
          yield null;
        }
        TExpr key = mapKey(m, st);
        if (!m.keys().isEmpty() && key == null) yield null;
        MapInfo info = info(st);
        if (info == null) yield null;
        Type vt = st.agg != null ? aggReadType(st) : st.value;
        if (vt == null) {
          error(m.span(), "The value of a " + st.agg.fn() + "() map cannot be read in a probe");
          yield null;
        }
        yield new TExpr.MapGet(info, key, vt, m.span());
      }
      case Expr.Call c -> calls.call(c);
      case Expr.Binary b -> binary(b);
      case Expr.Unary u -> unary(u);
      case Expr.Update u -> update(u);
      case Expr.Ternary(Expr cond, Expr then, Expr otherwise, Span span) -> {
        TExpr c = condition(cond), t = expr(then), o = expr(otherwise);
        if (c == null || t == null || o == null) yield null;
        if (isIntegral(t.type()) && isIntegral(o.type())) {
          Type rt = arith(t.type(), o.type());
          yield fold(new TExpr.Ternary(c, convert(t, rt, then.span(), "?:"), convert(o, rt, otherwise.span(), "?:"), rt, span));
        }
        if (t.type() instanceof Type.Str a && o.type() instanceof Type.Str b) {
          Type.Str rt = new Type.Str(Math.max(a.size(), b.size()));
          yield new TExpr.Ternary(c, convert(t, rt, then.span(), "?:"), convert(o, rt, otherwise.span(), "?:"), rt, span);
        }
        error(span, "Ternary operator must return the same type: have '" + describe(t.type()) + "' and '" + describe(o.type()) + "'");
        yield null;
      }
      case Expr.Field f -> builtins.field(f);
      case Expr.TupleIndex(Expr base, int index, Span span) -> {
        TExpr b = expr(base);
        if (b == null) yield null;
        if (!(b.type() instanceof Type.Tuple tt)) { error(span, "Can not access index '" + index + "' on expression of type '" + describe(b.type()) + "'"); yield null; }
        if (index >= tt.elements().size()) { error(span, "Invalid tuple index: " + index + ". Found " + tt.elements().size() + " elements in tuple."); yield null; }
        if (b instanceof TExpr.TupleOf to) yield to.elements().get(index);
        yield new TExpr.TupleGet(b, index, tt.elements().get(index), span);
      }
      case Expr.Index ix -> { error(ix.span(), "array indexing is not supported yet"); yield null; }
      case Expr.Cast(jbpf.lang.ast.TypeName tn, Expr operand, Span span) -> {
        TExpr v = expr(operand);
        Type t = TypeNames.resolve(tn, this::error, settings);
        if (v == null || t == null) yield null;
        if (!(t instanceof Type.Int) || !isIntegral(v.type())) {
          error(span, "Cannot cast from '" + describe(v.type()) + "' to '" + describe(t) + "'");
          yield null;
        }
        yield fold(new TExpr.Cast(v, t, span));
      }
      case Expr.Sizeof(jbpf.lang.ast.TypeName tn, Expr operand, Span span) -> {
        Type t = tn != null ? TypeNames.resolve(tn, this::error, settings) : typeOnly(operand);
        yield t == null ? null : new TExpr.Const(t.size(), Type.UINT64, span);
      }
      case Expr.Offsetof o -> { error(o.span(), "offsetof() is not supported yet"); yield null; }
      case Expr.Tuple(List<Expr> elements, Span span) -> {
        List<TExpr> out = new ArrayList<>();
        for (Expr x : elements) {
          TExpr t = expr(x);
          if (t == null) yield null;
          if (t.type() instanceof Type.Void || t.type() instanceof Type.Agg) { error(x.span(), "Invalid tuple element type: " + describe(t.type())); yield null; }
          out.add(t);
        }
        yield tuple(out, span);
      }
    };
  }

  private Type typeOnly(Expr e) {
    TExpr t = expr(e);
    return t == null ? null : t.type();
  }

  Type aggReadType(MapState st) {
    return switch (st.agg) {
      case COUNT, SUM, MIN, MAX, AVG -> ((Type.Agg) st.value).signed() || st.agg == AggKind.AVG ? Type.INT64 : Type.UINT64;
      case STATS, HIST, LHIST -> null;
    };
  }

  TExpr tuple(List<TExpr> elements, Span span) {
    List<Type> types = new ArrayList<>();
    List<TExpr> conv = new ArrayList<>();
    for (TExpr t : elements) {
      Type st = storageType(t.type());
      types.add(st);
      conv.add(convert(t, st, t.span(), "tuple"));
    }
    return new TExpr.TupleOf(conv, new Type.Tuple(types), span);
  }

  private TExpr binary(Expr.Binary b) {
    TExpr l = expr(b.left()), r = expr(b.right());
    if (l == null || r == null) return null;
    BinOp op = b.op();
    Type lt = l.type(), rt = r.type();
    if (lt instanceof Type.Str && rt instanceof Type.Str && (op == BinOp.EQ || op == BinOp.NE)) {
      return new TExpr.Binary(op, l, r, Type.UINT64, b.span());
    }
    if (op.isLogical()) {
      if (!truthy(lt) || !truthy(rt)) {
        error(b.span(), "Invalid operands for " + op.symbol() + ": '" + describe(lt) + "' and '" + describe(rt) + "'");
        return null;
      }
      return fold(new TExpr.Binary(op, l, r, Type.UINT64, b.span()));
    }
    if (!isIntegral(lt) || !isIntegral(rt)) {
      error(b.span(), "Type mismatch for '" + op.symbol() + "': comparing '" + describe(lt) + "' with '" + describe(rt) + "'");
      return null;
    }
    Type t = op.isComparison() ? Type.UINT64 : arith(lt, rt);
    return fold(new TExpr.Binary(op, l, r, t, b.span()));
  }

  private TExpr unary(Expr.Unary u) {
    TExpr v = expr(u.operand());
    if (v == null) return null;
    return switch (u.op()) {
      case NEG -> {
        if (!isIntegral(v.type())) { error(u.span(), "The - operator can not be used on expressions of type '" + describe(v.type()) + "'"); yield null; }
        yield fold(new TExpr.Unary(UnOp.NEG, v, Type.INT64, u.span()));
      }
      case BNOT -> {
        if (!isIntegral(v.type())) { error(u.span(), "The ~ operator can not be used on expressions of type '" + describe(v.type()) + "'"); yield null; }
        yield fold(new TExpr.Unary(UnOp.BNOT, v, storageType(v.type()), u.span()));
      }
      case LNOT -> {
        if (!truthy(v.type())) { error(u.span(), "The ! operator can not be used on expressions of type '" + describe(v.type()) + "'"); yield null; }
        yield fold(new TExpr.Unary(UnOp.LNOT, v, Type.UINT64, u.span()));
      }
      case DEREF, ADDR -> {
        error(u.span(), "The " + u.op().symbol() + " operator is not supported yet");
        yield null;
      }
    };
  }

  private TExpr update(Expr.Update u) {
    TExpr target = switch (u.target()) {
      case Expr.Var(String name, Span span) -> {
        Variable v = vars.get(name);
        if (v == null) { error(span, "Undefined or undeclared variable: $" + name); yield null; }
        yield new TExpr.VarRef(v, v.type(), span);
      }
      case Expr.Map m -> {
        MapState st = map(m.name());
        TExpr key = mapKey(m, st);
        if (!m.keys().isEmpty() && key == null) yield null;
        if (st.value == null) {
          st.value = Type.INT64;
          changed = true;
        }
        if (st.agg != null || !isIntegral(st.value)) {
          error(m.span(), "The " + (u.increment() ? "++" : "--") + " operator needs an integer map, but @" + m.name() + " holds '" + describe(st.value) + "'");
          yield null;
        }
        MapInfo info = info(st);
        yield info == null ? null : new TExpr.MapGet(info, key, st.value, m.span());
      }
      default -> {
        error(u.span(), "The " + (u.increment() ? "++" : "--") + " operator must be applied to a map or variable");
        yield null;
      }
    };
    if (target == null) return null;
    if (!isIntegral(target.type())) {
      error(u.span(), "The " + (u.increment() ? "++" : "--") + " operator can not be used on expressions of type '" + describe(target.type()) + "'");
      return null;
    }
    return new TExpr.Update(target, u.increment(), u.prefix(), target.type(), u.span());
  }

  // ---- types ---------------------------------------------------------------------------------------------

  static boolean isIntegral(Type t) { return t instanceof Type.Int || t instanceof Type.Bool; }

  static boolean truthy(Type t) { return isIntegral(t) || t instanceof Type.Ptr; }

  static boolean isSigned(Type t) { return t instanceof Type.Int i && i.signed(); }

  /** The result of arithmetic: 64 bits, signed only if both operands are (bpftrace's rule). */
  private static Type arith(Type a, Type b) {
    return isSigned(a) && isSigned(b) ? Type.INT64 : Type.UINT64;
  }

  /**
   * The type a value takes when stored in a variable, map or event: integers widen to 64 bits keeping
   * their sign; other types are stored as they are.
   */
  static Type storageType(Type t) {
    return switch (t) {
      case Type.Int i -> i.signed() ? Type.INT64 : Type.UINT64;
      case Type.Bool b -> Type.UINT64;
      case Type.Tuple tt -> new Type.Tuple(tt.elements().stream().map(Analyzer::storageType).toList());
      default -> t;
    };
  }

  static boolean assignable(Type from, Type to) {
    if (isIntegral(from) && isIntegral(to)) return true;
    if (from instanceof Type.Str a && to instanceof Type.Str b) return true;
    if (from instanceof Type.Tuple a && to instanceof Type.Tuple b) {
      if (a.elements().size() != b.elements().size()) return false;
      for (int i = 0; i < a.elements().size(); i++) if (!assignable(a.elements().get(i), b.elements().get(i))) return false;
      return true;
    }
    return from.equals(to);
  }

  private static boolean keyCompatible(Type from, Type to) { return assignable(from, to); }

  /** {@return the type that holds values of both {@code a} and {@code b}: the longer of two strings} */
  private static Type widen(Type a, Type b) {
    if (a instanceof Type.Str x && b instanceof Type.Str y) return x.size() >= y.size() ? a : b;
    if (a instanceof Type.Tuple x && b instanceof Type.Tuple y && x.elements().size() == y.elements().size()) {
      List<Type> out = new ArrayList<>();
      for (int i = 0; i < x.elements().size(); i++) out.add(widen(x.elements().get(i), y.elements().get(i)));
      return new Type.Tuple(out);
    }
    return a;
  }

  /** {@return {@code e} converted to {@code to}} */
  TExpr convert(TExpr e, Type to, Span span, String what) {
    Type from = e.type();
    if (from.equals(to)) return e;
    if (isIntegral(from) && to instanceof Type.Int) return fold(new TExpr.Cast(e, to, e.span()));
    if (from instanceof Type.Str && to instanceof Type.Str ts) {
      if (e instanceof TExpr.StrConst(String v, Type.Str t, Span s)) return new TExpr.StrConst(v, ts, s);
      return new TExpr.Cast(e, to, e.span());
    }
    if (from instanceof Type.Tuple ft && to instanceof Type.Tuple tt && e instanceof TExpr.TupleOf to2) {
      List<TExpr> out = new ArrayList<>();
      for (int i = 0; i < to2.elements().size(); i++) out.add(convert(to2.elements().get(i), tt.elements().get(i), span, what));
      return new TExpr.TupleOf(out, tt, e.span());
    }
    if (from instanceof Type.Tuple && to instanceof Type.Tuple) return new TExpr.Cast(e, to, e.span());
    throw new IllegalStateException("no conversion from " + from + " to " + to + " for " + what);
  }

  /** Constant folding of integer operations on constants. */
  static TExpr fold(TExpr e) {
    return switch (e) {
      case TExpr.Binary(BinOp op, TExpr.Const(long a, Type at, Span s1), TExpr.Const(long b, Type bt, Span s2), Type t, Span span)
          when !(op == BinOp.DIV || op == BinOp.MOD) || b != 0 -> {
        boolean signed = isSigned(at) && isSigned(bt);
        long v = switch (op) {
          case ADD -> a + b; case SUB -> a - b; case MUL -> a * b;
          case DIV -> signed ? a / b : Long.divideUnsigned(a, b);
          case MOD -> signed ? a % b : Long.remainderUnsigned(a, b);
          case BAND -> a & b; case BOR -> a | b; case BXOR -> a ^ b;
          case SHL -> a << b; case SHR -> signed ? a >> b : a >>> b;
          case EQ -> a == b ? 1 : 0; case NE -> a != b ? 1 : 0;
          case LT -> (signed ? Long.compare(a, b) : Long.compareUnsigned(a, b)) < 0 ? 1 : 0;
          case LE -> (signed ? Long.compare(a, b) : Long.compareUnsigned(a, b)) <= 0 ? 1 : 0;
          case GT -> (signed ? Long.compare(a, b) : Long.compareUnsigned(a, b)) > 0 ? 1 : 0;
          case GE -> (signed ? Long.compare(a, b) : Long.compareUnsigned(a, b)) >= 0 ? 1 : 0;
          case LAND -> a != 0 && b != 0 ? 1 : 0; case LOR -> a != 0 || b != 0 ? 1 : 0;
        };
        yield new TExpr.Const(v, t, span);
      }
      case TExpr.Unary(UnOp op, TExpr.Const(long a, Type at, Span s1), Type t, Span span) when op != UnOp.DEREF && op != UnOp.ADDR ->
          new TExpr.Const(switch (op) { case NEG -> -a; case BNOT -> ~a; default -> a == 0 ? 1 : 0; }, t, span);
      case TExpr.Cast(TExpr.Const(long a, Type at, Span s1), Type.Int t, Span span) -> new TExpr.Const(truncate(a, t), t, span);
      case TExpr.Ternary(TExpr.Const(long c, Type ct, Span s1), TExpr then, TExpr otherwise, Type t, Span span) -> c != 0 ? then : otherwise;
      default -> e;
    };
  }

  /** {@return {@code v} truncated to the width of {@code t} and extended back by its sign} */
  static long truncate(long v, Type.Int t) {
    int bits = t.bytes() * 8;
    if (bits == 64) return v;
    long mask = (1L << bits) - 1;
    long m = v & mask;
    return t.signed() && (m & (1L << (bits - 1))) != 0 ? m | ~mask : m;
  }

  /** {@return a type as bpftrace names it in messages, e.g. {@code int64} or {@code string[16]}} */
  static String describe(Type t) {
    return switch (t) {
      case Type.Int i -> (i.signed() ? "int" : "uint") + i.bytes() * 8;
      case Type.Str s -> "string[" + s.size() + "]";
      default -> t.toString();
    };
  }

  static String describeKey(Type t) {
    return switch (t) {
      case Type.Int i -> (i.signed() ? "" : "unsigned ") + "int" + i.bytes() * 8;
      case Type.Tuple tt -> String.join(", ", tt.elements().stream().map(Analyzer::describeKey).toList());
      default -> describe(t);
    };
  }

  void error(Span span, String message) { error(span, message, null); }

  void error(Span span, String message, String hint) {
    if (!reporting) return;
    Diagnostic d = new Diagnostic(Diagnostic.Severity.ERROR, span, message, hint);
    if (!diagnostics.contains(d)) diagnostics.add(d);
  }
}
