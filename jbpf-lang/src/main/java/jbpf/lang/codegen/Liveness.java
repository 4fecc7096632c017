package jbpf.lang.codegen;

import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jbpf.lang.ast.BinOp;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.Trees;
import jbpf.lang.typed.Variable;

/**
 * Which variables a function may read before it has assigned them, on some path: those need zeroing at its start,
 * both because a script reads such a variable as 0 and because the verifier refuses reads of stack it has not
 * seen written. Every other variable is written before it is read, so zeroing it would be a wasted store.
 */
final class Liveness {
  private final Set<Variable> needed = set();
  /** Sets of assigned variables are bit sets by variable number, so that copying one at a branch is cheap. */
  private final Map<Variable, Integer> numbers = new IdentityHashMap<>();

  private Liveness() {}

  /** {@return the variables of {@code body} read where they may not have been assigned; {@code params} are assigned} */
  static Set<Variable> readBeforeAssigned(TStmt body, List<Variable> params) {
    Liveness l = new Liveness();
    BitSet in = new BitSet();
    for (Variable p : params) in.set(l.number(p));
    l.flow(body, in);
    return l.needed;
  }

  private int number(Variable v) {
    Integer n = numbers.get(v);
    if (n == null) numbers.put(v, n = numbers.size());
    return n;
  }

  /** {@return whether {@code s} contains a {@code return}, at any depth} */
  static boolean returns(TStmt s) {
    if (s instanceof TStmt.Return) return true;
    for (TStmt n : Trees.nested(s)) if (returns(n)) return true;
    for (TExpr e : Trees.exprs(s)) if (returns(e)) return true;
    return false;
  }

  private static boolean returns(TExpr e) {
    for (TStmt s : Trees.statements(e)) if (returns(s)) return true;
    for (TExpr c : Trees.children(e)) if (returns(c)) return true;
    return false;
  }

  private static Set<Variable> set() { return Collections.newSetFromMap(new IdentityHashMap<>()); }

  private static BitSet copy(BitSet s) { return (BitSet) s.clone(); }

  /** {@return the variables assigned once {@code s} completes, or {@code null} if it never does} */
  private BitSet flow(TStmt s, BitSet in) {
    switch (s) {
      case TStmt.Block b -> {
        for (TStmt x : b.stmts()) {
          in = flow(x, in);
          if (in == null) return null;
        }
        return in;
      }
      case TStmt.VarStore v -> {
        in = reads(v.value(), in);
        in.set(number(v.var()));
        return in;
      }
      case TStmt.If i -> {
        in = reads(i.cond(), in);
        BitSet t = flow(i.then(), copy(in));
        BitSet o = i.otherwise() == null ? in : flow(i.otherwise(), copy(in));
        if (t == null) return o;
        if (o == null) return t;
        t.and(o);
        return t;
      }
      case TStmt.While w -> {
        in = reads(w.cond(), in);
        flow(w.body(), copy(in));
        return in;
      }
      case TStmt.ForRange f -> {
        in = reads(f.start(), in);
        in = reads(f.end(), in);
        BitSet body = copy(in);
        body.set(number(f.var()));
        flow(f.body(), body);
        return in;
      }
      case TStmt.ForMap f -> {
        BitSet body = copy(in);
        body.set(number(f.var()));
        flow(f.body(), body);
        return in;
      }
      case TStmt.Return r -> {
        if (r.value() != null) reads(r.value(), in);
        return null;
      }
      case TStmt.Break b -> { return null; }
      case TStmt.Continue c -> { return null; }
      default -> {
        for (TExpr e : Trees.exprs(s)) in = reads(e, in);
        return in;
      }
    }
  }

  /** Notes the reads of {@code e}; {@return the variables assigned after it (macro statements may assign)} */
  private BitSet reads(TExpr e, BitSet in) {
    switch (e) {
      case TExpr.VarRef v -> {
        if (!in.get(number(v.var()))) needed.add(v.var());
        return in;
      }
      case TExpr.Seq q -> {
        for (TStmt s : q.stmts()) {
          BitSet next = flow(s, in);
          if (next == null) return in;
          in = next;
        }
        return reads(q.value(), in);
      }
      case TExpr.Ternary t -> {
        in = reads(t.cond(), in);
        reads(t.then(), copy(in));
        reads(t.otherwise(), copy(in));
        return in;
      }
      case TExpr.Binary b when b.op() == BinOp.LAND || b.op() == BinOp.LOR -> {
        in = reads(b.left(), in);
        reads(b.right(), copy(in));
        return in;
      }
      default -> {
        for (TExpr c : Trees.children(e)) in = reads(c, in);
        return in;
      }
    }
  }
}
