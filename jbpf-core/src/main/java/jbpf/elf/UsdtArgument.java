package jbpf.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One argument of a USDT probe: {@code [-]size@operand}, where a negative size means a signed value.
 * x86-64 operands use AT&amp;T syntax ({@code %edi}, {@code -16(%rbp)}, {@code 8(%rax,%rbx,4)}, {@code sym(%rip)},
 * {@code $5}); AArch64 operands are {@code x0}, {@code [sp, 16]}, {@code [x1]} or a bare number.
 *
 * @param size the value's size in bytes: 1, 2, 4 or 8
 * @param signed whether the value is signed
 * @param operand where the value is
 */
public record UsdtArgument(int size, boolean signed, Operand operand) {
  public UsdtArgument {
    if (size != 1 && size != 2 && size != 4 && size != 8) throw new IllegalArgumentException("argument size " + size);
    Objects.requireNonNull(operand);
  }

  /** Where an argument's value is. */
  public sealed interface Operand {}

  /** The value is in a register, named as written without {@code %}, e.g. {@code edi}. */
  public record Register(String name) implements Operand {
    /** {@return the full 64-bit register that holds this one, e.g. {@code rdi} for {@code edi}, or the name itself} */
    public String full() { return X86_FULL.getOrDefault(name, name); }
  }

  /**
   * The value is in memory at {@code base + index * scale + offset} (+ the address of {@code symbol}, when set).
   *
   * @param base the base register, e.g. {@code rbp}
   * @param index the index register, or {@code null}
   * @param scale the index scale (1 without index)
   * @param symbol a symbol whose address is added, e.g. in {@code counter(%rip)}; {@code null} if none
   */
  public record Memory(long offset, String base, String index, int scale, String symbol) implements Operand {}

  /** The value is a constant, e.g. {@code $5}. */
  public record Constant(long value) implements Operand {}

  private static final Map<String, String> X86_FULL = x86Registers();

  private static Map<String, String> x86Registers() {
    var m = new java.util.HashMap<String, String>();
    String[][] groups = {
        {"rax", "eax", "ax", "al", "ah"}, {"rbx", "ebx", "bx", "bl", "bh"}, {"rcx", "ecx", "cx", "cl", "ch"},
        {"rdx", "edx", "dx", "dl", "dh"}, {"rsi", "esi", "si", "sil"}, {"rdi", "edi", "di", "dil"},
        {"rbp", "ebp", "bp", "bpl"}, {"rsp", "esp", "sp", "spl"}, {"rip", "eip"}};
    for (String[] g : groups) for (String r : g) m.put(r, g[0]);
    for (int i = 8; i <= 15; i++) for (String suffix : new String[] {"", "d", "w", "b"}) m.put("r" + i + suffix, "r" + i);
    return Map.copyOf(m);
  }

  /**
   * {@return the offset in the x86-64 {@code struct pt_regs} (arch/x86/include/asm/ptrace.h) of the 64-bit
   * register holding {@code register}, or -1 if it is not an x86-64 general-purpose register}
   */
  public static int x86PtRegsOffset(String register) {
    String full = X86_FULL.get(register);
    if (full == null) return -1;
    int slot = switch (full) {
      case "r15" -> 0; case "r14" -> 1; case "r13" -> 2; case "r12" -> 3; case "rbp" -> 4; case "rbx" -> 5;
      case "r11" -> 6; case "r10" -> 7; case "r9" -> 8; case "r8" -> 9; case "rax" -> 10; case "rcx" -> 11;
      case "rdx" -> 12; case "rsi" -> 13; case "rdi" -> 14; case "rip" -> 16; case "rsp" -> 19;
      default -> -1;
    };
    return slot < 0 ? -1 : slot * 8;
  }

  /**
   * Parses an argument specification, arguments separated by blanks.
   *
   * @throws ElfFormatException naming the argument that could not be parsed
   */
  public static List<UsdtArgument> parseAll(String spec) {
    List<UsdtArgument> out = new ArrayList<>();
    for (String part : spec.trim().split("\\s+")) if (!part.isEmpty()) out.add(parse(part));
    return out;
  }

  /**
   * Parses one argument, e.g. {@code -4@%edi}.
   *
   * @throws ElfFormatException if it is not of the form {@code [-]size@operand}
   */
  public static UsdtArgument parse(String arg) {
    int at = arg.indexOf('@');
    if (at <= 0) throw bad(arg, "no size@ prefix");
    int size;
    try {
      size = Integer.parseInt(arg.substring(0, at));
    } catch (NumberFormatException e) {
      throw bad(arg, "size is not a number");
    }
    boolean signed = size < 0;
    size = Math.abs(size);
    if (size != 1 && size != 2 && size != 4 && size != 8) throw bad(arg, "size " + size + " is not 1, 2, 4 or 8");
    return new UsdtArgument(size, signed, operand(arg, arg.substring(at + 1)));
  }

  private static Operand operand(String arg, String s) {
    if (s.isEmpty()) throw bad(arg, "empty operand");
    if (s.startsWith("$")) return new Constant(number(arg, s.substring(1)));
    if (s.startsWith("%")) return new Register(register(arg, s));
    if (s.startsWith("[")) {                                   // AArch64: [x1], [sp, 16], [x1, -8]
      if (!s.endsWith("]")) throw bad(arg, "unterminated [");
      String[] parts = s.substring(1, s.length() - 1).split(",");
      String base = parts[0].trim();
      if (!base.matches("[a-z][a-z0-9]*")) throw bad(arg, "bad base register " + base);
      long off = parts.length > 1 ? number(arg, parts[1].trim()) : 0;
      if (parts.length > 2) throw bad(arg, "too many parts in []");
      return new Memory(off, base, null, 1, null);
    }
    int paren = s.indexOf('(');
    if (paren >= 0) {                                          // x86-64: off(%base,%index,scale) or sym(%rip)
      if (!s.endsWith(")")) throw bad(arg, "unterminated (");
      String disp = s.substring(0, paren);
      String[] parts = s.substring(paren + 1, s.length() - 1).split(",", -1);
      String base = parts[0].isEmpty() ? null : register(arg, parts[0].trim());
      String index = parts.length > 1 && !parts[1].isBlank() ? register(arg, parts[1].trim()) : null;
      int scale = parts.length > 2 ? (int) number(arg, parts[2].trim()) : 1;
      if (parts.length > 3 || (scale != 1 && scale != 2 && scale != 4 && scale != 8)) throw bad(arg, "bad memory operand");
      if (base == null) throw bad(arg, "memory operand without base register");
      long off = 0;
      String symbol = null;
      if (!disp.isEmpty()) {
        if (Character.isDigit(disp.charAt(0)) || disp.charAt(0) == '-' || disp.charAt(0) == '+') off = number(arg, disp);
        else {
          int plus = Math.max(disp.lastIndexOf('+'), disp.lastIndexOf('-'));
          if (plus > 0) {
            symbol = disp.substring(0, plus);
            off = number(arg, disp.substring(plus));
          } else symbol = disp;
          if (!symbol.matches("[A-Za-z_.$][A-Za-z0-9_.$@]*")) throw bad(arg, "bad symbol " + symbol);
        }
      }
      return new Memory(off, base, index, scale, symbol);
    }
    if (s.matches("[a-z][a-z0-9]*")) return new Register(s);   // AArch64 register
    return new Constant(number(arg, s));
  }

  private static String register(String arg, String s) {
    if (!s.startsWith("%") || s.length() < 2 || !s.substring(1).matches("[a-z][a-z0-9]*")) throw bad(arg, "bad register " + s);
    return s.substring(1);
  }

  private static long number(String arg, String s) {
    try {
      boolean neg = s.startsWith("-");
      String t = neg || s.startsWith("+") ? s.substring(1) : s;
      long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
      return neg ? -v : v;
    } catch (NumberFormatException e) {
      throw bad(arg, "bad number " + s);
    }
  }

  private static ElfFormatException bad(String arg, String why) {
    return new ElfFormatException("parse USDT argument '" + arg + "': " + why);
  }
}
