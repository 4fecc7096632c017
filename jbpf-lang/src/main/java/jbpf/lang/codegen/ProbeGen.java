package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
import jbpf.lang.typed.AsyncEvent;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.TypedProgram.TProbe;
import jbpf.lang.typed.Variable;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;

/**
 * Generates the program of one probe.
 *
 * <p>Registers: r6 holds the context for the whole program; r7–r9 hold expression values, which survive
 * helper calls; r0–r5 are scratch and carry helper arguments. When all of r7–r9 are taken, one is spilled
 * to the stack around the code that needs it. Strings, tuples, keys and events live on the stack.
 */
final class ProbeGen {
  static final Reg CTX = R6;
  private static final List<Reg> POOL = List.of(R7, R8, R9);

  private final TProbe probe;
  private final AggregateGen aggregates = new AggregateGen(this);
  private final BuiltinGen builtins = new BuiltinGen(this);
  private final ContextGen context = new ContextGen(this);
  final ProbeInfo info;
  final InsnList out = new InsnList();
  final Frame frame = new Frame();
  private final Map<Variable, Integer> varSlots = new IdentityHashMap<>();
  private final Deque<Reg> free = new ArrayDeque<>(POOL);
  private final Label exit = new Label("exit");
  private final Deque<Label[]> loops = new ArrayDeque<>();

  /**
   * What the generator needs to know about where the program runs.
   *
   * @param probeIndex the value of {@code probe} when it is a constant, or -1 to read the attach cookie
   * @param mapIndex the index of each user map in the map-errors array
   */
  record ProbeInfo(long probeIndex, Map<String, Integer> mapIndex) {}

  ProbeGen(TProbe probe, ProbeInfo info) {
    this.probe = probe;
    this.info = info;
  }

  Bytecode generate() {
    // Variables live for the whole probe, below everything else on the stack.
    collectVariables(probe.body());
    out.add(Alu.MOV.reg(CTX, R1));
    if (probe.predicate() != null) {
      out.at(probe.predicate().span());
      jumpIf(probe.predicate(), false, exit);
    }
    stmt(probe.body());
    out.at(null).bind(exit).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return Peephole.optimize(out).resolve();
  }

  private void collectVariables(TStmt s) {
    switch (s) {
      case TStmt.Block b -> b.stmts().forEach(this::collectVariables);
      case TStmt.VarStore vs -> varSlots.computeIfAbsent(vs.var(), v -> frame.alloc(v.type().size()));
      case TStmt.If i -> { collectVariables(i.then()); if (i.otherwise() != null) collectVariables(i.otherwise()); }
      case TStmt.While w -> collectVariables(w.body());
      case TStmt.Eval e -> {}
      case TStmt.MapStore m -> {}
      case TStmt.Aggregate a -> {}
      case TStmt.MapDelete d -> {}
      case TStmt.Break b -> {}
      case TStmt.Continue c -> {}
      case TStmt.Return r -> {}
      case TStmt.Emit e -> {}
    }
  }

  // ---- registers -----------------------------------------------------------------------------------------

  /** A pool register lent to a piece of code; {@link #close()} gives it back, reloading a spilled value. */
  final class Temp implements AutoCloseable {
    final Reg reg;
    final int spillSlot;  // 0 if the register was free

    Temp(Reg reg, int spillSlot) {
      this.reg = reg;
      this.spillSlot = spillSlot;
    }

    @Override public void close() {
      if (spillSlot == 0) free.push(reg);
      else out.add(Insn.ldx(Size.DW, reg, R10, spillSlot));
    }
  }

  /** {@return a pool register other than those in {@code avoid}, spilling one if none is free} */
  Temp temp(Reg... avoid) {
    for (Reg r : free) {
      if (!List.of(avoid).contains(r)) {
        free.remove(r);
        return new Temp(r, 0);
      }
    }
    for (Reg r : POOL) {
      if (List.of(avoid).contains(r)) continue;
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
      case TStmt.Eval(TExpr e, var span) -> {
        try (Temp t = temp()) { into(e, t.reg); }
      }
      case TStmt.VarStore(Variable v, TExpr value, var span) -> store(value, R10, varSlots.get(v));
      case TStmt.MapStore(MapInfo map, TExpr key, TExpr value, var span) -> {
        int k = key(map, key);
        int val = frame.alloc(map.value().size());
        store(value, R10, val);
        mapUpdate(map, k, val);
      }
      case TStmt.Aggregate a -> aggregates.aggregate(a);
      case TStmt.MapDelete(MapInfo map, TExpr key, var span) -> {
        int k = key(map, key);
        out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, k), Insn.call(Helper.MAP_DELETE_ELEM));
      }
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
      case TStmt.While(TExpr cond, TStmt body, var span) -> {
        Label top = new Label("while"), end = new Label("endwhile");
        out.bind(top);
        jumpIf(cond, false, end);
        loops.push(new Label[] {top, end});
        stmt(body);
        loops.pop();
        out.add(Insn.ja(top)).bind(end);
      }
      case TStmt.Break b -> out.add(Insn.ja(loops.peek()[1]));
      case TStmt.Continue c -> out.add(Insn.ja(loops.peek()[0]));
      case TStmt.Return r -> out.add(Insn.ja(exit));
      case TStmt.Emit e -> emit(e);
    }
    frame.release(mark);
  }

  /** {@code r1 = map; r2 = &key; r3 = &value; r4 = BPF_ANY; call map_update_elem}, counting failures. */
  void mapUpdate(MapInfo map, int keySlot, int valueSlot) {
    out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, keySlot),
        Alu.MOV.reg(R3, R10), Alu.ADD.imm(R3, valueSlot), Alu.MOV.imm(R4, 0), Insn.call(Helper.MAP_UPDATE_ELEM));
    countFailure(CompiledScript.ERRORS_MAP, info.mapIndex().getOrDefault(map.specName(), 0));
  }

  /** After a helper call: if r0 is non-zero, adds one to this CPU's counter {@code index} of {@code counters}. */
  void countFailure(String counters, int index) {
    Label ok = new Label("ok");
    int slot = frame.alloc(8);
    out.add(Jmp.JEQ.imm(R0, 0, ok), Insn.st(Size.W, R10, slot, index), Insn.ldMap(R1, counters),
        Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, slot), Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, ok),
        Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 0, R1));
    out.bind(ok);
  }

  /** Sends an event to userspace: builds {@code (u64 id, payload)} on the stack and outputs it to the ring buffer. */
  private void emit(TStmt.Emit e) {
    AsyncEvent ev = e.event();
    Type.Tuple payload = ev.payload();
    int size = 8 + payload.size();
    int base = frame.alloc(size);
    out.add(Insn.st(Size.DW, R10, base, ev.id()));
    List<Integer> offsets = payload.offsets();
    if (hasPadding(payload)) zero(base + 8, payload.size());
    for (int i = 0; i < e.args().size(); i++) store(e.args().get(i), R10, base + 8 + offsets.get(i));
    out.add(Insn.ldMap(R1, CompiledScript.EVENTS_MAP), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, base),
        Alu.MOV.imm(R3, size), Alu.MOV.imm(R4, 0), Insn.call(Helper.RINGBUF_OUTPUT));
    countFailure(CompiledScript.LOST_MAP, 0);
  }

  // ---- keys and stored values ----------------------------------------------------------------------------

  /** {@return the stack slot of {@code key} laid out as {@code map}'s key; a map without keys uses key 0} */
  int key(MapInfo map, TExpr key) {
    int k = frame.alloc(map.keySize());
    if (key == null) out.add(Insn.st(Size.DW, R10, k, 0));
    else storeKey(map, key, k);
    return k;
  }

  void storeKey(MapInfo map, TExpr key, int slot) {
    int pad = map.keySize() - key.type().size();
    if (hasPadding(key.type()) || pad > 0) zero(slot, map.keySize());
    store(key, R10, slot);
  }

  private static boolean hasPadding(Type t) {
    if (t instanceof Type.Tuple tt) {
      int off = 0;
      List<Integer> offs = tt.offsets();
      for (int i = 0; i < tt.elements().size(); i++) {
        if (offs.get(i) != off) return true;
        if (hasPadding(tt.elements().get(i))) return true;
        off = offs.get(i) + tt.elements().get(i).size();
      }
      return off != tt.size();
    }
    return false;
  }

  /** Writes the value of {@code e}, laid out as {@code e.type()}, at {@code base + off}. */
  void store(TExpr e, Reg base, int off) {
    Type t = e.type();
    switch (t) {
      case Type.Int i -> storeScalar(e, base, off, Size.ofBytes(i.bytes()));
      case Type.Bool b -> storeScalar(e, base, off, Size.B);
      case Type.Probe p -> storeScalar(e, base, off, Size.DW);
      case Type.Ptr p -> storeScalar(e, base, off, Size.DW);
      case Type.Str s -> storeString(e, s, base, off);
      case Type.Tuple tt -> storeTuple(e, tt, base, off);
      default -> throw new IllegalStateException("cannot store a value of type " + t);
    }
  }

  private void storeScalar(TExpr e, Reg base, int off, Size size) {
    if (e instanceof TExpr.Const(long v, Type ct, var sp) && v == (int) v) {
      out.add(Insn.st(size, base, off, (int) v));
      return;
    }
    try (Temp t = temp(base)) {
      into(e, t.reg);
      out.add(Insn.stx(size, base, off, t.reg));
    }
  }

  private void storeTuple(TExpr e, Type.Tuple tt, Reg base, int off) {
    List<Integer> offs = tt.offsets();
    switch (e) {
      case TExpr.TupleOf(List<TExpr> elements, var type, var span) -> {
        for (int i = 0; i < elements.size(); i++) store(elements.get(i), base, off + offs.get(i));
      }
      default -> copyFrom(e, base, off, tt.size());
    }
  }

  private void storeString(TExpr e, Type.Str s, Reg base, int off) {
    switch (e) {
      case TExpr.ProbeFunction f -> context.function(probe, f, base, off);
      case TExpr.StrConst(String v, var type, var span) -> {
        byte[] bytes = java.util.Arrays.copyOf(v.getBytes(StandardCharsets.UTF_8), s.size());
        if (bytes.length > 0) bytes[bytes.length - 1] = 0;
        storeBytes(bytes, base, off);
      }
      case TExpr.BuiltinRef br when br.builtin() == jbpf.lang.builtins.Builtin.COMM -> {
        if (s.size() > 16) zero(base, off + 16, s.size() - 16);
        out.add(Alu.MOV.reg(R1, base), Alu.ADD.imm(R1, off), Alu.MOV.imm(R2, Math.min(16, s.size())), Insn.call(Helper.GET_CURRENT_COMM));
      }
      case TExpr.Cast(TExpr inner, var type, var span) when inner.type() instanceof Type.Str is -> {
        if (is.size() >= s.size()) {
          int tmp = frame.alloc(is.size());
          store(inner, R10, tmp);
          out.add(Insn.st(Size.B, R10, tmp + s.size() - 1, 0));
          copy(R10, tmp, base, off, s.size());
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
      case TExpr.Ternary(TExpr cond, TExpr then, TExpr otherwise, var type, var span) -> {
        Label elseL = new Label("else"), end = new Label("end");
        jumpIf(cond, false, elseL);
        store(then, base, off);
        out.add(Insn.ja(end)).bind(elseL);
        store(otherwise, base, off);
        out.bind(end);
      }
      default -> copyFrom(e, base, off, s.size());
    }
  }

  /** Stores the value of an aggregate-typed variable, map element or tuple element by copying it. */
  private void copyFrom(TExpr e, Reg base, int off, int size) {
    switch (e) {
      case TExpr.VarRef(Variable v, var type, var span) -> copy(R10, varSlots.get(v), base, off, size);
      case TExpr.MapGet(MapInfo map, TExpr key, var type, var span) -> {
        int k = key(map, key);
        Label missing = new Label("missing"), done = new Label("done");
        out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, k), Insn.call(Helper.MAP_LOOKUP_ELEM),
            Jmp.JEQ.imm(R0, 0, missing));
        copy(R0, 0, base, off, size);
        out.add(Insn.ja(done)).bind(missing);
        zero(base, off, size);
        out.bind(done);
      }
      case TExpr.TupleGet(TExpr tuple, int index, var type, var span) -> {
        Type.Tuple tt = (Type.Tuple) tuple.type();
        int tmp = frame.alloc(tt.size());
        store(tuple, R10, tmp);
        copy(R10, tmp + tt.offsets().get(index), base, off, size);
      }
      default -> throw new IllegalStateException("cannot store " + e.getClass().getSimpleName() + " of type " + e.type());
    }
  }

  /** {@return the r10-relative address of {@code e}'s value: a variable's own slot, or a temporary it is stored to} */
  private int stackAddress(TExpr e) {
    if (e instanceof TExpr.VarRef(Variable v, var t, var span)) return varSlots.get(v);
    int a = frame.alloc(e.type().size());
    store(e, R10, a);
    return a;
  }

  void storeBytes(byte[] bytes, Reg base, int off) {
    ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(bytes, (bytes.length + 7) & ~7)).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    for (; i + 8 <= bytes.length; i += 8) {
      long w = b.getLong(i);
      if (w == (int) w) out.add(Insn.st(Size.DW, base, off + i, (int) w));
      else out.add(Insn.lddw(R1, w), Insn.stx(Size.DW, base, off + i, R1));
    }
    for (; i + 4 <= bytes.length; i += 4) out.add(Insn.st(Size.W, base, off + i, b.getInt(i)));
    for (; i + 2 <= bytes.length; i += 2) out.add(Insn.st(Size.H, base, off + i, b.getShort(i)));
    for (; i < bytes.length; i++) out.add(Insn.st(Size.B, base, off + i, b.get(i)));
  }

  void zero(int off, int size) { zero(R10, off, size); }

  void zero(Reg base, int off, int size) {
    int i = 0;
    for (; i + 8 <= size; i += 8) out.add(Insn.st(Size.DW, base, off + i, 0));
    for (; i + 4 <= size; i += 4) out.add(Insn.st(Size.W, base, off + i, 0));
    for (; i + 2 <= size; i += 2) out.add(Insn.st(Size.H, base, off + i, 0));
    for (; i < size; i++) out.add(Insn.st(Size.B, base, off + i, 0));
  }

  /** Copies {@code size} bytes from {@code src + srcOff} to {@code dst + dstOff} through a scratch register. */
  void copy(Reg src, int srcOff, Reg dst, int dstOff, int size) {
    Reg scratch = src != R1 && dst != R1 ? R1 : src != R2 && dst != R2 ? R2 : R3;
    int i = 0;
    for (Size s : new Size[] {Size.DW, Size.W, Size.H, Size.B}) {
      for (; i + s.bytes() <= size; i += s.bytes()) {
        out.add(Insn.ldx(s, scratch, src, srcOff + i), Insn.stx(s, dst, dstOff + i, scratch));
      }
    }
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
        if (!(t instanceof Type.Int || t instanceof Type.Ptr)) throw new IllegalStateException("ctx field of type " + t + " in a scalar context");
        int bytes = t.size();
        out.add(Insn.ldx(Size.ofBytes(bytes), dst, CTX, f.offset()));
        if (t instanceof Type.Int i && i.signed() && bytes < 8) signExtend(dst, bytes);
      }
      case TExpr.CtxMemory m -> context.memory(m, dst);
      case TExpr.VarRef(Variable v, Type t, var span) -> {
        if (!(t instanceof Type.Int || t instanceof Type.Bool || t instanceof Type.Probe || t instanceof Type.Ptr))
          throw new IllegalStateException("variable of type " + t + " in a scalar context");
        out.add(Insn.ldx(Size.DW, dst, R10, varSlots.get(v)));
      }
      case TExpr.MapGet(MapInfo map, TExpr key, Type t, var span) -> {
        int mark = frame.mark();
        int k = key(map, key);
        Label missing = new Label("missing"), done = new Label("done");
        out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, k), Insn.call(Helper.MAP_LOOKUP_ELEM),
            Jmp.JEQ.imm(R0, 0, missing), Insn.ldx(Size.DW, dst, R0, 0), Insn.ja(done));
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
          case DEREF, ADDR -> throw new IllegalStateException(op + " reached code generation");
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
      case TExpr.Cast(TExpr operand, Type t, var span) -> {
        into(operand, dst);
        if (t instanceof Type.Int i && i.bytes() < 8) {
          truncate(dst, i.bytes());
          if (i.signed()) signExtend(dst, i.bytes());
        }
      }
      case TExpr.TupleOf t -> throw new IllegalStateException("tuple in a scalar context");
      case TExpr.TupleGet(TExpr tuple, int index, Type t, var span) -> {
        int mark = frame.mark();
        Type.Tuple tt = (Type.Tuple) tuple.type();
        int tmp = frame.alloc(tt.size());
        store(tuple, R10, tmp);
        out.add(Insn.ldx(Size.ofBytes(t.size()), dst, R10, tmp + tt.offsets().get(index)));
        frame.release(mark);
      }
      case TExpr.Update u -> update(u, dst);
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
      default -> {}
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
      out.add(aluImm(b.op(), signed, dst, (int) v));
      return;
    }
    try (Temp r = temp(dst)) {
      into(b.right(), r.reg);
      if (signed && (b.op() == BinOp.DIV || b.op() == BinOp.MOD)) signedDivide(b.op(), dst, r.reg);
      else out.add(aluReg(b.op(), signed, dst, r.reg));
    }
  }

  /**
   * Signed division and remainder, truncating toward zero as C does, from unsigned operations:
   * divide the magnitudes, then give the quotient the sign of (left ^ right) and the remainder that of left.
   */
  private void signedDivide(BinOp op, Reg l, Reg r) {
    Label lpos = new Label("lpos"), rpos = new Label("rpos"), done = new Label("done");
    // r1 = sign of the result (1 if negative)
    out.add(Alu.MOV.imm(R1, 0));
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

  private static Insn aluImm(BinOp op, boolean signed, Reg dst, int v) { return alu(op, signed).imm(dst, v); }

  private static Insn aluReg(BinOp op, boolean signed, Reg dst, Reg src) { return alu(op, signed).reg(dst, src); }

  private void update(TExpr.Update u, Reg dst) {
    int delta = u.increment() ? 1 : -1;
    switch (u.target()) {
      case TExpr.VarRef(Variable v, var t, var span) -> {
        int slot = varSlots.get(v);
        out.add(Insn.ldx(Size.DW, dst, R10, slot));
        if (u.prefix()) out.add(Alu.ADD.imm(dst, delta), Insn.stx(Size.DW, R10, slot, dst));
        else out.add(Alu.MOV.reg(R1, dst), Alu.ADD.imm(R1, delta), Insn.stx(Size.DW, R10, slot, R1));
      }
      case TExpr.MapGet(MapInfo map, TExpr key, var t, var span) -> {
        int mark = frame.mark();
        int k = key(map, key);
        int val = frame.alloc(8);
        Label missing = new Label("missing"), done = new Label("done");
        out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, k), Insn.call(Helper.MAP_LOOKUP_ELEM),
            Jmp.JEQ.imm(R0, 0, missing), Insn.ldx(Size.DW, dst, R0, 0), Insn.ja(done));
        out.bind(missing).add(Alu.MOV.imm(dst, 0));
        out.bind(done).add(Alu.MOV.reg(R1, dst), Alu.ADD.imm(R1, delta), Insn.stx(Size.DW, R10, val, R1));
        if (u.prefix()) out.add(Alu.ADD.imm(dst, delta));
        mapUpdate(map, k, val);
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
      case TExpr.Binary(BinOp op, TExpr l, TExpr r, var t, var span) when op.isComparison() -> {
        boolean signed = Type.signedPair(l.type(), r.type());
        Jmp j = jmp(op, signed);
        if (!sense) j = j.negate();
        try (Temp a = temp()) {
          into(l, a.reg);
          if (r instanceof TExpr.Const(long v, var ct, var sp) && v == (int) v) {
            out.add(j.imm(a.reg, (int) v, target));
          } else {
            try (Temp b = temp(a.reg)) {
              into(r, b.reg);
              out.add(j.reg(a.reg, b.reg, target));
            }
          }
        }
      }
      default -> {
        try (Temp a = temp()) {
          into(e, a.reg);
          out.add((sense ? Jmp.JNE : Jmp.JEQ).imm(a.reg, 0, target));
        }
      }
    }
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
    int a = stackAddress(l);
    if (r instanceof TExpr.StrConst(String lit, var t, var span)) {
      byte[] bytes = lit.getBytes(StandardCharsets.UTF_8);
      int n = Math.min(bytes.length + 1, l.type().size());
      for (int i = 0; i < n; i++) {
        int c = i < bytes.length ? bytes[i] & 0xff : 0;
        out.add(Insn.ldx(Size.B, R1, R10, a + i), Jmp.JNE.imm(R1, c, differ));
      }
    } else {
      int b = stackAddress(r);
      int n = Math.min(l.type().size(), r.type().size());
      for (int i = 0; i < n; i++) {
        out.add(Insn.ldx(Size.B, R1, R10, a + i), Insn.ldx(Size.B, R2, R10, b + i), Jmp.JNE.reg(R1, R2, differ),
            Jmp.JEQ.imm(R1, 0, equal));
      }
    }
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
    frame.release(mark);
  }
}
