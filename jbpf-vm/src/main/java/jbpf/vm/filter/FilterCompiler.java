package jbpf.vm.filter;

import static jbpf.asm.Reg.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.ast.BinOp;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.TypeName;
import jbpf.lang.ast.UnOp;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Span;
import jbpf.vm.filter.EventLayout.Field;

/**
 * Compiles a filter predicate over an {@link EventLayout} to eBPF that returns 1 for events that pass and 0 for
 * the others. {@code r1} holds the event throughout. Conditions become jumps, {@code &&} and {@code ||}
 * short-circuit, and a string comparison against a literal compares the literal's bytes and its NUL in 8-, 4-,
 * 2- and 1-byte loads:
 *
 * <pre>
 * // foo == 42 && comm == "myapp"
 * r3 = *(s32 *)(r1 +16); if r3 != 0x2a goto reject
 * r3 = *(u32 *)(r1 +48); if r3 != 0x7061796d goto reject
 * r3 = *(u16 *)(r1 +52); if r3 != 0x70 goto reject
 * r0 = 1; exit; reject: r0 = 0; exit
 * </pre>
 */
public final class FilterCompiler {
  private final EventLayout layout;
  private final InsnList out = new InsnList();
  private final Deque<Reg> free = new ArrayDeque<>(java.util.List.of(R3, R4, R5, R6, R7, R8, R9, R2, R0));

  private FilterCompiler(EventLayout layout) { this.layout = layout; }

  /** {@return eBPF for {@code predicate}} @throws CompileException if it names unknown fields or mixes types */
  public static Bytecode compile(Expr predicate, EventLayout layout) throws CompileException {
    FilterCompiler c = new FilterCompiler(layout);
    Label reject = new Label("reject");
    c.jumpIfFalse(predicate, reject);
    c.out.add(Alu.MOV.imm(R0, 1), Insn.exit());
    c.out.bind(reject);
    c.out.add(Alu.MOV.imm(R0, 0), Insn.exit());
    return c.out.resolve();
  }

  private static CompileException error(Span span, String message, String hint) {
    return new CompileException(Diagnostic.error(span, message, hint));
  }

  private Reg alloc(Span span) throws CompileException {
    Reg r = free.pollFirst();
    if (r == null) throw error(span, "expression too complex: more than 9 values are live at once", "split it with && or ||");
    return r;
  }

  private void release(Reg r) { free.addFirst(r); }

  private void jumpIfFalse(Expr e, Label to) throws CompileException {
    out.at(e.span());
    switch (e) {
      case Expr.Binary(BinOp op, Expr l, Expr r, Span s) when op == BinOp.LAND -> {
        jumpIfFalse(l, to);
        jumpIfFalse(r, to);
      }
      case Expr.Binary(BinOp op, Expr l, Expr r, Span s) when op == BinOp.LOR -> {
        Label pass = new Label("or");
        jumpIfTrue(l, pass);
        jumpIfFalse(r, to);
        out.bind(pass);
      }
      case Expr.Binary b when b.op().isComparison() -> compare(b, negate(b.op()), to);
      case Expr.Unary(UnOp op, Expr operand, Span s) when op == UnOp.LNOT -> jumpIfTrue(operand, to);
      default -> {
        Long k = constant(e);
        if (k != null) {
          if (k == 0) out.add(Insn.ja(to));
          return;
        }
        Reg v = value(e);
        out.add(Jmp.JEQ.imm(v, 0, to));
        release(v);
      }
    }
  }

  private void jumpIfTrue(Expr e, Label to) throws CompileException {
    out.at(e.span());
    switch (e) {
      case Expr.Binary(BinOp op, Expr l, Expr r, Span s) when op == BinOp.LAND -> {
        Label fail = new Label("and");
        jumpIfFalse(l, fail);
        jumpIfTrue(r, to);
        out.bind(fail);
      }
      case Expr.Binary(BinOp op, Expr l, Expr r, Span s) when op == BinOp.LOR -> {
        jumpIfTrue(l, to);
        jumpIfTrue(r, to);
      }
      case Expr.Binary b when b.op().isComparison() -> compare(b, b.op(), to);
      case Expr.Unary(UnOp op, Expr operand, Span s) when op == UnOp.LNOT -> jumpIfFalse(operand, to);
      default -> {
        Long k = constant(e);
        if (k != null) {
          if (k != 0) out.add(Insn.ja(to));
          return;
        }
        Reg v = value(e);
        out.add(Jmp.JNE.imm(v, 0, to));
        release(v);
      }
    }
  }

  private static BinOp negate(BinOp op) {
    return switch (op) {
      case EQ -> BinOp.NE; case NE -> BinOp.EQ; case LT -> BinOp.GE; case GE -> BinOp.LT; case LE -> BinOp.GT; case GT -> BinOp.LE;
      default -> throw new IllegalStateException("not a comparison: " + op);
    };
  }

  private Field stringField(Expr e) {
    if (field(e) instanceof Expr.Ident id) {
      Field f = layout.field(id.name());
      if (f != null && !f.type().isInteger()) return f;
    }
    return null;
  }

  /** Emits {@code if (left op right) goto to}. */
  private void compare(Expr.Binary b, BinOp op, Label to) throws CompileException {
    Expr l = b.left(), r = b.right();
    Field sl = stringField(l), sr = stringField(r);
    if (sl != null || sr != null || l instanceof Expr.Str || r instanceof Expr.Str) {
      Field f = sl != null ? sl : sr;
      Expr lit = sl != null ? r : l;
      if (f == null || !(lit instanceof Expr.Str str))
        throw error(b.span(), "strings can only be compared with a string literal: a char array field on one side, \"...\" on the other", null);
      if (op != BinOp.EQ && op != BinOp.NE) throw error(b.span(), "strings can only be compared with == and !=", null);
      compareString(f, str, op == BinOp.EQ, to);
      return;
    }
    Long kl = constant(l), kr = constant(r);
    if (kl != null && kr == null) {   // 42 == foo reads better as foo == 42
      Expr t = l; l = r; r = t;
      kr = kl;
      op = swap(op);
    }
    // Operands that are never negative compare the same either way; the unsigned jumps say so.
    boolean signed = signed(l) && signed(r) && !(nonNegative(l) && nonNegative(r));
    Jmp j = switch (op) {
      case EQ -> Jmp.JEQ; case NE -> Jmp.JNE;
      case LT -> signed ? Jmp.JSLT : Jmp.JLT; case LE -> signed ? Jmp.JSLE : Jmp.JLE;
      case GT -> signed ? Jmp.JSGT : Jmp.JGT; case GE -> signed ? Jmp.JSGE : Jmp.JGE;
      default -> throw new IllegalStateException("not a comparison: " + op);
    };
    // A signed field equals a constant in [0, 2^(bits-1)) exactly when its zero-extended bits do.
    Field f = integerField(l);
    boolean zeroExtend = (op == BinOp.EQ || op == BinOp.NE) && kr != null && f != null && f.type().size() < 8
        && kr >= 0 && kr < 1L << (f.type().size() * 8 - 1);
    Reg a = value(l, !zeroExtend);
    out.at(b.span());
    if (kr != null && kr == (int) (long) kr) {
      out.add(j.imm(a, (int) (long) kr, to));
    } else {
      Reg c = value(r);
      out.add(j.reg(a, c, to));
      release(c);
    }
    release(a);
  }

  private static BinOp swap(BinOp op) {
    return switch (op) {
      case EQ, NE -> op; case LT -> BinOp.GT; case GT -> BinOp.LT; case LE -> BinOp.GE; case GE -> BinOp.LE;
      default -> throw new IllegalStateException("not a comparison: " + op);
    };
  }

  private Field integerField(Expr e) {
    Field f = field(e) instanceof Expr.Ident id ? layout.field(id.name()) : null;
    return f != null && f.type().isInteger() ? f : null;
  }

  /** {@return whether {@code e} is known to be at least 0 as a signed 64-bit number} */
  private boolean nonNegative(Expr e) {
    return switch (field(e)) {
      case Expr.Int i -> i.unsigned() || i.value() >= 0;
      case Expr.Bool b -> true;
      case Expr.Ident id -> {
        Field f = integerField(id);
        yield f != null && f.type().kind() == FieldType.Kind.UNSIGNED && f.type().size() < 8;
      }
      default -> false;
    };
  }

  private void compareString(Field f, Expr.Str lit, boolean equal, Label to) throws CompileException {
    byte[] text = lit.value().getBytes(StandardCharsets.UTF_8);
    if (text.length > f.type().size())
      throw error(lit.span(), "the string is " + text.length + " bytes, longer than field " + f.name() + " (" + f.type() + ")",
          "it can never be equal; shorten the literal");
    byte[] bytes = java.util.Arrays.copyOf(text, Math.min(text.length + 1, f.type().size()));
    Label differ = equal ? new Label("differ") : to;
    Reg t = alloc(lit.span());
    int at = 0;
    while (at < bytes.length) {
      int left = bytes.length - at;
      int n = left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
      long v = 0;
      for (int k = n - 1; k >= 0; k--) v = (v << 8) | (bytes[at + k] & 0xff);
      out.add(Insn.ldx(Size.ofBytes(n), t, R1, f.offset() + at));
      if (n == 8) {
        Reg c = alloc(lit.span());
        out.add(Insn.lddw(c, v), Jmp.JNE.reg(t, c, differ));
        release(c);
      } else if (v <= Integer.MAX_VALUE) {
        out.add(Jmp.JNE.imm(t, (int) v, differ));
      } else {
        out.add(Jmp.JNE.imm32(t, (int) v, differ));
      }
      at += n;
    }
    release(t);
    if (equal) {
      out.add(Insn.ja(to));
      out.bind(differ);
    }
  }

  /**
   * {@return {@code e}, or for {@code args.f} and {@code args->f} the field name {@code f}} A tracepoint's predicate
   * names the fields of its event that way, so it can be used as a filter unchanged.
   */
  private static Expr field(Expr e) {
    if (e instanceof Expr.Field(Expr.Ident(String base, Span b), String name, boolean arrow, Span s) && base.equals("args"))
      return new Expr.Ident(name, s);
    return e;
  }

  /** {@return whether {@code e} compares as a signed 64-bit number (every integer type but uint64 does)} */
  private boolean signed(Expr e) {
    return switch (field(e)) {
      case Expr.Int i -> !i.unsigned();
      case Expr.Ident id -> {
        Field f = layout.field(id.name());
        yield f == null || f.type().kind() == FieldType.Kind.SIGNED || f.type().size() < 8;
      }
      case Expr.Binary b -> b.op().isComparison() || b.op().isLogical() || signed(b.left()) && signed(b.right());
      case Expr.Unary u -> u.op() == UnOp.LNOT || signed(u.operand());
      case Expr.Ternary t -> signed(t.then()) && signed(t.otherwise());
      case Expr.Cast c -> !c.type().name().equals("uint64");
      default -> true;
    };
  }

  /** {@return the value of {@code e} if it is a constant, else {@code null}} */
  private static Long constant(Expr e) {
    return switch (e) {
      case Expr.Int i -> i.value();
      case Expr.Bool b -> b.value() ? 1L : 0L;
      case Expr.Unary(UnOp op, Expr operand, Span s) -> {
        Long v = constant(operand);
        if (v == null) yield null;
        yield switch (op) { case NEG -> -v; case BNOT -> ~v; case LNOT -> v == 0 ? 1L : 0L; default -> null; };
      }
      default -> null;
    };
  }

  /** {@return a register holding the value of {@code e}} */
  private Reg value(Expr e) throws CompileException { return value(e, true); }

  /** {@return a register holding the value of {@code e}; a signed field is zero-extended unless {@code extendSign}} */
  private Reg value(Expr e, boolean extendSign) throws CompileException {
    out.at(e.span());
    Long k = constant(e);
    if (k != null) {
      Reg r = alloc(e.span());
      out.add(k == (int) (long) k ? Alu.MOV.imm(r, (int) (long) k) : Insn.lddw(r, k));
      return r;
    }
    switch (field(e)) {
      case Expr.Ident id -> {
        Field f = layout.field(id.name());
        if (f == null) {
          String known = String.join(", ", layout.fields().stream().map(Field::name).toList());
          throw error(id.span(), "unknown field '" + id.name() + "'", "the event has: " + known);
        }
        if (!f.type().isInteger())
          throw error(id.span(), "field " + f.name() + " is a string (" + f.type() + "); compare it with == or != and a string literal", null);
        Reg r = alloc(e.span());
        Size size = Size.ofBytes(f.type().size());
        boolean sx = extendSign && f.type().kind() == FieldType.Kind.SIGNED && size != Size.DW;
        out.add(sx ? Insn.ldxs(size, r, R1, f.offset()) : Insn.ldx(size, r, R1, f.offset()));
        return r;
      }
      case Expr.Binary b when b.op().isComparison() || b.op().isLogical() -> { return bool(e); }
      case Expr.Binary(BinOp op, Expr l, Expr r, Span s) -> {
        Reg a = value(l);
        Long kr = constant(r);
        boolean signed = signed(l) && signed(r);
        Alu alu = switch (op) {
          case ADD -> Alu.ADD; case SUB -> Alu.SUB; case MUL -> Alu.MUL; case DIV -> Alu.DIV; case MOD -> Alu.MOD;
          case BAND -> Alu.AND; case BOR -> Alu.OR; case BXOR -> Alu.XOR; case SHL -> Alu.LSH;
          case SHR -> signed(l) ? Alu.ARSH : Alu.RSH;
          default -> throw new IllegalStateException("unhandled operator " + op);
        };
        boolean signedDiv = signed && (alu == Alu.DIV || alu == Alu.MOD);
        out.at(e.span());
        if (kr != null && kr == (int) (long) kr) {
          out.add(signedDiv ? alu.signedImm(a, (int) (long) kr) : alu.imm(a, (int) (long) kr));
        } else {
          Reg c = value(r);
          out.add(signedDiv ? alu.signedReg(a, c) : alu.reg(a, c));
          release(c);
        }
        return a;
      }
      case Expr.Unary(UnOp op, Expr operand, Span s) when op == UnOp.NEG || op == UnOp.BNOT -> {
        Reg a = value(operand);
        out.add(op == UnOp.NEG ? Alu.NEG.imm(a, 0) : Alu.XOR.imm(a, -1));
        return a;
      }
      case Expr.Unary u when u.op() == UnOp.LNOT -> { return bool(e); }
      case Expr.Ternary(Expr cond, Expr then, Expr otherwise, Span s) -> {
        // if !cond goto else; r = then; goto end; else: r = otherwise; end:
        Label other = new Label("else"), done = new Label("endif");
        jumpIfFalse(cond, other);
        Reg r = value(then);
        out.add(Insn.ja(done));
        out.bind(other);
        release(r);
        // the register released last is allocated first, so the other value lands in r too
        if (value(otherwise) != r) throw new IllegalStateException("the two values of ?: are in different registers");
        out.bind(done);
        return r;
      }
      case Expr.Cast(TypeName type, Expr operand, Span s) -> {
        int bits = castBits(type);
        Reg r = value(operand);
        out.at(e.span());
        if (type.name().startsWith("u")) {
          if (bits == 32) out.add(Alu.MOV.reg32(r, r));
          else if (bits < 32) out.add(Alu.AND.imm(r, (1 << bits) - 1));
        } else if (bits < 64) {
          out.add(Alu.movsx(r, r, bits));
        }
        return r;
      }
      case Expr.Str s -> throw error(s.span(), "a string literal can only be compared with a char array field", null);
      default -> throw error(e.span(), "this expression is not supported in event filters",
          "filters use fields, literals, arithmetic, comparisons, casts to integers, ?:, !, && and ||");
    }
  }

  /** The integer types a filter can cast to, by name, and their widths. */
  private static final java.util.Map<String, Integer> CASTS = java.util.Map.of(
      "int8", 8, "int16", 16, "int32", 32, "int64", 64, "uint8", 8, "uint16", 16, "uint32", 32, "uint64", 64);

  private static int castBits(TypeName type) throws CompileException {
    Integer bits = CASTS.get(type.name());
    if (bits == null || type.pointers() > 0 || type.arrayLength() >= 0)
      throw error(type.span(), "cannot cast to " + type + " in an event filter", "cast to an integer type: int8 to int64, uint8 to uint64");
    return bits;
  }

  private Reg bool(Expr e) throws CompileException {
    Reg r = alloc(e.span());
    Label done = new Label("bool");
    out.add(Alu.MOV.imm(r, 0));
    jumpIfFalse(e, done);
    out.add(Alu.MOV.imm(r, 1));
    out.bind(done);
    return r;
  }
}
