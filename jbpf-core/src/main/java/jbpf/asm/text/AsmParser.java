package jbpf.asm.text;

import static jbpf.asm.Opcode.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jbpf.asm.Bytecode;
import jbpf.asm.Insn;
import jbpf.asm.Reg;
import jbpf.asm.Size;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;

/**
 * Assembles the bpf_conformance assembly syntax into a {@link Bytecode}. One instruction or label per line;
 * {@code #} starts a comment. A sample of its input:
 *
 * <pre>
 * mov %r0, 0                 # dst, imm or %reg
 * ldxh %r3, [%r1+12]         # loads and stores take [%reg], [%reg+off] or [%reg-off]
 * jne %r3, 0x81, L1          # jump targets are labels or +N/-N slots; "exit" names the first exit
 * lock fetch add32 [%r10-8], %r1
 * call local func1           # also: call N, call helper N, call runtime N, call %rN
 * L1:
 * exit
 * </pre>
 *
 * <p>Extensions beyond bpf_conformance: {@code ja32} (a {@code gotol} with a 32-bit offset), sign-extending
 * {@code movsx832 … movsx3264} and {@code ldxsb/ldxsh/ldxsw}, {@code smod}, and map references
 * {@code lddw %r1, map:NAME} and {@code lddw %r1, mapvalue:NAME+OFF}.
 */
public final class AsmParser {
  private static final Map<String, Integer> ALU_OPS = Map.ofEntries(
      Map.entry("add", ADD), Map.entry("sub", SUB), Map.entry("mul", MUL), Map.entry("div", DIV),
      Map.entry("sdiv", DIV), Map.entry("or", OR), Map.entry("and", AND), Map.entry("lsh", LSH),
      Map.entry("rsh", RSH), Map.entry("neg", NEG), Map.entry("mod", MOD), Map.entry("smod", MOD),
      Map.entry("xor", XOR), Map.entry("mov", MOV), Map.entry("arsh", ARSH));
  private static final Map<String, Integer> JMP_OPS = Map.ofEntries(
      Map.entry("jeq", JEQ), Map.entry("jgt", JGT), Map.entry("jge", JGE), Map.entry("jset", JSET),
      Map.entry("jne", JNE), Map.entry("jsgt", JSGT), Map.entry("jsge", JSGE), Map.entry("jlt", JLT),
      Map.entry("jle", JLE), Map.entry("jslt", JSLT), Map.entry("jsle", JSLE));
  private static final Map<String, Integer> ATOMIC_OPS = Map.of(
      "add", ADD, "and", AND, "or", OR, "xor", XOR, "xchg", XCHG, "cmpxchg", CMPXCHG);
  private static final Map<String, Size> SIZES = Map.of("b", Size.B, "h", Size.H, "w", Size.W, "dw", Size.DW);

  private final Source source;
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Insn> insns = new ArrayList<>();
  private final List<Span> spans = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();   // label each insn jumps or calls to, or null
  private final List<Integer> slotOf = new ArrayList<>();
  private final Map<String, Integer> labels = new HashMap<>();   // label -> slot
  private final Map<String, Span> labelSpans = new HashMap<>();
  private int slots;
  private boolean sawExit;

  private AsmParser(Source source) { this.source = source; }

  /**
   * {@return the program in {@code source}}
   *
   * @throws CompileException listing every line that could not be assembled
   */
  public static Bytecode parse(Source source) throws CompileException {
    return new AsmParser(source).run();
  }

  /** {@return the program in {@code text}, named {@code asm} in diagnostics} @throws CompileException on errors */
  public static Bytecode parse(String text) throws CompileException { return parse(new Source("asm", text)); }

  private Bytecode run() throws CompileException {
    String text = source.text();
    for (int line = 1; line <= source.lineCount(); line++) {
      int start = source.lineStart(line);
      String raw = source.lineText(line);
      int hash = raw.indexOf('#');
      String code = hash >= 0 ? raw.substring(0, hash) : raw;
      try {
        line(code, start);
      } catch (AsmError e) {
        errors.add(Diagnostic.error(e.span, e.getMessage(), e.hint));
      }
    }
    if (text.isEmpty() && errors.isEmpty()) errors.add(Diagnostic.error(null, "empty program"));
    List<Insn> out = new ArrayList<>(insns.size());
    Map<Integer, String> labelNames = new HashMap<>();
    Map<Integer, Integer> indexOfSlot = new HashMap<>();
    for (int i = 0; i < slotOf.size(); i++) indexOfSlot.put(slotOf.get(i), i);
    labels.forEach((name, slot) -> {
      Integer idx = indexOfSlot.get(slot);
      if (idx != null) labelNames.merge(idx, name, (a, b) -> a.compareTo(b) < 0 ? a + ", " + b : b + ", " + a);
    });
    for (int i = 0; i < insns.size(); i++) {
      Insn insn = insns.get(i);
      String target = targets.get(i);
      if (target != null) {
        Integer at = labels.get(target);
        if (at == null) {
          errors.add(Diagnostic.error(spans.get(i), "undefined label: " + target, "define it with a line '" + target + ":'"));
          out.add(insn);
          continue;
        }
        long delta = at - slotOf.get(i) - 1L;
        boolean usesImm = insn.opcode() == (JMP | CALL) || insn.opcode() == (JMP32 | JA);
        if (!usesImm && (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE)) {
          errors.add(Diagnostic.error(spans.get(i), "jump to " + target + " is " + delta + " slots away, beyond a 16-bit offset",
              "use ja32 for long unconditional jumps"));
          out.add(insn);
          continue;
        }
        insn = usesImm ? insn.withImm(delta) : insn.withOff((int) delta);
      }
      out.add(insn);
    }
    if (!errors.isEmpty()) {
      errors.sort((a, b) -> Integer.compare(a.span() == null ? -1 : a.span().start(), b.span() == null ? -1 : b.span().start()));
      throw new CompileException(errors);
    }
    return new Bytecode(out, spans, java.util.Arrays.asList(new String[out.size()]), labelNames);
  }

  /** An error at a span, turned into a {@link Diagnostic}. */
  private static final class AsmError extends Exception {
    final Span span;
    final String hint;

    AsmError(Span span, String message, String hint) {
      super(message, null, false, false);
      this.span = span;
      this.hint = hint;
    }
  }

  /** A token: its text and where it is. */
  private record Tok(String text, Span span) {}

  private void line(String code, int lineStart) throws AsmError {
    List<Tok> toks = tokens(code, lineStart);
    if (toks.isEmpty()) return;
    Tok first = toks.getFirst();
    if (first.text().endsWith(":")) {
      String name = first.text().substring(0, first.text().length() - 1);
      if (name.isEmpty()) throw new AsmError(first.span(), "empty label name", null);
      if (labels.containsKey(name) && labelSpans.containsKey(name))
        throw new AsmError(first.span(), "duplicate label: " + name, "the first definition is at " + labelSpans.get(name));
      labels.put(name, slots);
      labelSpans.put(name, first.span());
      toks = toks.subList(1, toks.size());
      if (toks.isEmpty()) return;
    }
    Tok m = toks.getFirst();
    List<Tok> ops = toks.subList(1, toks.size());
    Span span = m.span().to(toks.getLast().span());
    String target = null;
    String mn = m.text().toLowerCase(Locale.ROOT);
    Insn insn;
    String[] holder = new String[1];
    if (mn.equals("exit")) {
      arity(m, ops, 0);
      if (!sawExit && !labelSpans.containsKey("exit")) labels.put("exit", slots);
      sawExit = true;
      insn = Insn.exit();
    } else if (mn.equals("ja") || mn.equals("ja32")) {
      arity(m, ops, 1);
      boolean wide = mn.equals("ja32");
      long off = jumpTarget(ops.get(0), holder, wide);
      target = holder[0];
      insn = wide ? new Insn(JMP32 | JA, 0, 0, 0, off) : new Insn(JMP | JA, 0, 0, (int) off, 0);
    } else if (mn.equals("call")) {
      insn = call(m, ops, holder);
      target = holder[0];
    } else if (mn.equals("lddw")) {
      arity(m, ops, 2);
      insn = lddw(reg(ops.get(0)), ops.get(1));
    } else if (mn.equals("lock")) {
      insn = atomic(m, ops);
    } else if (mn.startsWith("ldx")) {
      arity(m, ops, 2);
      boolean sx = mn.startsWith("ldxs") && !mn.equals("ldxs");
      Size size = size(m, mn.substring(sx ? 4 : 3));
      if (sx && size == Size.DW) throw new AsmError(m.span(), "no sign-extending 64-bit load: " + mn, "use ldxdw");
      int dst = reg(ops.get(0));
      int[] mem = memory(ops.get(1));
      insn = new Insn(LDX | (sx ? MEMSX : MEM) | size.bits(), dst, mem[0], mem[1], 0);
    } else if (mn.startsWith("stx")) {
      arity(m, ops, 2);
      Size size = size(m, mn.substring(3));
      int[] mem = memory(ops.get(0));
      insn = new Insn(STX | MEM | size.bits(), mem[0], reg(ops.get(1)), mem[1], 0);
    } else if (mn.startsWith("st") && SIZES.containsKey(mn.substring(2))) {
      arity(m, ops, 2);
      Size size = size(m, mn.substring(2));
      int[] mem = memory(ops.get(0));
      insn = new Insn(ST | MEM | size.bits(), mem[0], 0, mem[1], imm32(ops.get(1)));
    } else if (mn.matches("(be|le|b?swap)(16|32|64)")) {
      arity(m, ops, 1);
      int bits = Integer.parseInt(mn.replaceAll("\\D", ""));
      int opc = mn.startsWith("be") ? ALU | END | TO_BE : mn.startsWith("le") ? ALU | END | TO_LE : ALU64 | END | TO_LE;
      insn = new Insn(opc, reg(ops.get(0)), 0, 0, bits);
    } else if (mn.matches("movsx(8|16|32)(32|64)")) {
      arity(m, ops, 2);
      String bits = mn.substring(5);
      int from = bits.startsWith("8") ? 8 : Integer.parseInt(bits.substring(0, 2));
      boolean is64 = bits.endsWith("64");
      if (!is64 && from == 32) throw new AsmError(m.span(), "movsx3232 is not an instruction", "use mov32");
      insn = new Insn((is64 ? ALU64 : ALU) | MOV | X, reg(ops.get(0)), reg(ops.get(1)), from, 0);
    } else if (JMP_OPS.containsKey(strip32(mn))) {
      arity(m, ops, 3);
      int cls = mn.endsWith("32") ? JMP32 : JMP;
      int dst = reg(ops.get(0));
      long off = jumpTarget(ops.get(2), holder, false);
      target = holder[0];
      int op = JMP_OPS.get(strip32(mn));
      if (isReg(ops.get(1))) insn = new Insn(cls | op | X, dst, reg(ops.get(1)), (int) off, 0);
      else insn = new Insn(cls | op | K, dst, 0, (int) off, imm32(ops.get(1)));
    } else if (ALU_OPS.containsKey(strip32(mn))) {
      String base = strip32(mn);
      int cls = mn.endsWith("32") ? ALU : ALU64;
      int op = ALU_OPS.get(base);
      int signed = base.equals("sdiv") || base.equals("smod") ? 1 : 0;
      if (op == NEG) {
        arity(m, ops, 1);
        insn = new Insn(cls | NEG | K, reg(ops.get(0)), 0, 0, 0);
      } else {
        arity(m, ops, 2);
        int dst = reg(ops.get(0));
        if (isReg(ops.get(1))) insn = new Insn(cls | op | X, dst, reg(ops.get(1)), signed, 0);
        else insn = new Insn(cls | op | K, dst, 0, signed, imm32(ops.get(1)));
      }
    } else {
      throw new AsmError(m.span(), "unknown mnemonic: " + m.text(), null);
    }
    insns.add(insn);
    spans.add(span);
    targets.add(target);
    slotOf.add(slots);
    slots += insn.slots();
  }

  private static String strip32(String mn) { return mn.endsWith("32") ? mn.substring(0, mn.length() - 2) : mn; }

  private Insn call(Tok m, List<Tok> ops, String[] target) throws AsmError {
    if (ops.size() == 1) {
      Tok t = ops.get(0);
      if (isReg(t)) return new Insn(JMP | CALL | X, reg(t), 0, 0, 0);
      return new Insn(JMP | CALL, 0, 0, 0, imm32(t));
    }
    arity(m, ops, 2);
    String mode = ops.get(0).text();
    return switch (mode) {
      case "helper" -> new Insn(JMP | CALL, 0, 0, 0, imm32(ops.get(1)));
      case "runtime" -> new Insn(JMP | CALL, 0, PSEUDO_KFUNC_CALL, 0, imm32(ops.get(1)));
      case "local" -> new Insn(JMP | CALL, 0, PSEUDO_CALL, 0, jumpTarget(ops.get(1), target, true));
      default -> throw new AsmError(ops.get(0).span(), "unknown call mode: " + mode, "use helper, local or runtime");
    };
  }

  private Insn lddw(int dst, Tok t) throws AsmError {
    String s = t.text();
    if (s.startsWith("map:")) return Insn.ldMap(Reg.of(dst), name(t, s.substring(4)));
    if (s.startsWith("mapvalue:")) {
      String rest = s.substring(9);
      int plus = rest.indexOf('+');
      String name = plus >= 0 ? rest.substring(0, plus) : rest;
      int off = plus >= 0 ? (int) number(t, rest.substring(plus + 1), 0, Integer.MAX_VALUE) : 0;
      return Insn.ldMapValue(Reg.of(dst), name(t, name), off);
    }
    return new Insn(LDDW, dst, 0, 0, number(t, s, Long.MIN_VALUE, -1L));
  }

  private static String name(Tok t, String name) throws AsmError {
    if (name.isEmpty()) throw new AsmError(t.span(), "missing map name", "write map:NAME");
    return name;
  }

  private Insn atomic(Tok m, List<Tok> ops) throws AsmError {
    boolean fetch = !ops.isEmpty() && ops.get(0).text().equals("fetch");
    List<Tok> rest = fetch ? ops.subList(1, ops.size()) : ops;
    if (rest.size() != 3) throw new AsmError(m.span(), "lock takes an operation, [%reg+off] and %reg",
        "e.g. lock fetch add [%r10-8], %r1");
    String name = rest.get(0).text();
    Integer op = ATOMIC_OPS.get(strip32(name));
    if (op == null) throw new AsmError(rest.get(0).span(), "unknown atomic operation: " + name,
        "use add, and, or, xor, xchg or cmpxchg, with 32 for 32-bit");
    Size size = name.endsWith("32") ? Size.W : Size.DW;
    int[] mem = memory(rest.get(1));
    int imm = op | (fetch ? FETCH : 0);
    return new Insn(STX | ATOMIC | size.bits(), mem[0], reg(rest.get(2)), mem[1], imm);
  }

  private static Size size(Tok m, String suffix) throws AsmError {
    Size s = SIZES.get(suffix);
    if (s == null) throw new AsmError(m.span(), "unknown mnemonic: " + m.text(), "sizes are b, h, w and dw");
    return s;
  }

  private static void arity(Tok m, List<Tok> ops, int n) throws AsmError {
    if (ops.size() != n)
      throw new AsmError(m.span(), m.text() + " takes " + n + " operand" + (n == 1 ? "" : "s") + ", not " + ops.size(), null);
  }

  private static boolean isReg(Tok t) { return t.text().startsWith("%"); }

  private static int reg(Tok t) throws AsmError {
    String s = t.text();
    if (s.matches("%r([0-9]|1[0-5])")) return Integer.parseInt(s.substring(2));
    throw new AsmError(t.span(), "not a register: " + s, "registers are %r0 to %r10");
  }

  /** {@return {register, offset} of {@code [%rN]}, {@code [%rN+off]} or {@code [%rN-off]}} */
  private static int[] memory(Tok t) throws AsmError {
    String s = t.text();
    if (!s.startsWith("[") || !s.endsWith("]"))
      throw new AsmError(t.span(), "not a memory operand: " + s, "write [%reg], [%reg+off] or [%reg-off]");
    String inner = s.substring(1, s.length() - 1);
    int sign = Math.max(inner.indexOf('+'), inner.indexOf('-'));
    String r = sign >= 0 ? inner.substring(0, sign) : inner;
    int regNum = reg(new Tok(r, t.span()));
    int off = 0;
    if (sign >= 0) off = (int) number(t, inner.substring(sign), Short.MIN_VALUE, Short.MAX_VALUE);
    return new int[] {regNum, off};
  }

  private static int imm32(Tok t) throws AsmError {
    return (int) number(t, t.text(), Integer.MIN_VALUE, 0xffff_ffffL);
  }

  /**
   * Resolves a jump operand: {@code +N}/{@code -N} is a slot offset, anything else a label stored in
   * {@code label[0]} and resolved later.
   */
  private static long jumpTarget(Tok t, String[] label, boolean wide) throws AsmError {
    String s = t.text();
    label[0] = null;
    if (s.startsWith("+") || s.startsWith("-"))
      return number(t, s, wide ? Integer.MIN_VALUE : Short.MIN_VALUE, wide ? Integer.MAX_VALUE : Short.MAX_VALUE);
    if (!s.matches("[A-Za-z_.$][A-Za-z0-9_.$]*")) throw new AsmError(t.span(), "not a jump target: " + s, "use a label or +N/-N");
    label[0] = s;
    return 0;
  }

  /**
   * Parses a decimal or {@code 0x} number with an optional sign. Values above {@code max} up to the unsigned
   * limit of the field wrap, as in two's complement ({@code max == -1} means any 64-bit value).
   */
  private static long number(Tok t, String s, long min, long max) throws AsmError {
    String body = s;
    boolean neg = false;
    if (body.startsWith("+")) body = body.substring(1);
    else if (body.startsWith("-")) { neg = true; body = body.substring(1); }
    long v;
    try {
      if (body.startsWith("0x") || body.startsWith("0X")) v = Long.parseUnsignedLong(body.substring(2), 16);
      else v = Long.parseUnsignedLong(body);
    } catch (NumberFormatException e) {
      throw new AsmError(t.span(), "not a number: " + s, null);
    }
    if (max == -1L) return neg ? -v : v;   // 64-bit: any bit pattern
    if (neg) {
      if (Long.compareUnsigned(v, -min) > 0) throw new AsmError(t.span(), "number out of range: " + s, null);
      return -v;
    }
    if (Long.compareUnsigned(v, max) > 0) throw new AsmError(t.span(), "number out of range: " + s, null);
    return v;
  }

  private List<Tok> tokens(String code, int lineStart) {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    int n = code.length();
    while (i < n) {
      char c = code.charAt(i);
      if (Character.isWhitespace(c) || c == ',') { i++; continue; }
      int start = i;
      if (c == '[') {
        while (i < n && code.charAt(i) != ']') i++;
        if (i < n) i++;
        out.add(new Tok(code.substring(start, i).replace(" ", ""), source.span(lineStart + start, lineStart + i)));
        continue;
      }
      while (i < n && !Character.isWhitespace(code.charAt(i)) && code.charAt(i) != ',') i++;
      out.add(new Tok(code.substring(start, i), source.span(lineStart + start, lineStart + i)));
    }
    return out;
  }
}
