package jbpf.lang.sema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Decl;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Probe;
import jbpf.lang.ast.Program;
import jbpf.lang.ast.Stmt;
import jbpf.lang.ast.TypeName;
import jbpf.lang.ast.UnOp;
import jbpf.lang.builtins.Builtin;
import jbpf.lang.parse.Parser;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeResolver;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.typed.TypedProgram.Settings;
import jbpf.lang.typed.TypedProgram.TFunction;
import jbpf.lang.typed.TypedProgram.TProbe;
import jbpf.lang.typed.Variable;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.Type;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * Semantic analysis: resolves probes, names and types, and produces the {@link TypedProgram} that code
 * generation consumes. Map types are inferred from every assignment in the script, wherever it is, so
 * checking runs in passes until no map or variable type changes; only the last pass reports errors.
 *
 * <p>Scratch variables live in the block that first assigns (or {@code let}-declares) them, as in current
 * bpftrace; a variable first assigned in an inner block may still be read after the block, as bpftrace 0.17
 * allowed. Macros are expanded where they are called ({@link Macros}); user functions are checked once and
 * called as BPF subprograms.
 */
public final class Analyzer {
  private final Source source;
  final Calls calls = new Calls(this);
  final Aggregates aggregates = new Aggregates(this);
  final Builtins builtins = new Builtins(this);
  final Access access = new Access(this);
  final ProbeContext probeContext = new ProbeContext(this);
  final KernelInfo kernel;
  final Settings settings;
  final List<String> params;
  TypeNames types;
  private Macros macros;
  private Map<String, Long> headerConstants = Map.of();
  private boolean includes;
  private final Map<String, Decl.Function> functions = new LinkedHashMap<>();

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
    List<Diagnostic> configErrors = new ArrayList<>();
    Settings configured = ScriptConfig.apply(program.config(), settings, configErrors);
    if (!configErrors.isEmpty()) throw new CompileException(configErrors);
    return new Analyzer(source, kernel, configured, params).run(program);
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
  private final List<Diagnostic> warnings = new ArrayList<>();
  List<AsyncEvent> events = new ArrayList<>();
  /** The type each variable declaration settled on in earlier passes, by {@link #declKey}. */
  private final Map<String, Type> varTypes = new HashMap<>();
  private final Map<Variable, String> declKeys = new java.util.IdentityHashMap<>();
  /** The user functions each function calls, for finding recursion. */
  private final Map<String, Set<String>> callGraph = new LinkedHashMap<>();
  private Optional<BtfTypes> btf;

  private TypedProgram run(Program program) throws CompileException {
    types = new TypeNames(program.decls(), this::btf, settings, (s, m, h) -> diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, s, m, h)));
    macros = new Macros(program.macros());
    headerConstants = HeaderConstants.of(program.includes());
    includes = !program.includes().isEmpty();
    for (Decl.Function f : program.functions()) {
      if (functions.putIfAbsent(f.name(), f) != null) diagnostics.add(Diagnostic.error(f.span(), "Function '" + f.name() + "' is already defined"));
      else if (Builtin.named(f.name()) != null || Analyzer.isStatementCall(f.name()) || Aggregates.aggregation(f.name()) != null)
        diagnostics.add(Diagnostic.error(f.span(), "Function '" + f.name() + "' has the name of a builtin"));
    }
    // Resolve attach points once; errors there are final.
    List<List<Attach>> resolved = new ArrayList<>();
    ProbeResolver resolver = new ProbeResolver(kernel, settings.unsafe());
    for (Probe p : program.probes()) {
      List<Attach> all = new ArrayList<>();
      for (AttachPoint ap : p.attachPoints()) {
        ProbeResolver.Result r = resolver.resolve(withParameters(ap), p.attachPoints().size() > 1);
        if (r.error() != null) diagnostics.add(r.error());
        if (r.warning() != null) warnings.add(r.warning());
        all.addAll(r.attaches());
      }
      resolved.add(all);
    }
    if (!diagnostics.isEmpty()) {
      // bpftrace shows the attach points it skips beside the ones it refuses
      List<Diagnostic> all = new ArrayList<>(diagnostics);
      all.addAll(warnings);
      throw new CompileException(sorted(all));
    }

    for (int pass = 0; pass < 10; pass++) {
      changed = false;
      checkFunctions();
      checkAll(program, resolved);
      if (!changed) break;
    }
    reporting = true;
    events = new ArrayList<>();
    callGraph.clear();
    for (MapState m : maps.values()) m.info = null;
    List<TFunction> fns = checkFunctions();
    List<TProbe> probes = checkAll(program, resolved);
    recursion();
    if (!diagnostics.isEmpty()) throw new CompileException(sorted(diagnostics));
    List<MapInfo> infos = new ArrayList<>();
    for (MapState m : maps.values()) if (m.value != null) infos.add(info(m));
    return new TypedProgram(source, probes, infos, events, settings, fns, sorted(warnings));
  }

  private static final Pattern POSITIONAL = Pattern.compile("\\$(\\d+)");

  /** bpftrace expands positional parameters in attach points as text: {@code i:ms:$1}, {@code BEG$1}, {@code $1}. */
  private AttachPoint withParameters(AttachPoint ap) {
    if (ap.raw().indexOf('$') < 0) return ap;
    String raw = POSITIONAL.matcher(ap.raw()).replaceAll(m -> {
      int n = Integer.parseInt(m.group(1));
      return Matcher.quoteReplacement(n >= 1 && n <= params.size() ? params.get(n - 1) : "");
    });
    return Parser.attachPoint(raw, ap.span());
  }

  Optional<BtfTypes> btf() {
    if (btf == null) btf = kernel.btf();
    return btf;
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

  // ---- scopes -------------------------------------------------------------------------------------------

  /** The variables of one block. */
  private static final class Scope {
    final Scope parent;
    final Map<String, Variable> vars = new HashMap<>();
    /** Variables created by assignment rather than {@code let}: visible after the block too, as in bpftrace 0.17. */
    final List<Variable> implicit = new ArrayList<>();
    /** {@code let $x;} declarations whose type the first assignment will fix, with their declaration keys. */
    final Map<String, String> pending = new HashMap<>();

    Scope(Scope parent) { this.parent = parent; }
  }

  List<Attach> attaches;
  private Scope scope;
  private Map<String, Variable> closed;
  private String unitKey;
  int loopDepth;
  /** The user function being checked, or {@code null} in a probe. */
  private Decl.Function function;
  private Type returnType;
  private int macroDepth;

  private TProbe checkProbe(Probe p, String text, List<Attach> attaches, int index) {
    enterUnit(attaches, "p" + index);
    TExpr pred = null;
    if (p.predicate() != null) {
      pred = expr(p.predicate());
      if (pred != null && !truthy(pred.type())) {
        error(p.predicate().span(), "Invalid type for predicate: " + describe(pred.type()));
        pred = null;
      }
    }
    TStmt.Block body = block(p.body());
    return new TProbe(text, attaches, pred, body, index);
  }

  private void enterUnit(List<Attach> attaches, String key) {
    this.attaches = attaches;
    this.scope = new Scope(null);
    this.closed = new HashMap<>();
    this.unitKey = key;
    this.loopDepth = 0;
    this.macroDepth = 0;
  }

  private void push() { scope = new Scope(scope); }

  private void pop() {
    for (Variable v : scope.implicit) closed.putIfAbsent(v.name(), v);
    scope = scope.parent;
  }

  /** {@return the variable {@code name} visible here, or {@code null}} */
  private Variable lookup(String name) {
    for (Scope s = scope; s != null; s = s.parent) {
      Variable v = s.vars.get(name);
      if (v != null) return v;
    }
    return closed.get(name);
  }

  private Scope pendingScope(String name) {
    for (Scope s = scope; s != null; s = s.parent) {
      if (s.vars.containsKey(name)) return null;
      if (s.pending.containsKey(name)) return s;
    }
    return null;
  }

  private String declKey(Span span) { return unitKey + "@" + span.start() + "-" + span.end(); }

  private Variable declare(Scope in, String name, Type type, boolean implicit, String key) {
    Variable v = new Variable(name, type);
    in.vars.put(name, v);
    if (implicit) in.implicit.add(v);
    if (key != null) declKeys.put(v, key);
    return v;
  }

  /** {@return the type an earlier pass settled on for the declaration at {@code key}, widened to hold {@code t}} */
  private Type settle(String key, Type t) {
    Type known = varTypes.get(key);
    if (known == null) {
      varTypes.put(key, t);
      return t;
    }
    if (assignable(t, known)) {
      Type w = widen(known, t);
      if (!w.equals(known)) {
        varTypes.put(key, w);
        changed = true;
      }
      return w;
    }
    return known;
  }

  // ---- user functions -----------------------------------------------------------------------------------

  private List<TFunction> checkFunctions() {
    List<TFunction> out = new ArrayList<>();
    for (Decl.Function f : functions.values()) {
      TFunction t = checkFunction(f);
      if (t != null) out.add(t);
    }
    function = null;
    returnType = null;
    return out;
  }

  /** {@return the parameter and return types of {@code f}, or {@code null} after reporting errors} */
  private Signature signature(Decl.Function f) {
    List<Type> ps = new ArrayList<>();
    boolean ok = true;
    for (Decl.Param p : f.params()) {
      Type t = types.resolve(p.type(), this::error);
      if (t == null) {
        ok = false;
      } else if (!(t instanceof Type.Int || t instanceof Type.Bool || t instanceof Type.Ptr)) {
        error(p.type().span(), "Parameter " + p.name() + " of function '" + f.name() + "' has type " + describe(t)
            + ": functions take integers and pointers", "BPF passes arguments in registers; pass a string or tuple through a map instead");
        ok = false;
      } else {
        ps.add(t);
      }
    }
    if (f.params().size() > 4) {
      error(f.span(), "Function '" + f.name() + "' has " + f.params().size() + " parameters; BPF functions take at most 4 besides the probe context");
      ok = false;
    }
    Type r = types.resolve(f.returnType(), this::error);
    if (r != null && !(r instanceof Type.Void || r instanceof Type.Int || r instanceof Type.Bool || r instanceof Type.Ptr)) {
      error(f.returnType().span(), "Function '" + f.name() + "' returns " + describe(r) + ": functions return integers, pointers or void");
      r = null;
    }
    return ok && r != null ? new Signature(ps, r) : null;
  }

  private record Signature(List<Type> params, Type returnType) {}

  private TFunction checkFunction(Decl.Function f) {
    Signature sig = signature(f);
    if (sig == null) return null;
    enterUnit(List.of(), "f:" + f.name());
    function = f;
    returnType = sig.returnType();
    callGraph.computeIfAbsent(f.name(), k -> new LinkedHashSet<>());
    List<Variable> ps = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      String name = f.params().get(i).name().substring(1);
      if (scope.vars.containsKey(name)) error(f.params().get(i).span(), "Parameter $" + name + " is declared twice");
      ps.add(declare(scope, name, storageType(sig.params().get(i)), false, null));
    }
    TStmt.Block body = block(f.body());
    TFunction t = new TFunction(f.name(), ps, sig.returnType(), body, f.span());
    function = null;
    return t;
  }

  private TExpr callFunction(Decl.Function f, Expr.Call c) {
    Signature sig = signature(f);
    if (sig == null) return null;
    if (c.args().size() != f.params().size()) {
      error(c.span(), "Function '" + f.name() + "' requires " + f.params().size() + " argument" + (f.params().size() == 1 ? "" : "s")
          + " (" + c.args().size() + " provided)");
      return null;
    }
    List<TExpr> args = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      TExpr a = expr(c.args().get(i));
      if (a == null) return null;
      Type want = sig.params().get(i);
      if (!assignable(a.type(), want) && !(want instanceof Type.Ptr && isIntegral(a.type()))) {
        error(c.args().get(i).span(), "Argument " + (i + 1) + " of function '" + f.name() + "' has type '" + describe(a.type())
            + "', but the parameter is '" + describe(want) + "'");
        return null;
      }
      args.add(want instanceof Type.Ptr && !(a.type() instanceof Type.Ptr) ? new TExpr.Cast(a, want, a.span()) : convert(a, storageType(want), a.span(), f.name()));
    }
    if (function != null) callGraph.computeIfAbsent(function.name(), k -> new LinkedHashSet<>()).add(f.name());
    return new TExpr.CallFn(f.name(), args, sig.returnType(), c.span());
  }

  /** Reports a function that calls itself, directly or not: BPF has no recursion. */
  private void recursion() {
    for (String start : callGraph.keySet()) {
      List<String> path = new ArrayList<>();
      if (cycle(start, start, path, new HashSet<>())) {
        Decl.Function f = functions.get(start);
        error(f.span(), "Function '" + start + "' calls itself (" + start + " -> " + String.join(" -> ", path) + "); BPF programs cannot recurse");
        return;
      }
    }
  }

  private boolean cycle(String target, String at, List<String> path, Set<String> seen) {
    for (String next : callGraph.getOrDefault(at, Set.of())) {
      path.add(next);
      if (next.equals(target)) return true;
      if (seen.add(next) && cycle(target, next, path, seen)) return true;
      path.removeLast();
    }
    return false;
  }

  // ---- statements ---------------------------------------------------------------------------------------

  TStmt.Block block(Stmt.Block b) {
    push();
    try {
      return statements(b.stmts(), b.span());
    } finally {
      pop();
    }
  }

  /** Checks statements in the current scope; those after one that never falls through are checked but dropped. */
  private TStmt.Block statements(List<Stmt> stmts, Span span) {
    List<TStmt> out = new ArrayList<>();
    boolean dead = false;
    for (Stmt s : stmts) {
      TStmt t = stmt(s);
      if (t == null || dead) continue;
      out.add(t);
      dead = !fallsThrough(t);
    }
    return new TStmt.Block(out, span);
  }

  /** {@return whether control can reach the statement after {@code s}} */
  static boolean fallsThrough(TStmt s) {
    return switch (s) {
      case TStmt.Return r -> false;
      case TStmt.Break b -> false;
      case TStmt.Continue c -> false;
      case TStmt.Block b -> b.stmts().isEmpty() || fallsThrough(b.stmts().getLast());
      case TStmt.If i -> i.otherwise() == null || fallsThrough(i.then()) || fallsThrough(i.otherwise());
      default -> true;
    };
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
        if (c == null) yield null;
        if (c instanceof TExpr.Const(long v, Type ct, Span cs)) yield v != 0 ? t : (o != null ? o : new TStmt.Block(List.of(), span));
        yield new TStmt.If(c, t, o, span);
      }
      case Stmt.While(Expr cond, Stmt.Block body, Span span) -> {
        TExpr c = condition(cond);
        loopDepth++;
        TStmt b = block(body);
        loopDepth--;
        if (c == null) yield null;
        if (c instanceof TExpr.Const(long v, Type ct, Span cs) && v == 0) yield new TStmt.Block(List.of(), span);
        yield new TStmt.While(c, b, span);
      }
      case Stmt.Unroll(Expr count, Stmt.Block body, Span span) -> {
        TExpr n = expr(count);
        if (n == null) yield null;
        if (!(n instanceof TExpr.Const(long v, Type t, Span cs))) {
          error(count.span(), "unroll needs a constant count, e.g. unroll(4) { ... }");
          yield null;
        }
        Span head = through(span, count.span(), ')');
        if (v > 100) {
          error(head, "unroll maximum value is 100");
          yield null;
        }
        if (v < 1) {
          error(head, "unroll minimum value is 1");
          yield null;
        }
        List<TStmt> copies = new ArrayList<>();
        for (int i = 0; i < v; i++) copies.add(block(body));
        yield new TStmt.Block(copies, span);
      }
      case Stmt.ForMap f -> forMap(f);
      case Stmt.ForRange f -> forRange(f);
      case Stmt.Break(Span span) -> {
        if (loopDepth == 0) error(span, "break used outside of a loop");
        yield new TStmt.Break(span);
      }
      case Stmt.Continue(Span span) -> {
        if (loopDepth == 0) error(span, "continue used outside of a loop");
        yield new TStmt.Continue(span);
      }
      case Stmt.Return(Expr value, Span span) -> ret(value, span);
    };
  }

  private TStmt ret(Expr value, Span span) {
    if (function == null) {
      if (value != null) {
        TExpr v = expr(value);
        if (v != null && !(v.type() instanceof Type.Void)) error(value.span(), "A probe returns no value: use return; to end it, exit() to end the script");
      }
      return new TStmt.Return(span);
    }
    if (value == null) {
      if (!(returnType instanceof Type.Void)) error(span, "Function '" + function.name() + "' must return a value of type " + describe(returnType));
      return new TStmt.Return(span);
    }
    TExpr v = expr(value);
    if (v == null) return null;
    if (returnType instanceof Type.Void) {
      error(value.span(), "Function '" + function.name() + "' is declared void but returns a value");
      return null;
    }
    if (!assignable(v.type(), returnType) && !(returnType instanceof Type.Ptr && isIntegral(v.type()))) {
      error(value.span(), "Function '" + function.name() + "' returns " + describe(returnType) + ", not " + describe(v.type()));
      return null;
    }
    TExpr conv = returnType instanceof Type.Ptr && !(v.type() instanceof Type.Ptr) ? new TExpr.Cast(v, returnType, v.span())
        : convert(v, storageType(returnType), value.span(), "return");
    return new TStmt.Return(conv, span);
  }

  private TStmt forRange(Stmt.ForRange f) {
    TExpr start = expr(f.start()), end = expr(f.end());
    if (start != null && !isIntegral(start.type())) {
      error(f.start().span(), "Loop range start must be an integer, not " + describe(start.type()));
      start = null;
    }
    if (end != null && !isIntegral(end.type())) {
      error(f.end().span(), "Loop range end must be an integer, not " + describe(end.type()));
      end = null;
    }
    Type t = start != null && end != null ? arith(start.type(), end.type()) : Type.INT64;
    push();
    if (lookup(f.var()) != null) error(f.span(), "Loop variable $" + Macros.displayName(f.var()) + " is already declared");
    Variable v = declare(scope, f.var(), t, false, null);
    loopDepth++;
    TStmt body = block(f.body());
    loopDepth--;
    pop();
    if (start == null || end == null) return null;
    return new TStmt.ForRange(v, convert(start, t, f.start().span(), "range"), convert(end, t, f.end().span(), "range"), body, f.span());
  }

  private TStmt forMap(Stmt.ForMap f) {
    Expr.Map m = f.map();
    MapState st = maps.get(m.name());
    Variable v = null;
    MapInfo info = null;
    if (st == null || st.value == null || st.key == null) {
      if (reporting) undefinedMap(m);
    } else if (st.key instanceof Type.Void) {
      error(m.span(), "@" + m.name() + " has no keys; for loops iterate over maps with keys, e.g. @m[k] = v");
    } else if (st.agg != null) {
      error(m.span(), "for loops cannot iterate over @" + m.name() + ": its " + st.agg.fn() + "() values are kept per CPU",
          "keep the values in a plain map, e.g. @" + m.name() + "[k] += 1, to iterate over them");
    } else {
      info = info(st);
    }
    push();
    if (lookup(f.var()) != null) error(f.span(), "Loop variable $" + Macros.displayName(f.var()) + " is already declared");
    if (info != null) v = declare(scope, f.var(), new Type.Tuple(List.of(info.key(), info.value())), false, null);
    else declare(scope, f.var(), new Type.Tuple(List.of(Type.INT64, Type.INT64)), false, null);
    loopDepth++;
    TStmt body = block(f.body());
    loopDepth--;
    pop();
    if (info == null) return null;
    return new TStmt.ForMap(v, info, body, f.span());
  }

  TExpr condition(Expr cond) {
    TExpr c = expr(cond);
    if (c != null && !truthy(c.type())) {
      error(cond.span(), "Invalid condition: " + describe(c.type()));
      return null;
    }
    return c;
  }

  private TStmt varDecl(Stmt.VarDecl d) {
    if (lookupScoped(d.name()) != null) {
      error(d.span(), "Variable $" + Macros.displayName(d.name()) + " is already declared");
      return null;
    }
    String key = declKey(d.span());
    Type declared = null;
    if (d.type() != null) {
      declared = types.resolve(d.type(), this::error);
      if (declared == null) return null;
      if (declared instanceof Type.Void) {
        error(d.type().span(), "Variable $" + Macros.displayName(d.name()) + " cannot have type void");
        return null;
      }
    }
    if (d.value() == null) {
      Type t = declared != null ? declared : varTypes.get(key);
      if (t == null) {
        scope.pending.put(d.name(), key);
        return null;
      }
      Variable v = declare(scope, d.name(), t, false, key);
      return new TStmt.VarStore(v, new TExpr.Const(0, t, d.span()), d.span());
    }
    TExpr value = expr(d.value());
    if (value == null) {
      declare(scope, d.name(), Type.VOID, false, null);
      return null;
    }
    if (!storable(value.type())) {
      error(d.value().span(), "Value of type " + describe(value.type()) + " cannot be assigned to $" + Macros.displayName(d.name()));
      return null;
    }
    Type t;
    if (declared != null) {
      if (!assignable(value.type(), declared) && !(declared instanceof Type.Ptr && isIntegral(value.type()))) {
        error(operator(d.type().span(), d.value().span()), "Type mismatch for $" + Macros.displayName(d.name()) + ": trying to assign value of type '" + describe(value.type())
            + "' when variable already contains a value of type '" + describe(declared) + "'");
        return null;
      }
      t = declared;
    } else {
      t = settle(key, storageType(value.type()));
    }
    Variable v = declare(scope, d.name(), t, false, key);
    return new TStmt.VarStore(v, assignConvert(value, t, d.value().span()), d.span());
  }

  /**
   * Marks {@code name} as assigned a value that had an error, so that its later uses are skipped rather than
   * reported as undefined: one mistake, one message.
   */
  private void poison(String name) {
    if (lookup(name) == null) declare(scope, name, Type.VOID, true, null);
  }

  private Scope scopeOf(String name) {
    for (Scope s = scope; s != null; s = s.parent) if (s.vars.containsKey(name)) return s;
    return scope;
  }

  private Variable lookupScoped(String name) {
    for (Scope s = scope; s != null; s = s.parent) {
      Variable v = s.vars.get(name);
      if (v != null) return v;
    }
    return null;
  }

  private TStmt exprStmt(Expr e, Span span) {
    if (e instanceof Expr.Call c) {
      Decl.Function f = functions.get(c.name());
      if (f != null) {
        TExpr call = callFunction(f, c);
        return call == null ? null : new TStmt.Eval(call, span);
      }
      Decl.Macro m = macros.get(c.name());
      if (m != null) return macroStmt(m, c.args(), c.span());
      TStmt s = calls.callStmt(c);
      if (s != null || isStatementCall(c.name())) return s;
    }
    if (e instanceof Expr.Ident id && macros.get(id.name()) != null && Builtin.named(id.name()) == null) {
      return macroStmt(macros.get(id.name()), List.of(), id.span());
    }
    if (e instanceof Expr.Ternary(Expr cond, Expr then, Expr otherwise, Span ts) && (statementCall(then) || statementCall(otherwise))) {
      // bpftrace runs `cond ? printf("a") : printf("b");` for its effect (a ternary of no type): an if/else.
      return stmt(new Stmt.If(cond, new Stmt.Block(List.of(new Stmt.ExprStmt(then, then.span())), then.span()),
          new Stmt.Block(List.of(new Stmt.ExprStmt(otherwise, otherwise.span())), otherwise.span()), ts));
    }
    TExpr t = expr(e);
    return t == null ? null : new TStmt.Eval(t, span);
  }

  static boolean isStatementCall(String name) { return Calls.isStatement(name); }

  private static boolean statementCall(Expr e) {
    return e instanceof Expr.Call c && isStatementCall(c.name())
        || e instanceof Expr.Ternary(Expr cond, Expr a, Expr b, Span s) && (statementCall(a) || statementCall(b));
  }

  // ---- macros -------------------------------------------------------------------------------------------

  private Stmt.Block expandMacro(Decl.Macro m, List<Expr> args, Span span) {
    if (macroDepth >= 32) {
      error(span, "Macro '" + m.name() + "' expands into itself too deeply (32 levels); macros cannot recurse");
      return null;
    }
    Macros.Expansion x = macros.expand(m, args, span);
    if (x.error() != null) {
      error(x.errorSpan(), x.error());
      return null;
    }
    return x.body();
  }

  private TStmt macroStmt(Decl.Macro m, List<Expr> args, Span span) {
    Stmt.Block body = expandMacro(m, args, span);
    if (body == null) return null;
    macroDepth++;
    try {
      return block(body);
    } finally {
      macroDepth--;
    }
  }

  /** A macro called where a value is expected: its statements, then the value of its last expression. */
  private TExpr macroExpr(Decl.Macro m, List<Expr> args, Span span) {
    Stmt.Block body = expandMacro(m, args, span);
    if (body == null) return null;
    if (body.stmts().isEmpty() || !(body.stmts().getLast() instanceof Stmt.ExprStmt last)) {
      error(span, "Macro '" + m.name() + "' has no value: its body does not end in an expression");
      return null;
    }
    macroDepth++;
    push();
    try {
      TStmt.Block stmts = statements(body.stmts().subList(0, body.stmts().size() - 1), body.span());
      TExpr value = expr(last.expr());
      if (value == null) return null;
      if (stmts.stmts().isEmpty()) return value;
      return new TExpr.Seq(stmts.stmts(), value, value.type(), span);
    } finally {
      pop();
      macroDepth--;
    }
  }

  // ---- assignments ---------------------------------------------------------------------------------------

  private TStmt assign(Stmt.Assign a) {
    return switch (a.target()) {
      case Expr.Var(String name, Span span) -> {
        if (a.op() != null) {
          Variable v = lookup(name);
          if (v == null) {
            error(span, "Undefined or undeclared variable: $" + Macros.displayName(name));
            yield null;
          }
          if (v.type() instanceof Type.Void) yield null;
          TExpr combined = expr(new Expr.Binary(a.op(), a.target(), a.value(), a.span()));
          if (combined == null) yield null;
          if (!assignable(combined.type(), v.type()) && !(v.type() instanceof Type.Ptr && isIntegral(combined.type()))) {
            error(operator(span, a.value().span()), "Type mismatch for $" + Macros.displayName(name) + ": trying to assign value of type '" + describe(combined.type())
                + "' when variable already contains a value of type '" + describe(v.type()) + "'");
            yield null;
          }
          yield new TStmt.VarStore(v, assignConvert(combined, v.type(), a.value().span()), a.span());
        }
        yield assignVar(name, span, a.value(), a.span());
      }
      case Expr.Map m -> a.op() == null ? mapAssign(m, a.value(), a.span()) : mapCompound(m, a.op(), a.value(), a.span());
      default -> {
        error(a.target().span(), "Can only assign to a variable ($x) or a map (@x)");
        yield null;
      }
    };
  }

  private TStmt assignVar(String name, Span target, Expr valueExpr, Span span) {
    TExpr value = expr(valueExpr);
    if (value == null) {
      poison(name);
      return null;
    }
    String shown = Macros.displayName(name);
    if (!storable(value.type())) {
      error(valueExpr.span(), "Value of type " + describe(value.type()) + " cannot be assigned to $" + shown);
      return null;
    }
    Variable v = lookup(name);
    if (v != null && v.type() instanceof Type.Void) {
      scopeOf(name).vars.remove(name);
      closed.remove(name);
      v = lookup(name);
    }
    if (v == null) {
      Scope pending = pendingScope(name);
      String key = pending != null ? pending.pending.get(name) : declKey(span);
      Type t = settle(key, storageType(value.type()));
      v = declare(pending != null ? pending : scope, name, t, pending == null, key);
      if (pending != null) {
        pending.pending.remove(name);
        changed = true;
      }
    } else if (!assignable(value.type(), v.type()) && !(v.type() instanceof Type.Ptr && value instanceof TExpr.Const(long c, Type ct, Span cs) && c == 0)) {
      error(operator(target, valueExpr.span()), "Type mismatch for $" + shown + ": trying to assign value of type '" + describe(value.type())
          + "' when variable already contains a value of type '" + describe(v.type()) + "'");
      return null;
    } else if (v.type() instanceof Type.Str || v.type() instanceof Type.Tuple) {
      Type w = widen(v.type(), storageType(value.type()));
      String key = declKeys.get(v);
      if (!w.equals(v.type()) && key != null) {
        varTypes.put(key, w);
        changed = true;
      }
    }
    return new TStmt.VarStore(v, assignConvert(value, v.type(), valueExpr.span()), span);
  }

  /** {@return {@code value} converted for storing in a place of type {@code to}} */
  private TExpr assignConvert(TExpr value, Type to, Span span) {
    if (to instanceof Type.Ptr && !(value.type() instanceof Type.Ptr)) return new TExpr.Cast(value, to, value.span());
    if (to instanceof Type.Ptr && !value.type().equals(to)) return new TExpr.Cast(value, to, value.span());
    return convert(value, to, span, "assignment");
  }

  /** {@return whether values of {@code t} can be kept in variables and maps} */
  static boolean storable(Type t) {
    return !(t instanceof Type.Void || t instanceof Type.Agg || t instanceof Type.Ctx);
  }

  private TStmt mapAssign(Expr.Map m, Expr valueExpr, Span span) {
    MapState st = map(m.name());
    TExpr key = mapKey(m, st);
    if (valueExpr instanceof Expr.Call c) {
      AggKind agg = Aggregates.aggregation(c.name());
      if (agg != null && functions.get(c.name()) == null && macros.get(c.name()) == null) return aggregates.aggregate(m, st, key, agg, c, span);
    }
    TExpr value = expr(valueExpr);
    if (value == null) return null;
    if (!storable(value.type())) {
      error(valueExpr.span(), "Value of type " + describe(value.type()) + " cannot be assigned to @" + m.name());
      return null;
    }
    if (st.agg != null) {
      error(m.span(), "Type mismatch for @" + m.name() + ": trying to assign value of type '" + describe(value.type())
          + "' when map already contains a value of type '" + st.agg.fn() + "'");  // 'count', as for another aggregation
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
    } else {
      Type w = widen(st.value, vt);
      if (!w.equals(st.value)) {
        st.value = w;
        changed = true;
      }
    }
    MapInfo info = info(st);
    if (info == null || (m.keys().size() > 0 && key == null)) return null;
    return new TStmt.MapStore(info, key, assignConvert(value, st.value, valueExpr.span()), span);
  }

  /** {@code @m[k] op= v}: the key is evaluated once, the element updated where it lies. */
  private TStmt mapCompound(Expr.Map m, BinOp op, Expr valueExpr, Span span) {
    MapState st = map(m.name());
    TExpr key = mapKey(m, st);
    TExpr value = expr(valueExpr);
    if (value == null) return null;
    if (st.agg != null) {
      error(m.span(), "The " + op.symbol() + "= operator cannot be used on @" + m.name() + ", which holds " + st.agg.fn() + "() values");
      return null;
    }
    if (!isIntegral(value.type())) {
      error(valueExpr.span(), "Type mismatch for '" + op.symbol() + "=': @" + m.name() + " can only be combined with an integer, not '" + describe(value.type()) + "'");
      return null;
    }
    if (st.value == null) {
      st.value = storageType(value.type());
      changed = true;
    } else if (!isIntegral(st.value)) {
      error(m.span(), "The " + op.symbol() + "= operator needs an integer map, but @" + m.name() + " holds '" + describe(st.value) + "'");
      return null;
    } else if (!isSigned(value.type()) && isSigned(st.value) && !(value instanceof TExpr.Const c && c.value() >= 0)) {
      st.value = Type.UINT64;
      changed = true;
    }
    MapInfo info = info(st);
    if (info == null || (m.keys().size() > 0 && key == null)) return null;
    return new TStmt.MapCompound(info, key, op, convert(value, st.value, valueExpr.span(), "@" + m.name()), span);
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
            + describeKey(st.key) + "]");
      }
      return null;
    }
    List<TExpr> keys = new ArrayList<>();
    for (Expr k : m.keys()) {
      TExpr t = expr(k);
      if (t == null) return null;
      if (!storable(t.type())) {
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
    } else if (st.key instanceof Type.Void || !keyCompatible(kt, st.key)) {
      error(m.span(), "Argument mismatch for @" + m.name() + ": trying to access with arguments: [" + describeKey(kt)
          + "] when map expects arguments: [" + (st.key instanceof Type.Void ? "" : describeKey(st.key)) + "]");
      return null;
    } else {
      Type widened = widen(st.key, kt);
      if (!widened.equals(st.key)) {
        st.key = widened;
        changed = true;
      }
    }
    return assignConvert(key, st.key, m.span());
  }

  MapInfo info(MapState st) {
    if (st.value == null || st.key == null) return null;
    MapInfo i = st.info;
    if (i == null || !i.key().equals(st.key) || !i.value().equals(st.value) || i.agg() != st.agg || i.multiKey() != st.multiKey) {
      // map names are unique, and so are these
      String specName = "AT_" + st.name;
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
    error(m.span(), "Undefined map: @" + m.name(), "a map comes into existence when it is assigned, e.g. @" + m.name() + " = count();");
  }

  // ---- expressions ---------------------------------------------------------------------------------------

  /** {@return the typed expression, or {@code null} after reporting an error (or while a map type is unknown)} */
  TExpr expr(Expr e) {
    return switch (e) {
      case Expr.Int(long v, boolean unsigned, Span span) -> new TExpr.Const(v, unsigned ? Type.UINT64 : Type.INT64, span);
      case Expr.Str(String v, Span span) -> new TExpr.StrConst(v, new Type.Str(v.getBytes(StandardCharsets.UTF_8).length + 1), span);
      case Expr.Bool(boolean v, Span span) -> new TExpr.Const(v ? 1 : 0, Type.BOOL, span);
      case Expr.Positional(int n, Span span) -> positional(n, span);
      case Expr.Ident(String name, Span span) -> ident(name, span);
      case Expr.Var(String name, Span span) -> {
        Variable v = lookup(name);
        if (v == null) {
          Scope pending = pendingScope(name);
          if (pending != null) {
            // let $x; read before any assignment: an int64 zero, as bpftrace initialises declarations.
            String key = pending.pending.remove(name);
            v = declare(pending, name, settle(key, Type.INT64), false, key);
            changed = true;
          } else {
            error(span, "Undefined or undeclared variable: $" + Macros.displayName(name));
            yield null;
          }
        }
        if (v.type() instanceof Type.Void) yield null;
        yield new TExpr.VarRef(v, v.type(), span);
      }
      case Expr.Map m -> {
        MapState st = maps.get(m.name());
        if (st == null || st.value == null) {
          if (reporting) undefinedMap(m);
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
      case Expr.Call c -> call(c);
      case Expr.Binary b -> binary(b);
      case Expr.Unary u -> unary(u);
      case Expr.Update u -> update(u);
      case Expr.Ternary t -> ternary(t);
      case Expr.Field f -> access.field(f);
      case Expr.TupleIndex(Expr base, int index, Span span) -> {
        TExpr b = expr(base);
        if (b == null) yield null;
        yield tupleElement(b, index, span);
      }
      case Expr.Index ix -> access.index(ix);
      case Expr.Cast c -> access.cast(c);
      case Expr.Sizeof(TypeName tn, Expr operand, Span span) -> {
        Type t = tn != null ? types.resolve(tn, this::error) : typeOnly(operand);
        if (t == null) yield null;
        if (t instanceof Type.Void || t instanceof Type.Agg) {
          error(span, "sizeof() of a value of type " + describe(t));
          yield null;
        }
        yield new TExpr.Const(t.size(), Type.UINT64, span);
      }
      case Expr.Offsetof o -> access.offsetof(o);
      case Expr.Tuple(List<Expr> elements, Span span) -> {
        List<TExpr> out = new ArrayList<>();
        for (Expr x : elements) {
          TExpr t = expr(x);
          if (t == null) yield null;
          if (!storable(t.type())) {
            error(x.span(), "Invalid tuple element type: " + describe(t.type()));
            yield null;
          }
          out.add(t);
        }
        yield tuple(out, span);
      }
    };
  }

  TExpr tupleElement(TExpr b, int index, Span span) {
    if (!(b.type() instanceof Type.Tuple tt)) {
      error(span, "Can not access index '" + index + "' on expression of type '" + describe(b.type()) + "'");
      return null;
    }
    if (index < 0 || index >= tt.elements().size()) {
      error(span, "Invalid tuple index: " + index + ". Found " + tt.elements().size() + " elements in tuple.");
      return null;
    }
    if (b instanceof TExpr.TupleOf to) return to.elements().get(index);
    return new TExpr.TupleGet(b, index, tt.elements().get(index), span);
  }

  private Type typeOnly(Expr e) {
    TExpr t = expr(e);
    return t == null ? null : t.type();
  }

  /**
   * A positional parameter: a number if it reads as one (decimal, {@code 0x} hexadecimal or octal), otherwise a
   * string, as current bpftrace types them; a missing parameter is 0. {@code $#} is their count.
   */
  private TExpr positional(int n, Span span) {
    if (n > 0 && n <= params.size()) {
      String v = params.get(n - 1);
      if (!v.isEmpty() && parseNumber(v) == null) return new TExpr.StrConst(v, new Type.Str(v.getBytes(StandardCharsets.UTF_8).length + 1), span);
    }
    return builtins.positional(n, span);
  }

  private static Long parseNumber(String v) {
    try {
      return Long.decode(v.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code str($N)}, {@code str($N + k)}, {@code str($N, len)}: the parameter's text as a string constant. */
  private TExpr positionalString(Expr.Call c) {
    Expr a = c.args().getFirst();
    int skip = 0;
    if (a instanceof Expr.Binary(BinOp op, Expr l, Expr.Int(long k, boolean u, Span ks), Span bs) && op == BinOp.ADD) {
      a = l;
      skip = (int) Math.max(0, Math.min(Integer.MAX_VALUE, k));
    }
    if (!(a instanceof Expr.Positional(int n, Span ps)) || n == 0) return null;
    String v = n <= params.size() ? params.get(n - 1) : "";
    if (skip > v.length()) {
      error(c.args().getFirst().span(), "cannot skip " + skip + " characters of $" + n + ", which has " + v.length());
      return null;
    }
    v = v.substring(skip);
    int size = v.getBytes(StandardCharsets.UTF_8).length + 1;
    if (c.args().size() == 2) {
      TExpr len = expr(c.args().get(1));
      if (len == null) return null;
      if (!(len instanceof TExpr.Const(long l, Type lt, Span ls)) || l < 1) {
        error(c.args().get(1).span(), "str() length must be a positive constant here");
        return null;
      }
      if (l < size) {
        byte[] bytes = java.util.Arrays.copyOf(v.getBytes(StandardCharsets.UTF_8), (int) l - 1);
        v = new String(bytes, StandardCharsets.UTF_8);
        size = (int) l;
      }
    }
    return new TExpr.StrConst(v, new Type.Str(Math.min(size, Math.max(size, 1))), c.span());
  }

  private TExpr call(Expr.Call c) {
    Decl.Function f = functions.get(c.name());
    if (f != null) {
      TExpr call = callFunction(f, c);
      if (call != null && call.type() instanceof Type.Void) {
        error(c.span(), "Function '" + f.name() + "' returns no value");
        return null;
      }
      return call;
    }
    Decl.Macro m = macros.get(c.name());
    if (m != null) return macroExpr(m, c.args(), c.span());
    if (c.name().equals("str") && (c.args().size() == 1 || c.args().size() == 2)) {
      Expr a = c.args().getFirst();
      if (a instanceof Expr.Positional || a instanceof Expr.Binary(BinOp op, Expr.Positional p, Expr r, Span s)) {
        TExpr t = positionalString(c);
        if (t != null || reporting) return t;
      }
    }
    return calls.call(c);
  }

  private TExpr ident(String name, Span span) {
    if (function != null && ProbeContext.handles(name) && !name.equals("cpid")) {
      error(span, "The " + name + " builtin cannot be used in function '" + function.name() + "'",
          name.equals("args") ? "pass the fields the function needs as parameters" : "pass the value the function needs as a parameter");
      return null;
    }
    Builtin b = Builtin.named(name);
    // kstack and ustack are builtins too, whatever headers the script includes (tcpdrop.bt prints kstack)
    if (b != null || ProbeContext.handles(name) || Builtins.isBuiltin(name)) {
      TExpr t = builtins.ident(name, span);
      if (t instanceof TExpr.BuiltinRef(Builtin which, Type bt, Span bs) && which == Builtin.CURTASK) {
        Optional<Type> task = btf().flatMap(k -> k.named("struct task_struct"));
        if (task.isPresent()) return new TExpr.BuiltinRef(which, new Type.Ptr(task.get(), false), bs);
      }
      return t;
    }
    Decl.Macro m = macros.get(name);
    if (m != null && m.params().isEmpty()) return macroExpr(m, List.of(), span);
    OptionalLong ev = types.enumerator(name);
    if (ev.isPresent()) return new TExpr.Const(ev.getAsLong(), Type.INT64, span);
    Long hc = headerConstants.get(name);
    if (hc != null) return new TExpr.Const(hc, Type.INT64, span);
    if (includes) {
      error(span, "Unknown identifier: '" + name + "'", "jbpf reads kernel types from BTF and does not parse headers, so of their "
          + "constants only enums are known; define it in the script, e.g. #define " + name + " 1");
      return null;
    }
    return builtins.ident(name, span);
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

  private TExpr ternary(Expr.Ternary te) {
    TExpr c = condition(te.cond()), t = expr(te.then()), o = expr(te.otherwise());
    if (c == null || t == null || o == null) return null;
    Span span = te.span();
    Type rt = null;
    if (isIntegral(t.type()) && isIntegral(o.type())) rt = arith(t.type(), o.type());
    else if (t.type() instanceof Type.Str a && o.type() instanceof Type.Str b) rt = new Type.Str(Math.max(a.size(), b.size()));
    else if (t.type() instanceof Type.Void && o.type() instanceof Type.Void) rt = Type.VOID;
    else if (t.type() instanceof Type.Ptr && o.type() instanceof Type.Ptr) rt = t.type().equals(o.type()) ? t.type() : new Type.Ptr(Type.VOID, false);
    else if (t.type() instanceof Type.Tuple && assignable(o.type(), t.type()) && assignable(t.type(), o.type())) rt = widen(storageType(t.type()), storageType(o.type()));
    else if (t.type().equals(o.type()) && storable(t.type())) rt = t.type();
    if (rt == null) {
      error(span, "Ternary operator must return the same type: have '" + kind(t.type()) + "' and '" + kind(o.type()) + "'");
      return null;
    }
    if (rt instanceof Type.Void) return new TExpr.Ternary(c, t, o, rt, span);
    return fold(new TExpr.Ternary(c, assignConvert(t, rt, te.then().span()), assignConvert(o, rt, te.otherwise().span()), rt, span));
  }

  /** A type's kind as bpftrace names it in some messages: {@code integer}, {@code string}... */
  static String kind(Type t) {
    return switch (t) {
      case Type.Int i -> "integer";
      case Type.Bool b -> "bool";
      case Type.Str s -> "string";
      case Type.Ptr p -> "pointer";
      case Type.Tuple tt -> "tuple";
      case Type.Record r -> "record";
      case Type.Array a -> "array";
      case Type.Buf b -> "buffer";
      case Type.Void v -> "none";
      default -> describe(t);
    };
  }

  private TExpr binary(Expr.Binary b) {
    TExpr l = expr(b.left()), r = expr(b.right());
    if (l == null || r == null) return null;
    BinOp op = b.op();
    Type lt = l.type(), rt = r.type();
    if (lt instanceof Type.Str && rt instanceof Type.Str && (op == BinOp.EQ || op == BinOp.NE)) {
      if (l instanceof TExpr.StrConst(String x, Type.Str xt, Span xs) && r instanceof TExpr.StrConst(String y, Type.Str yt, Span ys))
        return new TExpr.Const(x.equals(y) == (op == BinOp.EQ) ? 1 : 0, Type.BOOL, b.span());
      return new TExpr.Binary(op, l, r, Type.BOOL, b.span());
    }
    if (op.isLogical()) {
      if (!truthy(lt) || !truthy(rt)) {
        error(b.span(), "Invalid operands for " + op.symbol() + ": '" + describe(lt) + "' and '" + describe(rt) + "'");
        return null;
      }
      return fold(new TExpr.Binary(op, l, r, Type.BOOL, b.span()));
    }
    if (lt instanceof Type.Ptr || rt instanceof Type.Ptr) return access.pointerArithmetic(b, l, r);
    if (!isIntegral(lt) || !isIntegral(rt)) {
      String p = positionalMisuse(!isIntegral(lt) ? b.left() : b.right());
      if (p != null) {
        error(!isIntegral(lt) ? b.left().span() : b.right().span(), p);
        return null;
      }
      error(b.span(), "Type mismatch for '" + op.symbol() + "': comparing '" + describe(lt) + "' with '" + describe(rt) + "'");
      return null;
    }
    if (op.isComparison()) signWarning(l, r, operator(b.left().span(), b.right().span()));
    Type t = op.isComparison() ? Type.BOOL : arith(lt, rt);
    return fold(new TExpr.Binary(op, l, r, t, b.span()));
  }

  private String positionalMisuse(Expr e) {
    if (e instanceof Expr.Positional(int n, Span s) && n > 0 && n <= params.size())
      return "$" + n + " used numerically but given \"" + params.get(n - 1) + "\". Try using str($" + n + ").";
    return null;
  }

  private void signWarning(TExpr l, TExpr r, Span span) {
    if (isSigned(l.type()) == isSigned(r.type())) return;
    TExpr s = isSigned(l.type()) ? l : r;
    if (s instanceof TExpr.Const c && c.value() >= 0) return;
    if (l.type() instanceof Type.Bool || r.type() instanceof Type.Bool) return;
    warning(span, "comparison of integers of different signs: '" + describe(l.type()) + "' and '" + describe(r.type())
        + "' can lead to undefined behavior");
  }

  private TExpr unary(Expr.Unary u) {
    if (u.op() == UnOp.DEREF) return access.deref(u);
    if (u.op() == UnOp.ADDR) return access.addressOf(u);
    TExpr v = expr(u.operand());
    if (v == null) return null;
    return switch (u.op()) {
      case NEG -> {
        if (!isIntegral(v.type())) { error(opToken(u.span()), "The - operator can not be used on expressions of type '" + describe(v.type()) + "'"); yield null; }
        yield fold(new TExpr.Unary(UnOp.NEG, v, Type.INT64, u.span()));
      }
      case BNOT -> {
        if (!isIntegral(v.type())) { error(opToken(u.span()), "The ~ operator can not be used on expressions of type '" + describe(v.type()) + "'"); yield null; }
        yield fold(new TExpr.Unary(UnOp.BNOT, v, storageType(v.type()), u.span()));
      }
      case LNOT -> {
        if (!truthy(v.type())) { error(opToken(u.span()), "The ! operator can not be used on expressions of type '" + describe(v.type()) + "'"); yield null; }
        yield fold(new TExpr.Unary(UnOp.LNOT, v, Type.BOOL, u.span()));
      }
      case DEREF, ADDR -> throw new IllegalStateException("handled above");
    };
  }

  private TExpr update(Expr.Update u) {
    String opName = u.increment() ? "++" : "--";
    TExpr target = switch (u.target()) {
      case Expr.Var(String name, Span span) -> {
        Variable v = lookup(name);
        if (v == null) { error(span, "Undefined or undeclared variable: $" + Macros.displayName(name)); yield null; }
        if (v.type() instanceof Type.Void) yield null;
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
          error(m.span(), "The " + opName + " operator needs an integer map, but @" + m.name() + " holds '"
              + (st.agg != null ? st.agg.fn() + "_t" : describe(st.value)) + "'");
          yield null;
        }
        MapInfo info = info(st);
        yield info == null ? null : new TExpr.MapGet(info, key, st.value, m.span());
      }
      default -> {
        error(u.span(), "The " + opName + " operator must be applied to a map or variable");
        yield null;
      }
    };
    if (target == null) return null;
    if (!isIntegral(target.type()) && !(target.type() instanceof Type.Ptr)) {
      error(u.span(), "The " + opName + " operator can not be used on expressions of type '" + describe(target.type()) + "'");
      return null;
    }
    return new TExpr.Update(target, u.increment(), u.prefix(), target.type(), u.span());
  }

  // ---- types ---------------------------------------------------------------------------------------------

  static boolean isIntegral(Type t) { return t instanceof Type.Int || t instanceof Type.Bool; }

  static boolean truthy(Type t) { return isIntegral(t) || t instanceof Type.Ptr; }

  static boolean isSigned(Type t) { return t instanceof Type.Int i && i.signed(); }

  /** The result of arithmetic: 64 bits, signed only if both operands are (bpftrace's rule). */
  static Type arith(Type a, Type b) {
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
    if (from instanceof Type.Ptr a && to instanceof Type.Ptr b)
      return a.pointee().equals(b.pointee()) || a.pointee() instanceof Type.Void || b.pointee() instanceof Type.Void;
    return from.equals(to);
  }

  private static boolean keyCompatible(Type from, Type to) { return assignable(from, to); }

  /** {@return the type that holds values of both {@code a} and {@code b}: the longer of two strings} */
  static Type widen(Type a, Type b) {
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
    if (isIntegral(from) && (to instanceof Type.Int || to instanceof Type.Bool)) return fold(new TExpr.Cast(e, to, e.span()));
    if (from instanceof Type.Ptr && to instanceof Type.Int) return new TExpr.Cast(e, to, e.span());
    if (from instanceof Type.Ptr && to instanceof Type.Ptr) return new TExpr.Cast(e, to, e.span());
    if (from instanceof Type.Str && to instanceof Type.Str ts) {
      if (e instanceof TExpr.StrConst(String v, Type.Str t, Span s)) return new TExpr.StrConst(v, ts, s);
      return new TExpr.Cast(e, to, e.span());
    }
    if (from instanceof Type.Tuple ft && to instanceof Type.Tuple tt && e instanceof TExpr.TupleOf to2) {
      List<TExpr> out = new ArrayList<>();
      for (int i = 0; i < to2.elements().size(); i++) out.add(assignConvert(to2.elements().get(i), tt.elements().get(i), span));
      return new TExpr.TupleOf(out, tt, e.span());
    }
    if (from instanceof Type.Tuple && to instanceof Type.Tuple) return new TExpr.Cast(e, to, e.span());
    throw new IllegalStateException("no conversion from " + from + " to " + to + " for " + what);
  }

  /** Constant folding of integer operations on constants. */
  static TExpr fold(TExpr e) { return Folding.fold(e); }

  /** {@return {@code v} truncated to the width of {@code t} and extended back by its sign} */
  static long truncate(long v, Type.Int t) { return Folding.truncate(v, t); }

  /** {@return a type as bpftrace names it in messages, e.g. {@code int64}, {@code unsigned int32} or {@code string[16]}} */
  static String describe(Type t) {
    return switch (t) {
      case Type.Int i -> (i.signed() ? "int" : "unsigned int") + i.bytes() * 8;
      case Type.Str s -> "string[" + s.size() + "]";
      case Type.Ptr p -> describe(p.pointee()) + " *";
      case Type.Array a -> describe(a.element()) + "[" + a.length() + "]";
      case Type.Tuple tt -> {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < tt.elements().size(); i++) b.append(i > 0 ? ", " : "").append(describe(tt.elements().get(i)));
        yield b.append(')').toString();
      }
      default -> t.toString();
    };
  }

  static String describeKey(Type t) {
    return switch (t) {
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

  void warning(Span span, String message) {
    if (!reporting) return;
    Diagnostic d = Diagnostic.warning(span, message);
    if (!warnings.contains(d)) warnings.add(d);
  }

  /**
   * {@return the span of the operator between {@code left} and {@code right}, e.g. the {@code =} of an assignment,
   * where bpftrace points its assignment errors; {@code right} if there is none}
   */
  static Span operator(Span left, Span right) {
    String text = right.source().text();
    int i = left.start();
    // skip the left operand: from its end when the spans are separate, else past its first token
    i = left.end() <= right.start() ? left.end() : i;
    while (i < right.start() && Character.isWhitespace(text.charAt(i))) i++;
    int j = i;
    while (j < right.start() && "=+-*/%&|^<>!".indexOf(text.charAt(j)) >= 0) j++;
    return j > i ? new Span(right.source(), i, j) : right;
  }

  /** {@return the one-character span at the start of {@code s}: a prefix operator} */
  static Span opToken(Span s) { return new Span(s.source(), s.start(), Math.min(s.end(), s.start() + 1)); }

  /** {@return {@code span} from its start through the first {@code c} after {@code inner}} */
  static Span through(Span span, Span inner, char c) {
    String text = span.source().text();
    int i = inner.end();
    while (i < span.end() && text.charAt(i) != c) i++;
    return i < span.end() ? new Span(span.source(), span.start(), i + 1) : span;
  }

  /** {@return the probe type of the probe being checked, or {@code null} in a user function} */
  ProbeType probeType() { return attaches == null || attaches.isEmpty() ? null : attaches.getFirst().type(); }
}
