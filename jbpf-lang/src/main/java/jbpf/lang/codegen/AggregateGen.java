package jbpf.lang.codegen;

import static jbpf.asm.Reg.*;

import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.lang.codegen.Frame.Mem;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.types.AggKind;
import jbpf.lang.types.Type;

/**
 * Emits what programs do with maps beyond plain loads and stores: aggregation updates (per-CPU values combined in
 * place, hist and lhist bucket indexes), reads of an aggregation combined over all CPUs, {@code has_key()},
 * {@code len()}, {@code delete()}, and the record of failed updates that userspace reports (a full map).
 */
final class AggregateGen {
  /** Loop bound of per-CPU reads when the number of possible CPUs is unknown. */
  private static final int MAX_CPUS = 1024;

  private final ProbeGen g;

  AggregateGen(ProbeGen g) { this.g = g; }

  private MapStorage storage(MapInfo map) { return MapStorage.of(map, g.info.maxMapKeys()); }

  // ---- updates --------------------------------------------------------------------------------------------

  void aggregate(TStmt.Aggregate a) {
    MapInfo map = a.map();
    Type.Agg agg = (Type.Agg) map.value();
    MapStorage storage = storage(map);
    if (storage.isArray()) {
      // No keys: a per-CPU array, of one count or of one count per bucket; the lookup cannot miss.
      int k = g.frame.alloc(8);
      if (agg.kind().bucketed()) {
        try (ProbeGen.Temp t = g.temp()) {
          g.into(a.args().getFirst(), t.reg);
          bucket(agg, t.reg);
          g.out.add(Insn.stx(Size.W, R10, k, t.reg));
        }
      } else {
        g.out.add(Insn.st(Size.W, R10, k, 0));
      }
      Label done = new Label("counted");
      // r0 = lookup(map, &index); if r0 == 0 goto done; *r0 += 1
      g.out.add(Insn.ldMap(R1, map.specName()), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, k),
          Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, done),
          Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 0, R1));
      g.out.bind(done);
      return;
    }
    Mem k = g.frame.allocMem(map.keySize());
    if (agg.kind().bucketed()) {
      // key = user key, then the bucket index at the next 8-byte boundary
      if (a.key() != null) g.storeKey(map, a.key(), k);
      int bucketOff = map.keySize() - 8;
      try (ProbeGen.Temp t = g.temp()) {
        g.into(a.args().getFirst(), t.reg);
        bucket(agg, t.reg);
        try (ProbeGen.Addr ad = g.addr(k, t.reg)) {
          g.out.add(Insn.stx(Size.DW, ad.base, ad.off + bucketOff, t.reg));
          if (a.key() == null && map.keySize() > 8) g.zero(ad.base, ad.off, map.keySize() - 8);
        }
      }
      addToValue(map, k, null, AggKind.COUNT);
      return;
    }
    if (a.key() != null) g.storeKey(map, a.key(), k);
    else try (ProbeGen.Addr ad = g.addr(k)) { g.out.add(Insn.st(Size.DW, ad.base, ad.off, 0)); }
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
   * Updates this CPU's value of an aggregation in a per-CPU hash map: looks the key up; if present, combines in
   * place; otherwise inserts the first value. The insert uses {@code BPF_ANY}: if another CPU inserted the key
   * since the lookup, the kernel keeps the other CPUs' slots and sets only this one, which still held nothing.
   * <pre>
   * r0 = lookup(map, &key); if r0 == 0 goto insert
   * combine(*r0, v); goto done
   * insert: value = first(v); r0 = update(map, &key, &value, BPF_ANY); record a failure
   * </pre>
   */
  private void addToValue(MapInfo map, Mem key, Reg v, AggKind kind) {
    Label insert = new Label("insert"), done = new Label("done");
    g.out.add(Insn.ldMap(R1, map.specName()));
    g.lea(R2, key);
    g.out.add(Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, insert));
    switch (kind) {
      case COUNT, HIST, LHIST -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 0, R1));
      case SUM -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.reg(R1, v), Insn.stx(Size.DW, R0, 0, R1));
      case MIN, MAX -> {
        // value: (v, set); an unset value is replaced, a set one kept if it is already smaller (larger)
        Label keep = new Label("keep"), replace = new Label("replace");
        boolean signed = ((Type.Agg) map.value()).signed();
        Jmp keepIf = kind == AggKind.MIN ? (signed ? Jmp.JSLE : Jmp.JLE) : (signed ? Jmp.JSGE : Jmp.JGE);
        g.out.add(Insn.ldx(Size.DW, R2, R0, 8), Jmp.JEQ.imm(R2, 0, replace), Insn.ldx(Size.DW, R1, R0, 0), keepIf.reg(R1, v, keep));
        g.out.bind(replace).add(Insn.stx(Size.DW, R0, 0, v), Insn.st(Size.DW, R0, 8, 1));
        g.out.bind(keep);
      }
      case AVG, STATS -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.reg(R1, v), Insn.stx(Size.DW, R0, 0, R1),
          Insn.ldx(Size.DW, R1, R0, 8), Alu.ADD.imm(R1, 1), Insn.stx(Size.DW, R0, 8, R1));
    }
    g.out.add(Insn.ja(done)).bind(insert);
    int val = g.frame.alloc(kind.valueSize());
    switch (kind) {
      case COUNT, HIST, LHIST -> g.out.add(Insn.st(Size.DW, R10, val, 1));
      case SUM -> g.out.add(Insn.stx(Size.DW, R10, val, v));
      case MIN, MAX, AVG, STATS -> g.out.add(Insn.stx(Size.DW, R10, val, v), Insn.st(Size.DW, R10, val + 8, 1));
    }
    g.out.add(Insn.ldMap(R1, map.specName()));
    g.lea(R2, key);
    g.out.add(Alu.MOV.reg(R3, R10), Alu.ADD.imm(R3, val), Alu.MOV.imm(R4, 0), Insn.call(Helper.MAP_UPDATE_ELEM));
    recordUpdateError(map);
    g.out.bind(done);
  }

  /**
   * After {@code map_update_elem} on {@code map}: if it failed, and no failure of the map is recorded yet,
   * records its return value (a negative errno, -E2BIG when the map is full) in the low 32 bits of the map's u64 in
   * the map-errors array, and one more than the source offset of the statement doing the update in the high 32
   * bits; userspace reports each map once.
   * <pre>
   * if r0 == 0 goto ok; r2 = &map_errors[0] + 8 * index; r1 = *(u64 *)(r2 + 0); if r1 != 0 goto ok
   * w1 = w0; r1 |= (start + 1) << 32; *(u64 *)(r2 + 0) = r1
   * </pre>
   */
  void recordUpdateError(MapInfo map) {
    Label ok = new Label("updated");
    int index = g.info.mapIndex().getOrDefault(map.specName(), 0);
    long site = g.out.span() == null ? 0 : g.out.span().start() + 1L;
    g.out.add(Jmp.JEQ.imm(R0, 0, ok), Insn.ldMapValue(R2, CompiledScript.ERRORS_MAP, 8 * index), Insn.ldx(Size.DW, R1, R2, 0),
        Jmp.JNE.imm(R1, 0, ok), Alu.MOV.reg32(R1, R0));
    if (site != 0) g.out.add(Insn.lddw(R3, site << 32), Alu.OR.reg(R1, R3));
    g.out.add(Insn.stx(Size.DW, R2, 0, R1));
    g.out.bind(ok);
  }

  // ---- bucket indexes -------------------------------------------------------------------------------------

  /**
   * Turns the value in {@code r} into its bucket index for a hist or lhist map, using r1 to r4 as scratch.
   *
   * <p>lhist(min, max, step): 0 below min; 1 + (v - min) / step up to max; (max - min) / step + 1 above max.
   *
   * <p>hist(k), as bpftrace computes it: 0 for negative values; v + 1 for v &lt; 2<sup>k</sup>; otherwise, with
   * n = floor(log2(v)), ((n - k + 1) &lt;&lt; k) + ((v &gt;&gt; (n - k)) &amp; (2<sup>k</sup> - 1)) + 1: each power of
   * two split into 2<sup>k</sup> buckets. For k = 0 that is n + 2.
   */
  void bucket(Type.Agg agg, Reg r) {
    Label done = new Label("bucketed");
    if (agg.kind() == AggKind.LHIST) {
      long buckets = (agg.max() - agg.min()) / agg.step();
      Label below = new Label("below"), above = new Label("above");
      compare(Jmp.JSLT, r, agg.min(), below);
      compare(Jmp.JSGE, r, agg.max(), above);
      if (agg.min() != 0) subtract(r, agg.min());
      long step = agg.step();
      if (Long.bitCount(step) == 1) {
        if (step > 1) g.out.add(Alu.RSH.imm(r, Long.numberOfTrailingZeros(step)));
      } else if (step == (int) step) {
        g.out.add(Alu.DIV.imm(r, (int) step));
      } else {
        g.out.add(Insn.lddw(R1, step), Alu.DIV.reg(r, R1));
      }
      g.out.add(Alu.ADD.imm(r, 1), Insn.ja(done));
      g.out.bind(below).add(Alu.MOV.imm(r, 0), Insn.ja(done));
      g.out.bind(above).add(Alu.MOV.imm(r, (int) buckets + 1));
      g.out.bind(done);
      return;
    }
    int k = (int) agg.step();
    Label neg = new Label("neg"), small = new Label("small");
    // if v < 0 goto neg; if v < 2^k goto small (v + 1)
    g.out.add(Jmp.JSLT.imm(r, 0, neg), Jmp.JLT.imm(r, 1 << k, small));
    // r2 = floor(log2(v)) without branches (k = 0 counts from 2 to give the bucket directly), by halving steps on
    // r1 = v < 2^(2s): r3 = ((r1 >> s) + 2^s - 1) >> s is 1 if r1 >= 2^s, else 0; r3 <<= log2(s); r1 >>= r3; r2 += r3.
    // Straight-line code: no mispredicted branches for varying values, and the verifier walks one path.
    g.out.add(Alu.MOV.reg(R1, r), Alu.MOV.imm(R2, k == 0 ? 2 : 0), Alu.MOV.imm32(R4, -1));
    for (int shift : new int[] {32, 16, 8, 4, 2, 1}) {
      g.out.add(Alu.MOV.reg(R3, R1), Alu.RSH.imm(R3, shift));
      if (shift == 32) g.out.add(Alu.ADD.reg(R3, R4));
      else g.out.add(Alu.ADD.imm(R3, (1 << shift) - 1));
      g.out.add(Alu.RSH.imm(R3, shift));
      if (shift > 1) g.out.add(Alu.LSH.imm(R3, Integer.numberOfTrailingZeros(shift)));
      if (shift > 1) g.out.add(Alu.RSH.reg(R1, R3));
      g.out.add(Alu.ADD.reg(R2, R3));
    }
    if (k == 0) {
      g.out.add(Alu.MOV.reg(r, R2), Insn.ja(done));
    } else {
      // r2 = n - k; r = (v >> r2) & mask; r += (r2 + 1) << k; r += 1
      g.out.add(Alu.SUB.imm(R2, k), Alu.RSH.reg(r, R2), Alu.AND.imm(r, (1 << k) - 1), Alu.ADD.imm(R2, 1),
          Alu.LSH.imm(R2, k), Alu.ADD.reg(r, R2), Alu.ADD.imm(r, 1), Insn.ja(done));
    }
    g.out.bind(neg).add(Alu.MOV.imm(r, 0), Insn.ja(done));
    g.out.bind(small).add(Alu.ADD.imm(r, 1));
    g.out.bind(done);
  }

  /** {@code if r op v goto target}, through r1 when {@code v} does not fit an immediate. */
  private void compare(Jmp op, Reg r, long v, Label target) {
    if (v == (int) v) {
      g.out.add(op.imm(r, (int) v, target));
    } else {
      g.out.add(Insn.lddw(R1, v), op.reg(r, R1, target));
    }
  }

  private void subtract(Reg r, long v) {
    if (v == (int) v) g.out.add(Alu.SUB.imm(r, (int) v));
    else g.out.add(Insn.lddw(R1, v), Alu.SUB.reg(r, R1));
  }

  // ---- reads ----------------------------------------------------------------------------------------------

  /**
   * Reads the value of an aggregation element into {@code dst}, combined over every CPU as userspace prints it:
   * the total of {@code count()} and {@code sum()}, the extreme of {@code min()} and {@code max()} over the CPUs
   * that saw a value, the average of {@code avg()}. 0 if the key is absent.
   * <pre>
   * dst = 0; cpu = 0
   * loop: if cpu >= ncpus goto done; r0 = map_lookup_percpu_elem(map, &key, cpu); if r0 == 0 goto done
   *       combine(dst, *r0); cpu += 1; goto loop
   * </pre>
   */
  void read(MapInfo map, TExpr key, Reg dst) {
    int mark = g.frame.mark();
    Type.Agg agg = (Type.Agg) map.value();
    Mem k = g.keyMem(map, key);
    int extra = g.frame.alloc(8);  // min/max: whether a value was seen; avg: the count
    int ncpus = g.info.possibleCpus() > 0 ? g.info.possibleCpus() : MAX_CPUS;
    Label loop = new Label("cpu"), next = new Label("nextcpu"), done = new Label("cpusdone");
    g.out.add(Alu.MOV.imm(dst, 0), Insn.st(Size.DW, R10, extra, 0));
    try (ProbeGen.Temp cpu = g.temp(dst)) {
      Reg c = cpu.reg;
      g.out.add(Alu.MOV.imm(c, 0));
      g.out.bind(loop).add(Jmp.JGE.imm(c, ncpus, done), Insn.ldMap(R1, map.specName()));
      g.lea(R2, k);
      g.out.add(Alu.MOV.reg(R3, c), Insn.call(Helper.MAP_LOOKUP_PERCPU_ELEM), Jmp.JEQ.imm(R0, 0, done));
      switch (agg.kind()) {
        case COUNT, SUM -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.reg(dst, R1));
        case MIN, MAX -> {
          // a CPU's value counts if set; the first one is taken, later ones if smaller (larger)
          Label take = new Label("take");
          Jmp keepIf = agg.kind() == AggKind.MIN ? (agg.signed() ? Jmp.JSGE : Jmp.JGE) : (agg.signed() ? Jmp.JSLE : Jmp.JLE);
          g.out.add(Insn.ldx(Size.DW, R1, R0, 8), Jmp.JEQ.imm(R1, 0, next), Insn.ldx(Size.DW, R1, R0, 0),
              Insn.ldx(Size.DW, R2, R10, extra), Jmp.JEQ.imm(R2, 0, take), keepIf.reg(R1, dst, next));
          g.out.bind(take).add(Alu.MOV.reg(dst, R1), Insn.st(Size.DW, R10, extra, 1));
        }
        case AVG -> g.out.add(Insn.ldx(Size.DW, R1, R0, 0), Alu.ADD.reg(dst, R1), Insn.ldx(Size.DW, R1, R0, 8),
            Insn.ldx(Size.DW, R2, R10, extra), Alu.ADD.reg(R2, R1), Insn.stx(Size.DW, R10, extra, R2));
        case STATS, HIST, LHIST -> throw new IllegalStateException(agg.kind().fn() + "() values cannot be read in a program");
      }
      g.out.bind(next).add(Alu.ADD.imm(c, 1), Insn.ja(loop));
      g.out.bind(done);
    }
    if (agg.kind() == AggKind.AVG) {
      // total / count, truncated toward zero; a count of 0 gives 0 (BPF division by zero yields 0)
      Label pos = new Label("avgpos"), end = new Label("avgdone");
      g.out.add(Insn.ldx(Size.DW, R2, R10, extra), Jmp.JSGE.imm(dst, 0, pos), Alu.NEG.imm(dst, 0), Alu.DIV.reg(dst, R2),
          Alu.NEG.imm(dst, 0), Insn.ja(end));
      g.out.bind(pos).add(Alu.DIV.reg(dst, R2));
      g.out.bind(end);
    }
    g.frame.release(mark);
  }

  // ---- map functions --------------------------------------------------------------------------------------

  /** Computes {@code has_key(@m, k)} (1 or 0) or {@code len(@m)} into {@code dst}. */
  void mapCall(TExpr.MapCall c, Reg dst) {
    MapInfo map = c.map();
    switch (c.fn()) {
      case HAS_KEY -> {
        int mark = g.frame.mark();
        Mem k = g.keyMem(map, c.key());
        Label absent = new Label("absent"), done = new Label("hasdone");
        g.out.add(Insn.ldMap(R1, map.specName()));
        g.lea(R2, k);
        g.out.add(Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, absent), Alu.MOV.imm(dst, 1), Insn.ja(done));
        g.out.bind(absent).add(Alu.MOV.imm(dst, 0));
        g.out.bind(done);
        g.frame.release(mark);
      }
      case LEN -> {
        if (!map.keyed()) {
          g.out.add(Alu.MOV.imm(dst, 1));
        } else {
          // s64 bpf_map_sum_elem_count(const struct bpf_map *map): a kfunc that sums the map's per-CPU element counters
          g.out.add(Insn.ldMap(R1, map.specName()), Insn.callKfunc(c.kfunc()), Alu.MOV.reg(dst, R0));
        }
      }
    }
  }

  /**
   * {@code delete(@m[k])}: removes the element. An array element, which cannot be removed, is zeroed on every
   * CPU. A missing element is not an error.
   */
  void delete(MapInfo map, TExpr key) {
    Mem k = g.keyMem(map, key);
    if (!storage(map).isArray()) {
      g.out.add(Insn.ldMap(R1, map.specName()));
      g.lea(R2, k);
      g.out.add(Insn.call(Helper.MAP_DELETE_ELEM));
      return;
    }
    // for each CPU: r0 = map_lookup_percpu_elem(map, &key, cpu); if r0 == 0 break; *(u64 *)r0 = 0
    int ncpus = g.info.possibleCpus() > 0 ? g.info.possibleCpus() : MAX_CPUS;
    Label loop = new Label("cpu"), done = new Label("cpusdone");
    try (ProbeGen.Temp cpu = g.temp()) {
      Reg c = cpu.reg;
      g.out.add(Alu.MOV.imm(c, 0));
      g.out.bind(loop).add(Jmp.JGE.imm(c, ncpus, done), Insn.ldMap(R1, map.specName()));
      g.lea(R2, k);
      g.out.add(Alu.MOV.reg(R3, c), Insn.call(Helper.MAP_LOOKUP_PERCPU_ELEM), Jmp.JEQ.imm(R0, 0, done), Insn.st(Size.DW, R0, 0, 0),
          Alu.ADD.imm(c, 1), Insn.ja(loop));
      g.out.bind(done);
    }
  }
}
