package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TStmt;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;

/** Emits aggregation updates: per-CPU values combined in place, and the bucket index of hist and lhist. */
final class AggregateGen {
  private final ProbeGen g;

  AggregateGen(ProbeGen g) { this.g = g; }

  void aggregate(TStmt.Aggregate a) {
    MapInfo map = a.map();
    int k = g.frame.alloc(map.keySize());
    if (map.agg().bucketed()) {
      // key = user key, then the bucket index at the next 8-byte boundary
      if (a.key() != null) g.store(a.key(), R10, k);
      int bucketOff = k + map.keySize() - 8;
      try (ProbeGen.Temp t = g.temp()) {
        g.into(a.args().getFirst(), t.reg);
        bucket(map, t.reg);
        g.out.add(Insn.stx(Size.DW, R10, bucketOff, t.reg));
      }
      if (a.key() == null && map.keySize() > 8) g.zero(k, map.keySize() - 8);
      addToValue(map, k, null, AggKind.COUNT);
      return;
    }
    if (a.key() != null) g.storeKey(map, a.key(), k);
    else g.out.add(Insn.st(Size.DW, R10, k, 0));
    if (a.args().isEmpty()) {
      addToValue(map, k, null, a.kind());
    } else {
      try (ProbeGen.Temp v = g.temp()) {
        g.into(a.args().getFirst(), v.reg);
        addToValue(map, k, v.reg, a.kind());
      }
    }
  }

  /**
   * Updates this CPU's value of an aggregation: looks the key up; if present, combines in place;
   * otherwise inserts the first value.
   * <pre>
   * r0 = lookup(map, &key); if r0 == 0 goto insert
   * combine(*r0, v); goto done
   * insert: value = first(v); update(map, &key, &value, BPF_NOEXIST)
   * </pre>
   */
  void addToValue(MapInfo map, int keySlot, Reg v, AggKind kind) {
    Label insert = new Label("insert"), done = new Label("done");
    g.out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, keySlot),
        Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, insert));
    switch (kind) {
      case COUNT -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 0, R1));
      case SUM -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.reg(R1, v), Insn.stx(Size.DW, R0, 0, R1));
      case MIN, MAX -> {
        // value: (s64 v, u64 set); an unset value is replaced, a set one kept if it is already smaller (larger)
        Label keep = new Label("keep"), replace = new Label("replace");
        boolean signed = ((Type.Agg) map.value()).signed();
        Jmp keepIf = kind == AggKind.MIN ? (signed ? Jmp.JSLE : Jmp.JLE) : (signed ? Jmp.JSGE : Jmp.JGE);
        g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Insn.ldx(Size.DW, R2, R0, 8), Jmp.JEQ.imm(R2, 0, replace), keepIf.reg(R1, v, keep));
        g.out.bind(replace).add(Insn.stx(Size.DW, R0, 0, v), Insn.st(Size.DW, R0, 8, 1));
        g.out.bind(keep);
      }
      case AVG, STATS -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.reg(R1, v), Insn.stx(Size.DW, R0, 0, R1),
          Insn.ldx(Size.DW, R1, R0, 8), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 8, R1));
      case HIST, LHIST -> throw new IllegalStateException("bucketed aggregations count their buckets");
    }
    g.out.add(Insn.ja(done)).bind(insert);
    int val = g.frame.alloc(kind.valueSize());
    switch (kind) {
      case COUNT -> g.out.add(Insn.st(Size.DW, R10, val, 1));
      case SUM -> g.out.add(Insn.stx(Size.DW, R10, val, v));
      case MIN, MAX -> g.out.add(Insn.stx(Size.DW, R10, val, v), Insn.st(Size.DW, R10, val + 8, 1));
      case AVG, STATS -> g.out.add(Insn.stx(Size.DW, R10, val, v), Insn.st(Size.DW, R10, val + 8, 1));
      case HIST, LHIST -> throw new IllegalStateException("unreachable");
    }
    g.out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, keySlot),
        Alu.MOV.reg(R3, R10), Alu.ADD.imm(R3, val), Alu.MOV.imm(R4, 0), Insn.call(Helper.MAP_UPDATE_ELEM));
    g.countFailure(CompiledScript.ERRORS_MAP, g.info.mapIndex().getOrDefault(map.specName(), 0));
    g.out.bind(done);
  }

  /** Turns the value in {@code r} into its bucket index for a hist or lhist map. */
  void bucket(MapInfo map, Reg r) {
    Type.Agg agg = (Type.Agg) map.value();
    if (agg.kind() == AggKind.LHIST) {
      // 0: below min; 1 + (v - min) / step for min <= v < max; last: v >= max
      long buckets = (agg.max() - agg.min()) / agg.step();
      Label below = new Label("below"), above = new Label("above"), done = new Label("bucketed");
      g.out.add(Jmp.JSLT.imm(r, (int) agg.min(), below), Jmp.JSGE.imm(r, (int) agg.max(), above),
          Alu.SUB.imm(r, (int) agg.min()), Alu.DIV.imm(r, (int) agg.step()), Alu.ADD.imm(r, 1), Insn.ja(done));
      g.out.bind(below).add(Alu.MOV.imm(r, 0), Insn.ja(done));
      g.out.bind(above).add(Alu.MOV.imm(r, (int) buckets + 1));
      g.out.bind(done);
      return;
    }
    // log2 histogram: 0 for negative values, 1 for 0, then 2 + floor(log2(v)) (with 2^k sub-buckets per power of two)
    int k = (int) agg.step();
    Label neg = new Label("neg"), zero = new Label("zero"), done = new Label("bucketed");
    try (ProbeGen.Temp t = g.temp(r)) {
      Reg n = t.reg;
      g.out.add(Jmp.JSLT.imm(r, 0, neg), Jmp.JEQ.imm(r, 0, zero));
      // n = floor(log2(r)) by binary search, r unchanged until the end
      g.out.add(Alu.MOV.imm(n, 0), Alu.MOV.reg(R1, r));
      for (int shift : new int[] {32, 16, 8, 4, 2, 1}) {
        Label skip = new Label("lg");
        g.out.add(Alu.MOV.reg(R2, R1), Alu.RSH.imm(R2, shift), Jmp.JEQ.imm(R2, 0, skip), Alu.MOV.reg(R1, R2), Alu.ADD.imm(n, shift));
        g.out.bind(skip);
      }
      if (k == 0) {
        g.out.add(Alu.MOV.reg(r, n), Alu.ADD.imm(r, 2), Insn.ja(done));
      } else {
        // bucket = 2 + n * 2^k + ((r - 2^n) >> (n - k)) for n >= k; small values map linearly.
        Label small = new Label("small");
        g.out.add(Jmp.JLT.imm(n, k, small));
        g.out.add(Alu.MOV.imm(R1, 1), Alu.LSH.reg(R1, n), Alu.SUB.reg(r, R1), Alu.MOV.reg(R2, n), Alu.SUB.imm(R2, k),
            Alu.RSH.reg(r, R2), Alu.MOV.reg(R1, n), Alu.LSH.imm(R1, k), Alu.ADD.reg(r, R1), Alu.ADD.imm(r, 2), Insn.ja(done));
        g.out.bind(small).add(Alu.ADD.imm(r, 1), Insn.ja(done));
      }
    }
    g.out.bind(neg).add(Alu.MOV.imm(r, 0), Insn.ja(done));
    g.out.bind(zero).add(Alu.MOV.imm(r, 1));
    g.out.bind(done);
  }
}
