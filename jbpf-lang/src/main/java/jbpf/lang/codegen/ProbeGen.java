package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.UnOp;
import jbpf.lang.codegen.Frame.Mem;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.Trees;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.typed.TypedProgram.TFunction;
import jbpf.lang.typed.TypedProgram.TProbe;
import jbpf.lang.typed.Variable;
import jbpf.lang.types.Type;

/**
 * Generates the program of one probe: its main function, a callback subprogram for each {@code for} loop
 * ({@code bpf_loop} for ranges, {@code bpf_for_each_map_elem} for maps), and the user functions it calls.
 *
 * <p>Registers: r6 holds the context in every function; r7–r9 hold expression values, which survive helper
 * calls; r0–r5 are scratch and carry helper arguments. When all of r7–r9 are taken, one is spilled to the stack
 * around the code that needs it.
 *
 * <p>Memory: variables live for the whole probe in the frame of the function that owns them (the probe's main
 * function, or a user function); loop callbacks reach them through a pointer to that frame, which the loop
 * helper passes as the callback's context. Temporaries are allocated per statement. Both go on the stack while
 * it has room ({@link Frame}) and otherwise in a per-CPU scratch buffer ({@link #SCRATCH_MAP}), whose address
 * each function looks up once, at its start, and keeps at r10-8.
 */
final class ProbeGen {
  static final Reg CTX = R6;
  /** The per-CPU array of one element whose value holds what does not fit on the stack. */
  static final String SCRATCH_MAP = "scratch";
  private static final List<Reg> POOL = List.of(R7, R8, R9);
  /** r10-relative slot holding the scratch buffer's address, in every function that uses it. */
  private static final int SCRATCH_SLOT = -8;
  /** r10-relative slot holding, in a loop callback, the address of its owner's variables. */
  private static final int OUTER_SLOT = -16;

  private final TProbe probe;
  private final TypedProgram program;
  private final AggregateGen aggregates = new AggregateGen(this);
  private final BuiltinGen builtins = new BuiltinGen(this);
  private final CallGen calls = new CallGen(this);
  private final int budget;
  private final ContextGen context = new ContextGen(this);
  final ProbeInfo info;
  InsnList out = new InsnList();
  Frame frame = new Frame();

  /**
   * What the generator needs to know about where the program runs.
   *
   * @param probeIndex the value of {@code probe} when it is a constant, or -1 to read the attach cookie
   * @param mapIndex the index of each user map in the map-errors array
   * @param maxMapKeys the capacity of hash maps with keys
   * @param possibleCpus the number of possible CPUs, or 0 if unknown
   */
  record ProbeInfo(long probeIndex, Map<String, Integer> mapIndex, int maxMapKeys, int possibleCpus) {}

  ProbeGen(TProbe probe, ProbeInfo info) { this(probe, null, info, Frame.LIMIT); }

  /** @param budget the stack each function may fill before values move to scratch memory */
  ProbeGen(TProbe probe, TypedProgram program, ProbeInfo info, int budget) {
    this.probe = probe;
    this.program = program;
    this.info = info;
    this.budget = budget;
  }

  // ---- functions ----------------------------------------------------------------------------------------

  /** What owns variables: the probe's main function or a user function. */
  private final class Unit {
    final Map<Variable, Mem> vars = new IdentityHashMap<>();
    /** The address of {@code base} is passed to callbacks: variables are at {@code base + (off - base)}. */
    int base;
    Variable ctxSave, retFlag, retValue;
    final Map<TStmt.ForRange, Variable> rangeStarts = new IdentityHashMap<>();
    /** The variables some expression reads: a store to any other is dead. */
    final Set<Variable> read = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Variables a loop body assigns: reads of them are laundered (see {@link #laundered}). */
    final Set<Variable> loopWritten = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Variables the generated code writes itself: loop variables and the hidden slots. */
    final Set<Variable> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    final boolean isFunction;

    Unit(boolean isFunction) { this.isFunction = isFunction; }
  }

  private enum Kind { MAIN, FUNCTION, RANGE_CALLBACK, MAP_CALLBACK, WHILE_CALLBACK }

  /** One BPF function being generated. */
  private final class Fn {
    final Kind kind;
    final Unit unit;
    final Label entry;
    final Label exit = new Label("exit");
    final Deque<Label[]> loops = new ArrayDeque<>();
    final Deque<Reg> free = new ArrayDeque<>(POOL);
    final Frame frame;
    boolean scratchPointer;
    /** The callbacks this function starts. */
    final List<Fn> calls = new ArrayList<>();
    /** The user functions this function calls. */
    final Set<String> functions = new LinkedHashSet<>();

    Fn(Kind kind, Unit unit, Label entry, int scratchBase) {
      this.kind = kind;
      this.unit = unit;
      this.entry = entry;
      this.frame = new Frame(budget, scratchBase);
    }

    boolean callback() { return kind == Kind.RANGE_CALLBACK || kind == Kind.MAP_CALLBACK || kind == Kind.WHILE_CALLBACK; }
  }

  private Fn fn;
  private final List<InsnList> subprograms = new ArrayList<>();
  private final Deque<Runnable> jobs = new ArrayDeque<>();
  private final Map<String, Fn> functionFns = new HashMap<>();
  private final Map<String, Label> functionLabels = new HashMap<>();
  private int scratchEnd;

  Bytecode generate() {
    Unit unit = new Unit(false);
    Fn main = new Fn(Kind.MAIN, unit, new Label("main"), 0);
    begin(main);
    allocateVariables(unit, probe.body(), List.of());
    InsnList head = out;
    out.add(Alu.MOV.reg(CTX, R1));
    InsnList body = new InsnList();
    out = body;
    if (probe.predicate() != null) {
      out.at(probe.predicate().span());
      jumpIf(probe.predicate(), false, fn.exit);
    }
    out.at(null);
    initVariables(unit, probe.body(), List.of());
    if (unit.ctxSave != null) {
      try (Addr a = varAddr(unit.ctxSave)) { out.add(Insn.stx(Size.DW, a.base, a.off, CTX)); }
    }
    stmt(probe.body());
    out.at(null).bind(fn.exit).add(Alu.MOV.imm(R0, 0), Insn.exit());
    InsnList code = finish(head, body);
    runJobs();
    for (InsnList s : subprograms) code.addAll(s);
    checkStack(main);
    return Peephole.optimize(code).resolve();
  }

  /** {@return the end of the scratch memory the program uses; 0 if it uses none} */
  int scratchSize() { return scratchEnd; }

  private void begin(Fn f) {
    fn = f;
    out = new InsnList();
    frame = f.frame;
    frame.alloc(8); // SCRATCH_SLOT
    if (f.callback()) frame.alloc(8); // OUTER_SLOT
  }

  /** {@return the function's code: its head, the scratch-buffer lookup if the body used it, the body} */
  private InsnList finish(InsnList head, InsnList body) {
    scratchEnd = Math.max(scratchEnd, frame.scratchEnd());
    InsnList code = new InsnList();
    code.bind(fn.entry);
    code.addAll(head);
    if (fn.scratchPointer) {
      // *(u32 *)(r10 - 8) = 0; r0 = lookup(scratch, r10 - 8); if r0 == 0 goto exit; *(u64 *)(r10 - 8) = r0
      code.at(null).add(Insn.st(Size.W, R10, SCRATCH_SLOT, 0), Insn.ldMap(R1, SCRATCH_MAP), Alu.MOV.reg(R2, R10),
          Alu.ADD.imm(R2, SCRATCH_SLOT), Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, fn.exit),
          Insn.stx(Size.DW, R10, SCRATCH_SLOT, R0));
    }
    code.addAll(body);
    return code;
  }

  private void runJobs() {
    while (!jobs.isEmpty()) jobs.removeFirst().run();
  }

  /** Fails if a chain of calls needs more stack than the kernel gives all frames together. */
  private void checkStack(Fn main) {
    int need = stackChain(main, 0);
    if (need > Frame.LIMIT) throw new Frame.StackFullException(need);
  }

  private int stackChain(Fn f, int depth) {
    if (depth >= 8) throw new CallDepthException();
    int own = (f.frame.peak() + 31) & ~31;
    int most = 0;
    for (Fn c : f.calls) most = Math.max(most, stackChain(c, depth + 1));
    for (String name : f.functions) most = Math.max(most, stackChain(functionFns.get(name), depth + 1));
    return own + most;
  }

  /** Loops and function calls nest deeper than the kernel's 8 frames. */
  static final class CallDepthException extends RuntimeException {
    CallDepthException() { super("nests loops and function calls more than 8 deep; the kernel allows 8 frames"); }
  }

  // ---- variables ----------------------------------------------------------------------------------------

  /** Gives every variable of {@code unit} its place, with the hidden slots loops need. */
  private void allocateVariables(Unit unit, TStmt body, List<Variable> params) {
    Set<Variable> all = new LinkedHashSet<>(params);
    boolean[] loops = {false};
    boolean[] returnsInLoop = {false};
    collect(body, all, loops, returnsInLoop, false, unit);
    if (loops[0]) {
      unit.ctxSave = new Variable("ctx", Type.UINT64);
      all.add(unit.ctxSave);
      all.addAll(unit.rangeStarts.values());
      if (returnsInLoop[0]) {
        unit.retFlag = new Variable("returned", Type.UINT64);
        all.add(unit.retFlag);
        if (unit.isFunction) {
          unit.retValue = new Variable("retval", Type.UINT64);
          all.add(unit.retValue);
        }
      }
    }
    for (Variable v : new Variable[] {unit.ctxSave, unit.retFlag, unit.retValue}) if (v != null) unit.written.add(v);
    unit.written.addAll(unit.rangeStarts.values());
    int lowest = 0;
    for (Variable v : all) {
      if (!unit.read.contains(v) && !unit.written.contains(v) && !params.contains(v)) continue;
      // parameters arrive in registers and are stored before the scratch buffer is looked up
      Mem m = params.contains(v) ? Mem.stack(frame.alloc(8)) : frame.allocMem(v.type().size());
      unit.vars.put(v, m);
      if (!m.scratch()) lowest = Math.min(lowest, m.off());
    }
    unit.base = lowest == 0 ? -8 : lowest;
  }

  private void collect(TStmt s, Set<Variable> all, boolean[] loops, boolean[] ret, boolean inLoop, Unit unit) {
    switch (s) {
      case TStmt.VarStore vs -> {
        all.add(vs.var());
        if (inLoop) unit.loopWritten.add(vs.var());
      }
      case TStmt.ForRange f -> {
        loops[0] = true;
        all.add(f.var());
        unit.written.add(f.var());
        unit.rangeStarts.put(f, new Variable("start", f.var().type()));
      }
      case TStmt.ForMap f -> {
        loops[0] = true;
        all.add(f.var());
        unit.written.add(f.var());
      }
      case TStmt.While w -> loops[0] = true;
      case TStmt.Return r -> { if (inLoop) ret[0] = true; }
      default -> {}
    }
    for (TExpr e : Trees.exprs(s)) collect(e, all, loops, ret, inLoop, unit);
    boolean loop = inLoop || s instanceof TStmt.ForRange || s instanceof TStmt.ForMap || s instanceof TStmt.While;
    for (TStmt n : Trees.nested(s)) collect(n, all, loops, ret, loop, unit);
  }

  private void collect(TExpr e, Set<Variable> all, boolean[] loops, boolean[] ret, boolean inLoop, Unit unit) {
    if (e instanceof TExpr.VarRef v) unit.read.add(v.var());
    if (inLoop && e instanceof TExpr.Update(TExpr.VarRef v, var inc, var pre, var t, var sp)) unit.loopWritten.add(v.var());
    for (TStmt s : Trees.statements(e)) collect(s, all, loops, ret, inLoop, unit);
    for (TExpr c : Trees.children(e)) collect(c, all, loops, ret, inLoop, unit);
  }

  /** Zeroes the variables that may be read before they are assigned (after a loop that never ran, say). */
  private void initVariables(Unit unit, TStmt body, List<Variable> params) {
    Set<Variable> needed = Liveness.readBeforeAssigned(body, params);
    for (Variable v : unit.vars.keySet()) {
      if (!needed.contains(v) && v != unit.retFlag) continue;
      try (Addr a = varAddr(v)) { zero(a.base, a.off, v.type().size()); }
    }
  }

  private Mem varMem(Variable v) {
    Mem m = fn.unit.vars.get(v);
    if (m == null) throw new IllegalStateException("variable " + v + " has no place");
    return m;
  }

  // ---- addresses ----------------------------------------------------------------------------------------

  /** A place made addressable: a base register and an offset; closing gives back a base register that was loaded. */
  final class Addr implements AutoCloseable {
    final Reg base;
    final int off;
    private final Temp owned;

    Addr(Reg base, int off, Temp owned) {
      this.base = base;
      this.off = off;
      this.owned = owned;
    }

    @Override public void close() { if (owned != null) owned.close(); }
  }

  /** {@return {@code m} addressable; scratch memory needs a pool register for its address} */
  Addr addr(Mem m, Reg... avoid) {
    if (!m.scratch()) return new Addr(R10, m.off(), null);
    Temp t = temp(avoid);
    loadScratch(t.reg);
    return new Addr(t.reg, m.off(), t);
  }

  private void loadScratch(Reg r) {
    fn.scratchPointer = true;
    out.add(Insn.ldx(Size.DW, r, R10, SCRATCH_SLOT));
  }

  /** {@return variable {@code v} addressable from the function being generated} */
  Addr varAddr(Variable v, Reg... avoid) {
    Mem m = varMem(v);
    if (m.scratch() || !fn.callback()) return addr(m, avoid);
    Temp t = temp(avoid);
    out.add(Insn.ldx(Size.DW, t.reg, R10, OUTER_SLOT));
    return new Addr(t.reg, m.off() - fn.unit.base, t);
  }

  /** {@code r = the address of m}, for a helper argument. */
  void lea(Reg r, Mem m) {
    if (m.scratch()) loadScratch(r);
    else out.add(Alu.MOV.reg(r, R10));
    if (m.off() != 0) out.add(Alu.ADD.imm(r, m.off()));
  }

  private void leaVar(Reg r, Variable v) {
    Mem m = varMem(v);
    if (m.scratch() || !fn.callback()) {
      lea(r, m);
      return;
    }
    out.add(Insn.ldx(Size.DW, r, R10, OUTER_SLOT));
    if (m.off() - fn.unit.base != 0) out.add(Alu.ADD.imm(r, m.off() - fn.unit.base));
  }

  /** {@code r = the address of the owner's variables}, the context a loop callback gets. */
  private void outerPointer(Reg r) {
    if (fn.callback()) out.add(Insn.ldx(Size.DW, r, R10, OUTER_SLOT));
    else out.add(Alu.MOV.reg(r, R10), Alu.ADD.imm(r, fn.unit.base));
  }

  // ---- registers -----------------------------------------------------------------------------------------

  /** A pool register lent to a piece of code; {@link #close()} gives it back, reloading a spilled value. */
  final class Temp implements AutoCloseable {
    final Reg reg;
    final int spillSlot;  // 0 if the register was free
    private final Fn owner;

    Temp(Reg reg, int spillSlot) {
      this.reg = reg;
      this.spillSlot = spillSlot;
      this.owner = fn;
    }

    @Override public void close() {
      if (spillSlot == 0) owner.free.push(reg);
      else out.add(Insn.ldx(Size.DW, reg, R10, spillSlot));
    }
  }

  /** {@return a pool register other than those in {@code avoid}, spilling one if none is free} */
  Temp temp(Reg... avoid) {
    List<Reg> no = List.of(avoid);
    for (Reg r : fn.free) {
      if (!no.contains(r)) {
        fn.free.remove(r);
        return new Temp(r, 0);
      }
    }
    for (Reg r : POOL) {
      if (no.contains(r)) continue;
      int slot = frame.alloc(8);
      out.add(Insn.stx(Size.DW, R10, slot, r));
      return new Temp(r, slot);
    }
    throw new IllegalStateException("no register to spill");
  }

  // ---- statements ----------------------------------------------------------------------------------------

  private void stmt(TStmt s) {
    out.at(s.span());
    int mark = frame.mark();
    switch (s) {
      case TStmt.Block b -> { for (TStmt x : b.stmts()) stmt(x); }
      case TStmt.Eval(TExpr e, var span) -> effect(e);
      case TStmt.VarStore(Variable v, TExpr value, var span) when !fn.unit.read.contains(v) -> effect(value);
      case TStmt.VarStore(Variable v, TExpr value, var span) -> {
        if (scalar(v.type())) {
          try (Temp t = temp()) {
            into(value, t.reg);
            try (Addr a = varAddr(v, t.reg)) { out.add(Insn.stx(Size.ofBytes(scalarSize(v.type())), a.base, a.off, t.reg)); }
          }
        } else {
          try (Addr a = varAddr(v)) { store(value, a.base, a.off); }
        }
      }
      case TStmt.MapStore(MapInfo map, TExpr key, TExpr value, var span) -> {
        Mem k = keyMem(map, key);
        Mem val = frame.allocMem(map.value().size());
        try (Addr a = addr(val)) { store(value, a.base, a.off); }
        mapUpdate(map, k, val);
      }
      case TStmt.Aggregate a -> aggregates.aggregate(a);
      case TStmt.MapDelete(MapInfo map, TExpr key, var span) -> aggregates.delete(map, key);
      case TStmt.MapCompound c -> mapCompound(c);
      case TStmt.If(TExpr cond, TStmt then, TStmt otherwise, var span) -> {
        Label elseL = new Label("else"), end = new Label("endif");
        jumpIf(cond, false, otherwise == null ? end : elseL);
        stmt(then);
        if (otherwise != null) {
          out.add(Insn.ja(end)).bind(elseL);
          stmt(otherwise);
        }
        out.bind(end);
      }
      case TStmt.While w -> whileLoop(w);
      case TStmt.Break b -> {
        Label[] loop = fn.loops.peek();
        if (loop == null) out.add(Alu.MOV.imm(R0, 1), Insn.exit());
        else out.add(Insn.ja(loop[1]));
      }
      case TStmt.Continue c -> {
        Label[] loop = fn.loops.peek();
        if (loop == null) out.add(Alu.MOV.imm(R0, 0), Insn.exit());
        else out.add(Insn.ja(loop[0]));
      }
      case TStmt.Return r -> ret(r);
      case TStmt.Emit e -> calls.emit(e);
      case TStmt.ForRange f -> forRange(f);
      case TStmt.ForMap f -> forMap(f);
    }
    frame.release(mark);
  }

  private void ret(TStmt.Return r) {
    if (fn.callback()) {
      // Leave the loop helper, and tell each function up to the owner to return too.
      if (r.value() != null) storeScalarVar(fn.unit.retValue, r.value());
      try (Addr a = varAddr(fn.unit.retFlag)) { out.add(Insn.st(Size.DW, a.base, a.off, 1)); }
      out.add(Alu.MOV.imm(R0, 1), Insn.exit());
      return;
    }
    if (fn.kind == Kind.FUNCTION) {
      if (r.value() != null) {
        try (Temp t = temp()) {
          into(r.value(), t.reg);
          out.add(Alu.MOV.reg(R0, t.reg));
        }
      } else {
        out.add(Alu.MOV.imm(R0, 0));
      }
      out.add(Insn.exit());
      return;
    }
    out.add(Insn.ja(fn.exit));
  }

  private void storeScalarVar(Variable v, TExpr value) {
    try (Temp t = temp()) {
      into(value, t.reg);
      try (Addr a = varAddr(v, t.reg)) { out.add(Insn.stx(Size.DW, a.base, a.off, t.reg)); }
    }
  }

  /** Evaluates {@code e} for its effects only. */
  private void effect(TExpr e) {
    switch (e) {
      case TExpr.Seq(List<TStmt> stmts, TExpr value, var t, var span) -> {
        for (TStmt s : stmts) stmt(s);
        out.at(span);
        effect(value);
      }
      case TExpr.CallFn c -> callFunction(c);
      case TExpr.Ternary(TExpr cond, TExpr then, TExpr otherwise, Type t, var span) when !scalar(t) -> {
        Label elseL = new Label("else"), end = new Label("end");
        jumpIf(cond, false, elseL);
        effect(then);
        out.add(Insn.ja(end)).bind(elseL);
        effect(otherwise);
        out.bind(end);
      }
      default -> {
        if (pure(e)) return;
        if (scalar(e.type()) || e.type() instanceof Type.Void) {
          try (Temp t = temp()) { into(e, t.reg); }
        } else {
          Mem m = frame.allocMem(e.type().size());
          try (Addr a = addr(m)) { store(e, a.base, a.off); }
        }
      }
    }
  }

  /** {@return whether evaluating {@code e} has no effect but its value} */
  private static boolean pure(TExpr e) {
    if (e instanceof TExpr.Update || e instanceof TExpr.CallFn || e instanceof TExpr.Seq || e instanceof TExpr.Call) return false;
    for (TExpr c : Trees.children(e)) if (!pure(c)) return false;
    return true;
  }

  /** {@code r1 = map; r2 = &key; r3 = &value; r4 = BPF_ANY; call map_update_elem}, counting failures. */
  void mapUpdate(MapInfo map, int keySlot, int valueSlot) { mapUpdate(map, Mem.stack(keySlot), Mem.stack(valueSlot)); }

  void mapUpdate(MapInfo map, Mem key, Mem value) {
    out.add(Insn.ldMap(R1, map.specName()));
    lea(R2, key);
    lea(R3, value);
    out.add(Alu.MOV.imm(R4, 0), Insn.call(Helper.MAP_UPDATE_ELEM));
    aggregates.recordUpdateError(map);
  }

  /**
   * After a helper call: if r0 is non-zero, adds one to u64 counter {@code index} of {@code counters}, a
   * single-entry array addressed directly (no lookup):
   * {@code if r0 == 0 goto ok; r1 = &counters[0] + 8 * index; r2 = 1; lock *(u64 *)(r1 + 0) += r2}.
   */
  void countFailure(String counters, int index) {
    Label ok = new Label("ok");
    out.add(Jmp.JEQ.imm(R0, 0, ok), Insn.ldMapValue(R1, counters, 8 * index), Alu.MOV.imm(R2, 1),
        Insn.atomic(Size.DW, jbpf.asm.Opcode.ADD, R1, 0, R2));
    out.bind(ok);
  }

  /**
   * {@code @m[k] op= v}: the value first (it may call helpers), then
   * <pre>
   * r0 = lookup(map, &k); if r0 == 0 goto insert; t = *r0; t op= v; *r0 = t; goto done
   * insert: t = 0; t op= v; update(map, &k, &t)
   * </pre>
   */
  private void mapCompound(TStmt.MapCompound c) {
    MapInfo map = c.map();
    boolean signed = Type.signed(map.value()) && Type.signed(c.value().type());
    try (Temp v = temp()) {
      into(c.value(), v.reg);
      Mem k = keyMem(map, c.key());
      Label insert = new Label("insert"), done = new Label("done");
      out.add(Insn.ldMap(R1, map.specName()));
      lea(R2, k);
      out.add(Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, insert));
      try (Temp t = temp(v.reg)) {
        out.add(Insn.ldx(Size.DW, t.reg, R0, 0));
        arithRegs(c.op(), signed, t.reg, v.reg);
        out.add(Insn.stx(Size.DW, R0, 0, t.reg), Insn.ja(done));
        out.bind(insert).add(Alu.MOV.imm(t.reg, 0));
        arithRegs(c.op(), signed, t.reg, v.reg);
        Mem val = frame.allocMem(8);
        try (Addr a = addr(val, t.reg)) { out.add(Insn.stx(Size.DW, a.base, a.off, t.reg)); }
        mapUpdate(map, k, val);
      }
      out.bind(done);
    }
  }

  // ---- loops and functions -------------------------------------------------------------------------------

  /**
   * {@code for ($i : a..b)}: {@code bpf_loop(b > a ? b - a : 0, callback, &vars, 0)}; the callback sets
   * {@code $i = a + index} and runs the body, returning 1 to break.
   */
  private void forRange(TStmt.ForRange f) {
    Variable start = fn.unit.rangeStarts.get(f);
    boolean signed = Type.signed(f.var().type());
    Label callback = new Label("for_range");
    try (Temp s = temp(); Temp e = temp(s.reg)) {
      into(f.start(), s.reg);
      into(f.end(), e.reg);
      try (Addr a = varAddr(start, s.reg, e.reg)) { out.add(Insn.stx(Size.DW, a.base, a.off, s.reg)); }
      Label none = new Label("empty"), go = new Label("loop");
      out.add((signed ? Jmp.JSLE : Jmp.JLE).reg(e.reg, s.reg, none), Alu.MOV.reg(R1, e.reg), Alu.SUB.reg(R1, s.reg), Insn.ja(go));
      out.bind(none).add(Alu.MOV.imm(R1, 0));
      out.bind(go);
    }
    out.add(Insn.ldFunc(R2, callback));
    outerPointer(R3);
    out.add(Alu.MOV.imm(R4, 0), Insn.call(Helper.LOOP));
    afterLoop(f.body());
    Fn parent = fn;
    Unit unit = fn.unit;
    jobs.add(() -> rangeCallback(f, unit, callback, parent));
  }

  private void rangeCallback(TStmt.ForRange f, Unit unit, Label entry, Fn parent) {
    Fn cb = new Fn(Kind.RANGE_CALLBACK, unit, entry, scratchEnd);
    parent.calls.add(cb);
    begin(cb);
    int index = frame.alloc(8);
    InsnList head = out;
    out.at(f.span()).add(Insn.stx(Size.DW, R10, OUTER_SLOT, R2), Insn.stx(Size.DW, R10, index, R1));
    InsnList body = new InsnList();
    out = body;
    out.at(f.span());
    restoreContext();
    try (Temp t = temp()) {
      try (Addr a = varAddr(unit.rangeStarts.get(f), t.reg)) { out.add(Insn.ldx(Size.DW, t.reg, a.base, a.off)); }
      out.add(Insn.ldx(Size.DW, R1, R10, index), Alu.ADD.reg(t.reg, R1));
      try (Addr a = varAddr(f.var(), t.reg)) { out.add(Insn.stx(Size.DW, a.base, a.off, t.reg)); }
    }
    callbackBody(f.body());
    subprograms.add(finish(head, body));
  }

  /** The most iterations a {@code while} loop runs: {@code bpf_loop}'s limit, {@code BPF_MAX_LOOPS}. */
  static final int MAX_WHILE = 1 << 23;

  /**
   * {@code while (cond) body}: {@code bpf_loop(BPF_MAX_LOOPS, callback, &vars, 0)}, the callback returning 1 once the
   * condition fails. The verifier checks the callback once, where an inline loop is checked iteration by iteration
   * and refused when its bound is not a constant ({@code while ($i < @limit)}) or is large.
   */
  private void whileLoop(TStmt.While w) {
    Label callback = new Label("while");
    out.add(Alu.MOV.imm(R1, MAX_WHILE), Insn.ldFunc(R2, callback));
    outerPointer(R3);
    out.add(Alu.MOV.imm(R4, 0), Insn.call(Helper.LOOP));
    afterLoop(w.body());
    Fn parent = fn;
    Unit unit = fn.unit;
    jobs.add(() -> whileCallback(w, unit, callback, parent));
  }

  private void whileCallback(TStmt.While w, Unit unit, Label entry, Fn parent) {
    Fn cb = new Fn(Kind.WHILE_CALLBACK, unit, entry, scratchEnd);
    parent.calls.add(cb);
    begin(cb);
    InsnList head = out;
    // long callback(u64 index, void *ctx)
    out.at(w.span()).add(Insn.stx(Size.DW, R10, OUTER_SLOT, R2));
    InsnList body = new InsnList();
    out = body;
    out.at(w.span());
    restoreContext();
    Label go = new Label("go");
    jumpIf(w.cond(), true, go);
    out.add(Alu.MOV.imm(R0, 1), Insn.exit());
    out.bind(go);
    callbackBody(w.body());
    subprograms.add(finish(head, body));
  }

  /**
   * {@code for ($kv : @m)}: {@code bpf_for_each_map_elem(map, callback, &vars, 0)}; the callback copies the key and
   * value into {@code $kv} and runs the body.
   */
  private void forMap(TStmt.ForMap f) {
    Label callback = new Label("for_map");
    out.add(Insn.ldMap(R1, f.map().specName()), Insn.ldFunc(R2, callback));
    outerPointer(R3);
    out.add(Alu.MOV.imm(R4, 0), Insn.call(Helper.FOR_EACH_MAP_ELEM));
    afterLoop(f.body());
    Fn parent = fn;
    Unit unit = fn.unit;
    jobs.add(() -> mapCallback(f, unit, callback, parent));
  }

  private void mapCallback(TStmt.ForMap f, Unit unit, Label entry, Fn parent) {
    Fn cb = new Fn(Kind.MAP_CALLBACK, unit, entry, scratchEnd);
    parent.calls.add(cb);
    begin(cb);
    int keyPtr = frame.alloc(8), valuePtr = frame.alloc(8);
    InsnList head = out;
    // long callback(struct bpf_map *map, const void *key, void *value, void *ctx)
    out.at(f.span()).add(Insn.stx(Size.DW, R10, OUTER_SLOT, R4), Insn.stx(Size.DW, R10, keyPtr, R2), Insn.stx(Size.DW, R10, valuePtr, R3));
    InsnList body = new InsnList();
    out = body;
    out.at(f.span());
    restoreContext();
    Type.Tuple kv = (Type.Tuple) f.var().type();
    List<Integer> offs = kv.offsets();
    try (Addr dst = varAddr(f.var()); Temp src = temp(dst.base)) {
      if (hasPadding(kv)) zero(dst.base, dst.off, kv.size());
      out.add(Insn.ldx(Size.DW, src.reg, R10, keyPtr));
      copy(src.reg, 0, dst.base, dst.off + offs.get(0), kv.elements().get(0).size());
      out.add(Insn.ldx(Size.DW, src.reg, R10, valuePtr));
      copy(src.reg, 0, dst.base, dst.off + offs.get(1), kv.elements().get(1).size());
    }
    callbackBody(f.body());
    subprograms.add(finish(head, body));
  }

  private void restoreContext() {
    try (Addr a = varAddr(fn.unit.ctxSave)) { out.add(Insn.ldx(Size.DW, CTX, a.base, a.off)); }
  }

  private void callbackBody(TStmt body) {
    // With no loop of its own open, break and continue leave the callback: 1 stops the helper, 0 goes on.
    stmt(body);
    out.at(null).bind(fn.exit).add(Alu.MOV.imm(R0, 0), Insn.exit());
  }

  /** After a loop helper returns: if the body executed {@code return}, return too. */
  private void afterLoop(TStmt body) {
    if (fn.unit.retFlag == null || !Liveness.returns(body)) return;
    Label go = new Label("go_on");
    try (Temp t = temp()) {
      try (Addr a = varAddr(fn.unit.retFlag, t.reg)) { out.add(Insn.ldx(Size.DW, t.reg, a.base, a.off)); }
      out.add(Jmp.JEQ.imm(t.reg, 0, go));
      switch (fn.kind) {
        case MAIN -> out.add(Insn.ja(fn.exit));
        case FUNCTION -> {
          try (Addr a = varAddr(fn.unit.retValue, t.reg)) { out.add(Insn.ldx(Size.DW, R0, a.base, a.off)); }
          out.add(Insn.exit());
        }
        case RANGE_CALLBACK, MAP_CALLBACK, WHILE_CALLBACK -> out.add(Alu.MOV.imm(R0, 1), Insn.exit());
      }
    }
    out.bind(go);
  }

  /** A call of a user function: {@code r1 = ctx; r2.. = arguments; call fn}; the result is in r0. */
  private void callFunction(TExpr.CallFn c) {
    List<Integer> slots = new ArrayList<>();
    for (TExpr a : c.args()) {
      int slot = frame.alloc(8);
      try (Temp t = temp()) {
        into(a, t.reg);
        out.add(Insn.stx(Size.DW, R10, slot, t.reg));
      }
      slots.add(slot);
    }
    Reg[] argRegs = {R2, R3, R4, R5};
    for (int i = 0; i < slots.size(); i++) out.add(Insn.ldx(Size.DW, argRegs[i], R10, slots.get(i)));
    fn.functions.add(c.function());
    out.add(Alu.MOV.reg(R1, CTX), Insn.callLocal(function(c.function())));
  }

  /** {@return the entry of user function {@code name}'s subprogram, generated once per program} */
  private Label function(String name) {
    Label l = functionLabels.get(name);
    if (l != null) return l;
    if (program == null) throw new IllegalStateException("user function " + name + " without its program");
    TFunction tf = program.function(name);
    Label entry = new Label("fn_" + name);
    functionLabels.put(name, entry);
    jobs.add(() -> functionBody(tf, entry));
    return entry;
  }

  /** A user function: {@code r1} is the context, {@code r2}… the parameters; the result goes in {@code r0}. */
  private void functionBody(TFunction tf, Label entry) {
    Unit unit = new Unit(true);
    Fn f = new Fn(Kind.FUNCTION, unit, entry, scratchEnd);
    functionFns.put(tf.name(), f);
    begin(f);
    allocateVariables(unit, tf.body(), tf.params());
    InsnList head = out;
    out.at(tf.span()).add(Alu.MOV.reg(CTX, R1));
    Reg[] argRegs = {R2, R3, R4, R5};
    for (int i = 0; i < tf.params().size(); i++) out.add(Insn.stx(Size.DW, R10, unit.vars.get(tf.params().get(i)).off(), argRegs[i]));
    InsnList body = new InsnList();
    out = body;
    initVariables(unit, tf.body(), tf.params());
    if (unit.ctxSave != null) {
      try (Addr a = varAddr(unit.ctxSave)) { out.add(Insn.stx(Size.DW, a.base, a.off, CTX)); }
    }
    stmt(tf.body());
    out.at(null).bind(fn.exit).add(Alu.MOV.imm(R0, 0), Insn.exit());
    subprograms.add(finish(head, body));
  }

  // ---- keys and stored values ----------------------------------------------------------------------------

  /** {@return {@code key} laid out as {@code map}'s key, on the stack or in scratch memory; a map without keys uses key 0} */
  Mem keyMem(MapInfo map, TExpr key) {
    Mem k = frame.allocMem(map.keySize());
    if (key == null) {
      try (Addr a = addr(k)) { out.add(Insn.st(Size.DW, a.base, a.off, 0)); }
    } else {
      storeKey(map, key, k);
    }
    return k;
  }

  /** Writes {@code key} laid out as {@code map}'s key at {@code k}, its padding zeroed. */
  void storeKey(MapInfo map, TExpr key, Mem k) {
    try (Addr a = addr(k)) {
      int pad = map.keySize() - key.type().size();
      if (hasPadding(key.type()) || pad > 0) zero(a.base, a.off, map.keySize());
      store(key, a.base, a.off);
    }
  }

  static boolean hasPadding(Type t) {
    return switch (t) {
      case Type.Tuple tt -> {
        int off = 0;
        List<Integer> offs = tt.offsets();
        for (int i = 0; i < tt.elements().size(); i++) {
          if (offs.get(i) != off) yield true;
          if (hasPadding(tt.elements().get(i))) yield true;
          off = offs.get(i) + tt.elements().get(i).size();
        }
        yield off != tt.size();
      }
      case Type.Record r -> true;
      default -> false;
    };
  }

  /** {@return whether values of {@code t} are computed in a register} */
  static boolean scalar(Type t) {
    return t instanceof Type.Int || t instanceof Type.Bool || t instanceof Type.Probe || t instanceof Type.Ptr;
  }

  private static int scalarSize(Type t) { return t instanceof Type.Int i ? i.bytes() : t instanceof Type.Bool ? 1 : 8; }

  /** Writes the value of {@code e}, laid out as {@code e.type()}, at {@code base + off}. */
  void store(TExpr e, Reg base, int off) {
    Type t = e.type();
    if (e instanceof TExpr.Call c && !CallGen.scalar(t)) {
      calls.store(c, base, off);
      return;
    }
    switch (t) {
      case Type.Int i -> storeScalar(e, base, off, Size.ofBytes(i.bytes()));
      case Type.Bool b -> storeScalar(e, base, off, Size.B);
      case Type.Probe p -> storeScalar(e, base, off, Size.DW);
      case Type.Ptr p -> storeScalar(e, base, off, Size.DW);
      case Type.Str s -> storeString(e, s, base, off);
      case Type.Tuple tt -> storeTuple(e, tt, base, off);
      case Type.Record r -> copyFrom(e, base, off, r.size());
      case Type.Array a -> copyFrom(e, base, off, a.size());
      case Type.Buf b -> copyFrom(e, base, off, b.size());
      default -> copyFrom(e, base, off, t.size());
    }
  }

  private void storeScalar(TExpr e, Reg base, int off, Size size) {
    if (e instanceof TExpr.Const(long v, Type ct, var sp) && v == (int) v && off % size.bytes() == 0) {
      out.add(Insn.st(size, base, off, (int) v));
      return;
    }
    try (Temp t = temp(base)) {
      into(e, t.reg);
      storeReg(t.reg, base, off, size.bytes());
    }
  }

  /** Stores the low {@code bytes} of {@code r} at {@code base + off}, byte by byte where it is not aligned. */
  private void storeReg(Reg r, Reg base, int off, int bytes) {
    if (off % bytes == 0) {
      out.add(Insn.stx(Size.ofBytes(bytes), base, off, r));
      return;
    }
    out.add(Alu.MOV.reg(R1, r));
    for (int i = 0; i < bytes; i++) {
      out.add(Insn.stx(Size.B, base, off + i, R1));
      if (i + 1 < bytes) out.add(Alu.RSH.imm(R1, 8));
    }
  }

  private void storeTuple(TExpr e, Type.Tuple tt, Reg base, int off) {
    List<Integer> offs = tt.offsets();
    switch (e) {
      case TExpr.TupleOf(List<TExpr> elements, var type, var span) -> {
        if (hasPadding(tt)) zero(base, off, tt.size());
        for (int i = 0; i < elements.size(); i++) store(elements.get(i), base, off + offs.get(i));
      }
      case TExpr.Cast(TExpr inner, Type to, var span) when !inner.type().equals(to) -> {
        // A tuple widened to a bigger layout (longer strings): copy element by element.
        try (Held p = place(inner, base)) {
          zero(base, off, tt.size());
          convertCopy(p, (Type.Tuple) inner.type(), base, off, tt);
        }
      }
      default -> copyFrom(e, base, off, tt.size());
    }
  }

  private void convertCopy(Held src, Type.Tuple from, Reg base, int off, Type.Tuple to) {
    List<Integer> fo = from.offsets(), too = to.offsets();
    for (int i = 0; i < from.elements().size(); i++) {
      Type a = from.elements().get(i), b = to.elements().get(i);
      Held part = src.plus(fo.get(i));
      if (a instanceof Type.Tuple at && b instanceof Type.Tuple bt && !a.equals(b)) convertCopy(part, at, base, off + too.get(i), bt);
      else copyPlace(part, Math.min(a.size(), b.size()), base, off + too.get(i));
    }
  }

  private void storeString(TExpr e, Type.Str s, Reg base, int off) {
    switch (e) {
      case TExpr.ProbeFunction f -> context.function(probe, f, base, off);
      case TExpr.StrConst(String v, var type, var span) -> {
        byte[] bytes = Arrays.copyOf(v.getBytes(StandardCharsets.UTF_8), s.size());
        if (bytes.length > 0) bytes[bytes.length - 1] = 0;
        storeBytes(bytes, base, off);
      }
      case TExpr.BuiltinRef br when br.builtin() == jbpf.lang.builtins.Builtin.COMM -> {
        if (s.size() > 16) zero(base, off + 16, s.size() - 16);
        out.add(Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off), Alu.MOV.imm(R2, Math.min(16, s.size())), Insn.call(Helper.GET_CURRENT_COMM));
      }
      case TExpr.Cast(TExpr inner, var type, var span) when inner.type() instanceof Type.Str is -> {
        if (is.size() >= s.size()) {
          try (Held p = place(inner, base)) { copyPlace(p, s.size(), base, off); }
          out.add(Insn.st(Size.B, base, off + s.size() - 1, 0));
        } else {
          zero(base, off + is.size(), s.size() - is.size());
          store(inner, base, off);
        }
      }
      case TExpr.CtxField(Type.Field f, var type, var span) -> {
        zero(base, off, s.size());
        if (f.dataLoc()) {
          // __data_loc: u32 (length << 16 | offset) of the data within the record
          out.add(Insn.ldx(Size.W, R3, CTX, f.offset()), Alu.AND.imm(R3, 0xffff), Alu.ADD.reg(R3, CTX),
              Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off), Alu.MOV.imm(R2, s.size()), Insn.call(Helper.PROBE_READ_KERNEL_STR));
        } else {
          out.add(Alu.MOV.reg(R3, CTX), Alu.ADD.imm(R3, f.offset()), Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off),
              Alu.MOV.imm(R2, s.size()), Insn.call(Helper.PROBE_READ_KERNEL));
          out.add(Insn.st(Size.B, base, off + s.size() - 1, 0));
        }
      }
      default -> copyFrom(e, base, off, s.size());
    }
  }

  /** Stores a value that is not computed in a register: copies it from where it is. */
  private void copyFrom(TExpr e, Reg base, int off, int size) {
    switch (e) {
      case TExpr.Const c -> zero(base, off, size);
      case TExpr.Seq(List<TStmt> stmts, TExpr value, var t, var span) -> {
        for (TStmt s : stmts) stmt(s);
        store(value, base, off);
      }
      case TExpr.Ternary(TExpr cond, TExpr then, TExpr otherwise, var type, var span) -> {
        Label elseL = new Label("else"), end = new Label("end");
        jumpIf(cond, false, elseL);
        store(then, base, off);
        out.add(Insn.ja(end)).bind(elseL);
        store(otherwise, base, off);
        out.bind(end);
      }
      case TExpr.MapGet(MapInfo map, TExpr key, var type, var span) -> {
        Mem k = keyMem(map, key);
        Label missing = new Label("missing"), done = new Label("done");
        out.add(Insn.ldMap(R1, map.specName()));
        lea(R2, k);
        out.add(Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, missing));
        copy(R0, 0, base, off, size);
        out.add(Insn.ja(done)).bind(missing);
        zero(base, off, size);
        out.bind(done);
      }
      case TExpr.Cast(TExpr inner, Type to, var span) when to instanceof Type.Array && scalar(inner.type()) -> {
        try (Temp t = temp(base)) {
          into(inner, t.reg);
          storeReg(t.reg, base, off, to.size());
        }
      }
      case TExpr.Cast(TExpr inner, Type to, var span) when inner.type().size() == size -> store(inner, base, off);
      case TExpr.IndexOf(TExpr b, TExpr idx, Type t, var span) when !(idx instanceof TExpr.Const) && !remote(b) -> {
        // an element of a local array at a computed index; zeros when the index is out of bounds
        int length = b.type() instanceof Type.Array a ? a.length() : b.type().size();
        int esize = elementSize(b.type());
        Label oob = new Label("out_of_bounds"), done = new Label("done");
        try (Held h = place(b, base); Temp r = temp(base, h.base)) {
          into(idx, r.reg);
          out.add(Jmp.JGE.imm(r.reg, length, oob));
          if (esize != 1) out.add(Alu.MUL.imm(r.reg, esize));
          out.add(Alu.ADD.reg(r.reg, h.base));
          copy(r.reg, h.off, base, off, size);
          out.add(Insn.ja(done));
          out.bind(oob);
          zero(base, off, size);
          out.bind(done);
        }
      }
      default -> {
        if (!locatable(e)) throw new IllegalStateException("cannot store " + e.getClass().getSimpleName() + " of type " + e.type());
        try (Held p = place(e, base)) { copyPlace(p, size, base, off); }
      }
    }
  }

  void storeBytes(byte[] bytes, Reg base, int off) {
    ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length + 8)).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    while (i < bytes.length) {
      int s = chunk(off + i, bytes.length - i);
      switch (s) {
        case 8 -> {
          long w = b.getLong(i);
          if (w == (int) w) out.add(Insn.st(Size.DW, base, off + i, (int) w));
          else out.add(Insn.lddw(R1, w), Insn.stx(Size.DW, base, off + i, R1));
        }
        case 4 -> out.add(Insn.st(Size.W, base, off + i, b.getInt(i)));
        case 2 -> out.add(Insn.st(Size.H, base, off + i, b.getShort(i)));
        default -> out.add(Insn.st(Size.B, base, off + i, b.get(i)));
      }
      i += s;
    }
  }

  /** {@return the widest access (8, 4, 2, 1 bytes) that is aligned at {@code off} and fits in {@code left}} */
  private static int chunk(int off, int left) {
    for (int s = 8; s > 1; s >>= 1) if (left >= s && Math.floorMod(off, s) == 0) return s;
    return 1;
  }

  private static int chunk(int off1, int off2, int left) {
    for (int s = 8; s > 1; s >>= 1) if (left >= s && Math.floorMod(off1, s) == 0 && Math.floorMod(off2, s) == 0) return s;
    return 1;
  }

  void zero(int off, int size) { zero(R10, off, size); }

  void zero(Reg base, int off, int size) {
    int i = 0;
    while (i < size) {
      int s = chunk(off + i, size - i);
      out.add(Insn.st(Size.ofBytes(s), base, off + i, 0));
      i += s;
    }
  }

  /** Copies {@code size} bytes from {@code src + srcOff} to {@code dst + dstOff} through a scratch register. */
  void copy(Reg src, int srcOff, Reg dst, int dstOff, int size) {
    Reg scratch = src != R1 && dst != R1 ? R1 : src != R2 && dst != R2 ? R2 : R3;
    int i = 0;
    while (i < size) {
      int s = chunk(srcOff + i, dstOff + i, size - i);
      Size sz = Size.ofBytes(s);
      out.add(Insn.ldx(sz, scratch, src, srcOff + i), Insn.stx(sz, dst, dstOff + i, scratch));
      i += s;
    }
  }

  // ---- places: where a value's bytes are -----------------------------------------------------------------

  /** Where the bytes of a value are; closing gives back the registers that hold the address. */
  final class Held implements AutoCloseable {
    /** Directly readable memory (stack, scratch, a map value) at {@code base + off}. */
    static final int DIRECT = 0;
    /** Kernel memory at {@code base + off}, read with {@code probe_read_kernel}. */
    static final int KERNEL = 1;
    /** User memory at {@code base + off}, read with {@code probe_read_user}. */
    static final int USER = 2;
    /** The probe's context record at {@code off} from r6. */
    static final int CONTEXT = 3;

    final int kind;
    final Reg base;
    final int off;
    private final List<Temp> owned;

    Held(int kind, Reg base, int off, List<Temp> owned) {
      this.kind = kind;
      this.base = base;
      this.off = off;
      this.owned = owned;
    }

    Held plus(int n) { return new Held(kind, base, off + n, List.of()); }

    /** {@return whether a register holding the address was spilled to lend it, and is reloaded on closing} */
    boolean spilled() {
      for (Temp t : owned) if (t.spillSlot != 0) return true;
      return false;
    }

    Held owning(List<Temp> more) {
      List<Temp> all = new ArrayList<>(owned);
      all.addAll(more);
      return new Held(kind, base, off, all);
    }

    @Override public void close() { for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close(); }
  }

  /** {@return where the bytes of {@code e} are, computing them into a temporary when they are nowhere yet} */
  Held place(TExpr e, Reg... avoid) {
    switch (e) {
      case TExpr.VarRef(Variable v, var t, var span) -> {
        Addr a = varAddr(v, avoid);
        return new Held(Held.DIRECT, a.base, a.off, a.owned == null ? List.of() : List.of(a.owned));
      }
      case TExpr.Deref(TExpr p, var t, var span) -> {
        Temp r = temp(avoid);
        into(p, r.reg);
        boolean user = p.type() instanceof Type.Ptr ptr && ptr.user();
        return new Held(user ? Held.USER : Held.KERNEL, r.reg, 0, List.of(r));
      }
      case TExpr.FieldOf(TExpr b, Type.Field f, var t, var span) when f.bitWidth() == 0 -> {
        Held h = place(b, avoid);
        return new Held(h.kind, h.base, h.off + f.offset(), h.owned);
      }
      case TExpr.IndexOf(TExpr b, TExpr.Const(long i, var ct, var cs), Type t, var span) -> {
        Held h = place(b, avoid);
        return new Held(h.kind, h.base, h.off + (int) i * elementSize(b.type()), h.owned);
      }
      case TExpr.IndexOf(TExpr b, TExpr idx, Type t, var span) when !remote(b) -> {
        return materialize(e, avoid);
      }
      case TExpr.IndexOf(TExpr b, TExpr idx, Type t, var span) -> {
        // An element of an array in kernel or user memory: the address moves by index * size.
        Held h = place(b, avoid);
        List<Reg> no = new ArrayList<>(List.of(avoid));
        no.add(h.base);
        Temp r = temp(no.toArray(Reg[]::new));
        into(idx, r.reg);
        int size = elementSize(b.type());
        if (size != 1) out.add(Alu.MUL.imm(r.reg, size));
        out.add(Alu.ADD.reg(r.reg, h.base));
        return new Held(h.kind, r.reg, h.off, List.of()).owning(h.owned).owning(List.of(r));
      }
      case TExpr.TupleGet(TExpr tuple, int index, var t, var span) -> {
        Held h = place(tuple, avoid);
        return new Held(h.kind, h.base, h.off + ((Type.Tuple) tuple.type()).offsets().get(index), h.owned);
      }
      case TExpr.CtxField(Type.Field f, var t, var span) when !f.dataLoc() -> {
        return new Held(Held.CONTEXT, CTX, f.offset(), List.of());
      }
      case TExpr.Seq(List<TStmt> stmts, TExpr value, var t, var span) -> {
        for (TStmt s : stmts) stmt(s);
        return place(value, avoid);
      }
      default -> {
        return materialize(e, avoid);
      }
    }
  }

  private Held materialize(TExpr e, Reg... avoid) {
    Mem m = frame.allocMem(e.type().size());
    Addr a = addr(m, avoid);
    store(e, a.base, a.off);
    return new Held(Held.DIRECT, a.base, a.off, a.owned == null ? List.of() : List.of(a.owned));
  }

  /** {@return whether {@link #place} finds {@code e} in memory, or the memory of a value it contains, rather than storing it} */
  private static boolean locatable(TExpr e) {
    return switch (e) {
      case TExpr.VarRef v -> true;
      case TExpr.Deref d -> true;
      case TExpr.FieldOf f -> f.field().bitWidth() == 0;
      case TExpr.IndexOf i -> i.index() instanceof TExpr.Const || remote(i.base());
      case TExpr.TupleGet t -> true;
      case TExpr.CtxField f -> !f.field().dataLoc();
      case TExpr.Seq s -> true;
      default -> false;
    };
  }

  /** {@return whether a placeable {@code e} is in kernel or user memory} */
  private static boolean remote(TExpr e) {
    return switch (e) {
      case TExpr.Deref d -> true;
      case TExpr.FieldOf f -> remote(f.base());
      case TExpr.IndexOf i -> remote(i.base());
      case TExpr.TupleGet t -> remote(t.tuple());
      default -> false;
    };
  }

  private static int elementSize(Type t) {
    return switch (t) {
      case Type.Array a -> a.element().size();
      case Type.Str s -> 1;
      default -> throw new IllegalStateException("indexing " + t);
    };
  }

  /** Copies {@code size} bytes from place {@code p} to {@code dst + dstOff}. */
  void copyPlace(Held p, int size, Reg dst, int dstOff) {
    switch (p.kind) {
      case Held.DIRECT -> copy(p.base, p.off, dst, dstOff, size);
      case Held.KERNEL, Held.USER, Held.CONTEXT -> {
        out.add(Alu.MOV.reg(R3, p.base));
        if (p.off != 0) out.add(Alu.ADD.imm(R3, p.off));
        out.add(Alu.MOV.reg(R1, dst), Alu.ADD.imm(R1, dstOff), Alu.MOV.imm(R2, size),
            Insn.call(p.kind == Held.USER ? Helper.PROBE_READ_USER : Helper.PROBE_READ_KERNEL));
      }
      default -> throw new IllegalStateException("place kind " + p.kind);
    }
  }

  /**
   * Loads the scalar of type {@code t} at place {@code p} into {@code dst}, sign-extended if it is signed; a
   * bitfield ({@code field} with a width) is shifted out of the bytes that hold it.
   */
  private void load(Held p, Type t, Type.Field field, Reg dst) {
    boolean bits = field != null && field.bitWidth() > 0;
    int size = bits ? (field.bitOffset() + field.bitWidth() + 7) / 8 : scalarSize(t);
    boolean signed = Type.signed(t);
    switch (p.kind) {
      case Held.CONTEXT -> {
        if (!bits && p.off % size == 0) {
          out.add(Insn.ldx(Size.ofBytes(size), dst, CTX, p.off));
          if (signed && size < 8) signExtend(dst, size);
          return;
        }
        readRemote(p, size, dst);
      }
      case Held.DIRECT -> {
        if (!bits && Math.floorMod(p.off, size) == 0) {
          out.add(Insn.ldx(Size.ofBytes(size), dst, p.base, p.off));
          if (signed && size < 8) signExtend(dst, size);
          return;
        }
        // unaligned: assemble little-endian bytes
        out.add(Alu.MOV.imm(R1, 0));
        for (int i = size - 1; i >= 0; i--) {
          out.add(Alu.LSH.imm(R1, 8), Insn.ldx(Size.B, R2, p.base, p.off + i), Alu.OR.reg(R1, R2));
        }
        out.add(Alu.MOV.reg(dst, R1));
      }
      case Held.KERNEL, Held.USER -> readRemote(p, size, dst);
      default -> throw new IllegalStateException("place kind " + p.kind);
    }
    if (bits) {
      int up = 64 - field.bitOffset() - field.bitWidth();
      if (up > 0) out.add(Alu.LSH.imm(dst, up));
      out.add((signed ? Alu.ARSH : Alu.RSH).imm(dst, 64 - field.bitWidth()));
    } else if (signed && size < 8) {
      signExtend(dst, size);
    } else if (size < 8 && size != 1 && size != 2 && size != 4) {
      truncate(dst, size);
    }
  }

  /** {@code probe_read} of {@code size} (at most 8) bytes into a zeroed stack word, then into {@code dst}. */
  private void readRemote(Held p, int size, Reg dst) {
    int tmp = frame.alloc(8);
    if (size < 8) out.add(Insn.st(Size.DW, R10, tmp, 0));
    out.add(Alu.MOV.reg(R3, p.base));
    if (p.off != 0) out.add(Alu.ADD.imm(R3, p.off));
    out.add(Alu.MOV.reg(R1, R10), Alu.ADD.imm(R1, tmp), Alu.MOV.imm(R2, size),
        Insn.call(p.kind == Held.USER ? Helper.PROBE_READ_USER : Helper.PROBE_READ_KERNEL),
        Insn.ldx(size == 1 || size == 2 || size == 4 ? Size.ofBytes(size) : Size.DW, dst, R10, tmp));
  }

  // ---- scalar expressions --------------------------------------------------------------------------------

  /** Computes scalar {@code e} into pool register {@code dst}, clobbering r0–r5 and nothing else. */
  void into(TExpr e, Reg dst) {
    switch (e) {
      case TExpr.Const(long v, var t, var span) -> loadConst(dst, v);
      case TExpr.StrConst s -> throw new IllegalStateException("string in a scalar context");
      case TExpr.ProbeFunction f -> throw new IllegalStateException("string in a scalar context");
      case TExpr.BuiltinRef(var b, var t, var span) -> builtins.builtin(b, dst);
      case TExpr.CtxField(Type.Field f, Type t, var span) -> {
        if (t instanceof Type.Array || t instanceof Type.Record || t instanceof Type.Str) throw new IllegalStateException("ctx field of type " + t + " in a scalar context");
        int bytes = t.size();
        out.add(Insn.ldx(Size.ofBytes(bytes), dst, CTX, f.offset()));
        if (t instanceof Type.Int i && i.signed() && bytes < 8) signExtend(dst, bytes);
      }
      case TExpr.CtxMemory m -> context.memory(m, dst);
      case TExpr.VarRef(Variable v, Type t, var span) -> {
        if (!scalar(t)) throw new IllegalStateException("variable of type " + t + " in a scalar context");
        Mem m = varMem(v);
        int size = scalarSize(t);
        if (fn.unit.loopWritten.contains(v)) {
          laundered(v, size, dst);
        } else if (!m.scratch() && !fn.callback()) {
          out.add(Insn.ldx(Size.ofBytes(size), dst, R10, m.off()));
        } else {
          // the address into dst itself, then the value
          if (m.scratch()) loadScratch(dst);
          else out.add(Insn.ldx(Size.DW, dst, R10, OUTER_SLOT));
          out.add(Insn.ldx(Size.ofBytes(size), dst, dst, m.scratch() ? m.off() : m.off() - fn.unit.base));
        }
        if (Type.signed(t) && size < 8) signExtend(dst, size);
      }
      case TExpr.MapGet(MapInfo map, TExpr key, Type t, var span) when map.agg() != null -> aggregates.read(map, key, dst);
      case TExpr.MapGet(MapInfo map, TExpr key, Type t, var span) -> {
        int mark = frame.mark();
        Mem k = keyMem(map, key);
        Label missing = new Label("missing"), done = new Label("done");
        out.add(Insn.ldMap(R1, map.specName()));
        lea(R2, k);
        out.add(Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, missing), Insn.ldx(Size.DW, dst, R0, 0), Insn.ja(done));
        out.bind(missing).add(Alu.MOV.imm(dst, 0));
        out.bind(done);
        frame.release(mark);
      }
      case TExpr.Binary b when b.op().isComparison() || b.op().isLogical() -> {
        Label yes = new Label("true"), done = new Label("done");
        jumpIf(b, true, yes);
        out.add(Alu.MOV.imm(dst, 0), Insn.ja(done));
        out.bind(yes).add(Alu.MOV.imm(dst, 1));
        out.bind(done);
      }
      case TExpr.Binary b -> arith(b, dst);
      case TExpr.Unary(UnOp op, TExpr operand, var t, var span) -> {
        switch (op) {
          case NEG -> { into(operand, dst); out.add(Alu.NEG.imm(dst, 0)); }
          case BNOT -> { into(operand, dst); out.add(Alu.XOR.imm(dst, -1)); }
          case LNOT -> {
            Label yes = new Label("true"), done = new Label("done");
            jumpIf(operand, false, yes);
            out.add(Alu.MOV.imm(dst, 0), Insn.ja(done));
            out.bind(yes).add(Alu.MOV.imm(dst, 1));
            out.bind(done);
          }
          case DEREF, ADDR -> throw new IllegalStateException(op + " reached code generation as a unary operator");
        }
      }
      case TExpr.Ternary(TExpr cond, TExpr then, TExpr otherwise, var t, var span) -> {
        Label elseL = new Label("else"), done = new Label("done");
        jumpIf(cond, false, elseL);
        into(then, dst);
        out.add(Insn.ja(done)).bind(elseL);
        into(otherwise, dst);
        out.bind(done);
      }
      case TExpr.Cast(TExpr operand, Type t, var span) -> cast(operand, t, dst);
      case TExpr.TupleOf t -> throw new IllegalStateException("tuple in a scalar context");
      case TExpr.TupleGet(TExpr tuple, int index, Type t, var span) -> {
        int mark = frame.mark();
        try (Held h = place(tuple, dst)) {
          load(h.plus(((Type.Tuple) tuple.type()).offsets().get(index)), t, null, dst);
        }
        frame.release(mark);
      }
      case TExpr.Update u -> update(u, dst);
      case TExpr.Deref(TExpr p, Type t, var span) -> {
        into(p, dst);
        boolean user = p.type() instanceof Type.Ptr ptr && ptr.user();
        int mark = frame.mark();
        load(new Held(user ? Held.USER : Held.KERNEL, dst, 0, List.of()), t, null, dst);
        frame.release(mark);
      }
      case TExpr.FieldOf(TExpr base, Type.Field f, Type t, var span) -> {
        int mark = frame.mark();
        if (base instanceof TExpr.Deref(TExpr p, var bt, var bs)) {
          // p->f: the address into dst, then only the field's bytes
          into(p, dst);
          boolean user = p.type() instanceof Type.Ptr ptr && ptr.user();
          load(new Held(user ? Held.USER : Held.KERNEL, dst, f.offset(), List.of()), t, f, dst);
        } else {
          try (Held h = place(base, dst)) { load(h.plus(f.offset()), t, f, dst); }
        }
        frame.release(mark);
      }
      case TExpr.IndexOf(TExpr base, TExpr idx, Type t, var span) -> index(base, idx, t, dst);
      case TExpr.AddrOf(TExpr place, Type t, var span) -> address(place, dst);
      case TExpr.Seq(List<TStmt> stmts, TExpr value, var t, var span) -> {
        for (TStmt s : stmts) stmt(s);
        out.at(span);
        into(value, dst);
      }
      case TExpr.CallFn c -> {
        callFunction(c);
        out.add(Alu.MOV.reg(dst, R0));
      }
      case TExpr.MapCall c -> aggregates.mapCall(c, dst);
      case TExpr.Call c -> calls.into(c, dst);
    }
  }

  /**
   * Reads a variable that a loop body assigns through {@code probe_read_kernel}, so that the verifier sees a value
   * it knows nothing about. It verifies a loop callback until its states repeat; a counter the callback increments
   * ({@code $n++}) and a branch then compares would otherwise be tracked exactly, every iteration a new state, until
   * the verifier gives up with "BPF program is too large".
   */
  private void laundered(Variable v, int size, Reg dst) {
    int tmp = frame.alloc(8);
    leaVar(R3, v);
    out.add(Alu.MOV.reg(R1, R10), Alu.ADD.imm(R1, tmp), Alu.MOV.imm(R2, size), Insn.call(Helper.PROBE_READ_KERNEL),
        Insn.ldx(Size.ofBytes(size), dst, R10, tmp));
  }

  private void cast(TExpr operand, Type t, Reg dst) {
    switch (t) {
      case Type.Bool b -> {
        into(operand, dst);
        Label zero = new Label("false");
        out.add(Jmp.JEQ.imm(dst, 0, zero), Alu.MOV.imm(dst, 1));
        out.bind(zero);
      }
      case Type.Int i when operand.type() instanceof Type.Array -> {
        int mark = frame.mark();
        try (Held h = place(operand, dst)) { load(h, t, null, dst); }
        frame.release(mark);
      }
      case Type.Int i -> {
        into(operand, dst);
        Type from = operand.type();
        boolean narrower = i.bytes() < 8 && !(from instanceof Type.Int fi && fi.bytes() <= i.bytes() && fi.signed() == i.signed());
        if (narrower) {
          truncate(dst, i.bytes());
          if (i.signed()) signExtend(dst, i.bytes());
        }
      }
      default -> into(operand, dst);
    }
  }

  /** {@code base[idx]} of a scalar element; 0 when the index is out of bounds. */
  private void index(TExpr base, TExpr idx, Type t, Reg dst) {
    int mark = frame.mark();
    int size = elementSize(base.type());
    if (idx instanceof TExpr.Const(long i, var ct, var cs)) {
      try (Held h = place(base, dst)) { load(h.plus((int) i * size), t, null, dst); }
      frame.release(mark);
      return;
    }
    int length = base.type() instanceof Type.Array a ? a.length() : base.type().size();
    Label oob = new Label("out_of_bounds"), done = new Label("done");
    try (Held h = place(base, dst); Temp r = temp(dst, h.base)) {
      into(idx, r.reg);
      if (length > 0) out.add(Jmp.JGE.imm(r.reg, length, oob));
      if (size != 1) out.add(Alu.MUL.imm(r.reg, size));
      out.add(Alu.ADD.reg(r.reg, h.base));
      load(new Held(h.kind, r.reg, h.off, List.of()), t, null, dst);
      out.add(Insn.ja(done));
      out.bind(oob).add(Alu.MOV.imm(dst, 0));
      out.bind(done);
    }
    frame.release(mark);
  }

  /** {@code &place}: the address of bytes in kernel or user memory. */
  private void address(TExpr place, Reg dst) {
    switch (place) {
      case TExpr.Deref(TExpr p, var t, var span) -> into(p, dst);
      case TExpr.FieldOf(TExpr b, Type.Field f, var t, var span) -> {
        address(b, dst);
        if (f.offset() != 0) out.add(Alu.ADD.imm(dst, f.offset()));
      }
      case TExpr.IndexOf(TExpr b, TExpr idx, var t, var span) -> {
        address(b, dst);
        int size = elementSize(b.type());
        if (idx instanceof TExpr.Const(long i, var ct, var cs)) {
          if (i != 0) out.add(Alu.ADD.imm(dst, (int) i * size));
        } else {
          try (Temp r = temp(dst)) {
            into(idx, r.reg);
            if (size != 1) out.add(Alu.MUL.imm(r.reg, size));
            out.add(Alu.ADD.reg(dst, r.reg));
          }
        }
      }
      default -> throw new IllegalStateException("address of " + place.getClass().getSimpleName());
    }
  }

  void loadConst(Reg dst, long v) {
    if (v == (int) v) out.add(Alu.MOV.imm(dst, (int) v));
    else if (v >= 0 && v <= 0xffff_ffffL) out.add(Alu.MOV.imm32(dst, (int) v));
    else out.add(Insn.lddw(dst, v));
  }

  void truncate(Reg r, int bytes) {
    switch (bytes) {
      case 4 -> out.add(Alu.MOV.reg32(r, r));
      case 2 -> out.add(Alu.AND.imm(r, 0xffff));
      case 1 -> out.add(Alu.AND.imm(r, 0xff));
      case 8 -> {}
      default -> out.add(Alu.LSH.imm(r, 64 - bytes * 8), Alu.RSH.imm(r, 64 - bytes * 8));
    }
  }

  void signExtend(Reg r, int bytes) {
    int shift = 64 - bytes * 8;
    out.add(Alu.LSH.imm(r, shift), Alu.ARSH.imm(r, shift));
  }

  /** {@code dst = left op right} for arithmetic and bitwise operators. */
  private void arith(TExpr.Binary b, Reg dst) {
    boolean signed = Type.signedPair(b.left().type(), b.right().type());
    into(b.left(), dst);
    if (b.right() instanceof TExpr.Const(long v, var t, var span) && v == (int) v && !(signed && (b.op() == BinOp.DIV || b.op() == BinOp.MOD))) {
      arithImm(b.op(), signed, dst, v);
      return;
    }
    try (Temp r = temp(dst)) {
      into(b.right(), r.reg);
      arithRegs(b.op(), signed, dst, r.reg);
    }
  }

  private void arithImm(BinOp op, boolean signed, Reg dst, long v) {
    switch (op) {
      case SHL, SHR -> out.add(alu(op, signed).imm(dst, (int) (v & 63)));
      case DIV -> {
        // BPF divides by zero to 0, and the verifier refuses a division by the constant 0
        if (v == 0) out.add(Alu.MOV.imm(dst, 0));
        else out.add(Alu.DIV.imm(dst, (int) v));
      }
      case MOD -> {
        if (v == 0) out.add(Alu.MOV.imm(dst, 0));
        else out.add(Alu.MOD.imm(dst, (int) v));
      }
      default -> out.add(alu(op, signed).imm(dst, (int) v));
    }
  }

  /**
   * {@code l = l op r}, clobbering r1 and r2 for signed division. A remainder by zero is 0, as in bpftrace (BPF
   * itself leaves the dividend): {@code l %= r; if r != 0 goto ok; l = 0; ok:}.
   */
  private void arithRegs(BinOp op, boolean signed, Reg l, Reg r) {
    if (signed && (op == BinOp.DIV || op == BinOp.MOD)) signedDivide(op, l, r);
    else out.add(alu(op, signed).reg(l, r));
    if (op == BinOp.MOD) {
      Label ok = new Label("mod_ok");
      out.add(Jmp.JNE.imm(r, 0, ok), Alu.MOV.imm(l, 0));
      out.bind(ok);
    }
  }

  /**
   * Signed division and remainder, truncating toward zero as C does, from unsigned operations:
   * divide the magnitudes, then give the quotient the sign of (left ^ right) and the remainder that of left.
   */
  private void signedDivide(BinOp op, Reg l, Reg r) {
    Label lpos = new Label("lpos"), rpos = new Label("rpos"), done = new Label("done");
    // r1 = sign of the result (1 if negative)
    if (op == BinOp.DIV) out.add(Alu.MOV.reg(R1, l), Alu.XOR.reg(R1, r), Alu.RSH.imm(R1, 63));
    else out.add(Alu.MOV.reg(R1, l), Alu.RSH.imm(R1, 63));
    out.add(Jmp.JSGE.imm(l, 0, lpos), Alu.NEG.imm(l, 0)).bind(lpos);
    out.add(Alu.MOV.reg(R2, r), Jmp.JSGE.imm(R2, 0, rpos), Alu.NEG.imm(R2, 0)).bind(rpos);
    out.add(op == BinOp.DIV ? Alu.DIV.reg(l, R2) : Alu.MOD.reg(l, R2), Jmp.JEQ.imm(R1, 0, done), Alu.NEG.imm(l, 0)).bind(done);
  }

  private static Alu alu(BinOp op, boolean signed) {
    return switch (op) {
      case ADD -> Alu.ADD; case SUB -> Alu.SUB; case MUL -> Alu.MUL; case DIV -> Alu.DIV; case MOD -> Alu.MOD;
      case BAND -> Alu.AND; case BOR -> Alu.OR; case BXOR -> Alu.XOR; case SHL -> Alu.LSH;
      case SHR -> signed ? Alu.ARSH : Alu.RSH;
      default -> throw new IllegalStateException(op + " is not arithmetic");
    };
  }

  private void update(TExpr.Update u, Reg dst) {
    int delta = u.increment() ? 1 : -1;
    if (u.type() instanceof Type.Ptr p && !(p.pointee() instanceof Type.Void)) delta *= p.pointee().size();
    switch (u.target()) {
      case TExpr.VarRef(Variable v, var t, var span) -> {
        into(u.target(), dst);
        try (Temp n = temp(dst)) {
          out.add(Alu.MOV.reg(n.reg, dst), Alu.ADD.imm(n.reg, delta));
          int size = scalarSize(t);
          try (Addr a = varAddr(v, dst, n.reg)) { out.add(Insn.stx(Size.ofBytes(size), a.base, a.off, n.reg)); }
          if (u.prefix()) {
            out.add(Alu.MOV.reg(dst, n.reg));
            if (Type.signed(t) && size < 8) signExtend(dst, size);
            else if (size < 8) truncate(dst, size);
          }
        }
      }
      case TExpr.MapGet(MapInfo map, TExpr key, var t, var span) -> {
        // In place when present: r0 = lookup; dst = *r0; *r0 = dst + delta. Otherwise insert delta.
        int mark = frame.mark();
        Mem k = keyMem(map, key);
        Label missing = new Label("missing"), done = new Label("done");
        out.add(Insn.ldMap(R1, map.specName()));
        lea(R2, k);
        out.add(Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, missing),
            Insn.ldx(Size.DW, dst, R0, 0), Alu.MOV.reg(R1, dst), Alu.ADD.imm(R1, delta), Insn.stx(Size.DW, R0, 0, R1), Insn.ja(done));
        out.bind(missing).add(Alu.MOV.imm(dst, 0));
        Mem val = frame.allocMem(8);
        try (Addr a = addr(val, dst)) { out.add(Insn.st(Size.DW, a.base, a.off, delta)); }
        mapUpdate(map, k, val);
        out.bind(done);
        if (u.prefix()) out.add(Alu.ADD.imm(dst, delta));
        frame.release(mark);
      }
      default -> throw new IllegalStateException("++/-- of " + u.target());
    }
  }

  // ---- conditions ----------------------------------------------------------------------------------------

  /** Jumps to {@code target} when {@code e} is true ({@code sense}) or false ({@code !sense}); falls through otherwise. */
  void jumpIf(TExpr e, boolean sense, Label target) {
    switch (e) {
      case TExpr.Const(long v, var t, var span) -> { if ((v != 0) == sense) out.add(Insn.ja(target)); }
      case TExpr.Unary(UnOp op, TExpr operand, var t, var span) when op == UnOp.LNOT -> jumpIf(operand, !sense, target);
      case TExpr.Binary(BinOp op, TExpr l, TExpr r, var t, var span) when op == BinOp.LAND -> {
        if (sense) {
          Label skip = new Label("and");
          jumpIf(l, false, skip);
          jumpIf(r, true, target);
          out.bind(skip);
        } else {
          jumpIf(l, false, target);
          jumpIf(r, false, target);
        }
      }
      case TExpr.Binary(BinOp op, TExpr l, TExpr r, var t, var span) when op == BinOp.LOR -> {
        if (sense) {
          jumpIf(l, true, target);
          jumpIf(r, true, target);
        } else {
          Label skip = new Label("or");
          jumpIf(l, true, skip);
          jumpIf(r, false, target);
          out.bind(skip);
        }
      }
      case TExpr.Binary(BinOp op, TExpr l, TExpr r, var t, var span) when op.isComparison() && l.type() instanceof Type.Str -> {
        stringEquals(l, r, (op == BinOp.EQ) == sense, target);
      }
      case TExpr.Binary(BinOp cmp, TExpr left, TExpr right, var t, var span) when cmp.isComparison() -> {
        boolean signed = Type.signedPair(left.type(), right.type());
        // 5 < x is x > 5: the constant goes to the immediate
        boolean flip = left instanceof TExpr.Const && !(right instanceof TExpr.Const);
        TExpr l = flip ? right : left, r = flip ? left : right;
        BinOp op = flip ? swap(cmp) : cmp;
        Jmp j = jmp(op, signed);
        if (!sense) j = j.negate();
        try (Temp a = temp()) {
          into(l, a.reg);
          if (r instanceof TExpr.Const(long v, var ct, var sp) && v == (int) v) {
            jump(j, a.reg, null, (int) v, target, a);
          } else {
            try (Temp b = temp(a.reg)) {
              into(r, b.reg);
              jump(j, a.reg, b.reg, 0, target, b, a);
            }
          }
        }
      }
      case TExpr.Seq(List<TStmt> stmts, TExpr value, var t, var span) -> {
        for (TStmt s : stmts) stmt(s);
        out.at(span);
        jumpIf(value, sense, target);
      }
      default -> {
        try (Temp a = temp()) {
          into(e, a.reg);
          jump(sense ? Jmp.JNE : Jmp.JEQ, a.reg, null, 0, target, a);
        }
      }
    }
  }

  /**
   * {@code if l j r goto target} (or the immediate {@code imm} when {@code r} is null), emitted while {@code open}
   * temps are lent out. A spilled temp gets its register back only where it is closed, which the taken jump would
   * skip, so then the jump goes round: {@code if !(l j r) goto skip; reload the spilled registers; goto target; skip:}.
   */
  private void jump(Jmp j, Reg l, Reg r, int imm, Label target, Temp... open) {
    boolean spilled = false;
    for (Temp t : open) spilled |= t.spillSlot != 0;
    if (!spilled) {
      out.add(r == null ? j.imm(l, imm, target) : j.reg(l, r, target));
      return;
    }
    Label skip = new Label("no_jump");
    Jmp not = j.negate();
    out.add(r == null ? not.imm(l, imm, skip) : not.reg(l, r, skip));
    for (Temp t : open) if (t.spillSlot != 0) out.add(Insn.ldx(Size.DW, t.reg, R10, t.spillSlot));
    out.add(Insn.ja(target)).bind(skip);
  }

  private static BinOp swap(BinOp op) {
    return switch (op) {
      case LT -> BinOp.GT; case GT -> BinOp.LT; case LE -> BinOp.GE; case GE -> BinOp.LE;
      default -> op;
    };
  }

  private static Jmp jmp(BinOp op, boolean signed) {
    return switch (op) {
      case EQ -> Jmp.JEQ; case NE -> Jmp.JNE;
      case LT -> signed ? Jmp.JSLT : Jmp.JLT; case LE -> signed ? Jmp.JSLE : Jmp.JLE;
      case GT -> signed ? Jmp.JSGT : Jmp.JGT; case GE -> signed ? Jmp.JSGE : Jmp.JGE;
      default -> throw new IllegalStateException(op + " is not a comparison");
    };
  }

  /**
   * Jumps to {@code target} if the strings are equal ({@code whenEqual}) or differ. Compares byte by byte up
   * to the first NUL, as C's strcmp; against a literal, compares with immediates.
   */
  private void stringEquals(TExpr l, TExpr r, boolean whenEqual, Label target) {
    if (l instanceof TExpr.StrConst && !(r instanceof TExpr.StrConst)) { TExpr x = l; l = r; r = x; }
    int mark = frame.mark();
    Label differ = new Label("strne"), equal = new Label("streq");
    boolean viaR1;
    try (Held a = direct(l); Held b = r instanceof TExpr.StrConst ? null : direct(r, a.base)) {
      // Jumps may leave while registers are lent out for the addresses only if none was spilled to lend it;
      // otherwise the outcome goes to r1, which survives giving them back, and decides the jump after.
      viaR1 = a.spilled() || (b != null && b.spilled());
      if (b == null) {
        byte[] bytes = ((TExpr.StrConst) r).value().getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length + 1, l.type().size());
        for (int i = 0; i < n; i++) {
          int c = i < bytes.length ? bytes[i] & 0xff : 0;
          out.add(Insn.ldx(Size.B, R1, a.base, a.off + i), Jmp.JNE.imm(R1, c, differ));
        }
        // a string that fills its buffer without a NUL ends there
      } else {
        int n = Math.min(l.type().size(), r.type().size());
        for (int i = 0; i < n; i++) {
          out.add(Insn.ldx(Size.B, R1, a.base, a.off + i), Insn.ldx(Size.B, R2, b.base, b.off + i), Jmp.JNE.reg(R1, R2, differ),
              Jmp.JEQ.imm(R1, 0, equal));
        }
        if (l.type().size() != r.type().size()) {
          // the longer one must end where the shorter one's buffer does
          Held longer = l.type().size() > r.type().size() ? a : b;
          out.add(Insn.ldx(Size.B, R1, longer.base, longer.off + n), Jmp.JNE.imm(R1, 0, differ));
        }
      }
      if (viaR1) {
        Label join = new Label("strcmp");
        out.bind(equal).add(Alu.MOV.imm(R1, 1), Insn.ja(join));
        out.bind(differ).add(Alu.MOV.imm(R1, 0));
        out.bind(join);
      }
    }
    if (viaR1) {
      out.add((whenEqual ? Jmp.JNE : Jmp.JEQ).imm(R1, 0, target));
    } else {
      out.bind(equal);
      if (whenEqual) {
        out.add(Insn.ja(target));
        out.bind(differ);
      } else {
        Label end = new Label("strend");
        out.add(Insn.ja(end));
        out.bind(differ).add(Insn.ja(target));
        out.bind(end);
      }
    }
    frame.release(mark);
  }

  /** {@return the bytes of {@code e} in memory the program reads directly, copied there if they are elsewhere} */
  Held direct(TExpr e, Reg... avoid) {
    Held h = place(e, avoid);
    if (h.kind == Held.DIRECT) return h;
    Mem m = frame.allocMem(e.type().size());
    List<Reg> no = new ArrayList<>(List.of(avoid));
    no.add(h.base);
    Addr a = addr(m, no.toArray(Reg[]::new));
    copyPlace(h, e.type().size(), a.base, a.off);
    h.close();
    return new Held(Held.DIRECT, a.base, a.off, a.owned == null ? List.of() : List.of(a.owned));
  }
}
