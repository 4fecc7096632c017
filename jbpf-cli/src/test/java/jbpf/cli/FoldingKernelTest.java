package jbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Constant folding agrees with the kernel: random integer expressions are compiled twice, once with literals, which
 * the compiler folds to a constant, and once with the same values in variables, which the program computes; the
 * BEGIN block compares the two and prints both on a mismatch. Operators, casts, ternaries and the mixing of signed
 * and unsigned operands are all drawn; the seed of each script is in its name.
 */
@RequiresKernel
class FoldingKernelTest {
  private static final String[] BINARY = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "==", "!=", "<", "<=", ">", ">=", "&&", "||"};
  private static final String[] CASTS = {"int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "bool"};
  private static final long[] INTERESTING = {0, 1, -1, 2, 7, 63, 64, 65, 127, 128, 255, 256, 32767, -32768, 65535, 0x7fffffff, 0x80000000L,
      0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE};

  @TestFactory
  Stream<DynamicTest> foldingMatchesTheKernel() {
    return IntStream.range(0, 30).mapToObj(i -> {
      long seed = 20261120L + i;
      return DynamicTest.dynamicTest("seed " + seed, () -> check(seed));
    });
  }

  private static void check(long seed) {
    Random r = new Random(seed);
    StringBuilder script = new StringBuilder("BEGIN {\n");
    StringBuilder checks = new StringBuilder();
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      Pair e = expr(r, 4, values);
      checks.append("  if ((").append(e.folded).append(") != (").append(e.computed).append(")) { printf(\"FAIL ").append(i)
          .append(" %lld %lld\\n\", ").append(e.folded).append(", ").append(e.computed).append("); }\n");
    }
    for (int v = 0; v < values.size(); v++) script.append("  $c").append(v).append(" = ").append(literal(values.get(v))).append(";\n");
    script.append(checks).append("  printf(\"done\\n\");\n  exit();\n}\n");
    SelfTestKernelTest.Run run = SelfTestKernelTest.run("-e", script.toString());
    assertEquals(0, run.code(), run.err() + script);
    assertFalse(run.out().contains("FAIL"), run.out() + script);
    assertTrue(run.out().contains("done"), run.out() + run.err() + script);
  }

  /** The same expression with literals ({@code folded}) and with variables holding them ({@code computed}). */
  private record Pair(String folded, String computed) {}

  private static Pair expr(Random r, int depth, List<Long> values) {
    int pick = depth == 0 ? 0 : r.nextInt(10);
    switch (pick) {
      case 0, 1, 2 -> {
        long v = r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(4) == 0 ? r.nextInt(2000) - 1000 : INTERESTING[r.nextInt(INTERESTING.length)];
        values.add(v);
        return new Pair(literal(v), "$c" + (values.size() - 1));
      }
      case 3 -> {
        String c = CASTS[r.nextInt(CASTS.length)];
        Pair a = expr(r, depth - 1, values);
        return new Pair("(" + c + ")(" + a.folded + ")", "(" + c + ")(" + a.computed + ")");
      }
      case 4 -> {
        String op = new String[] {"-", "~", "!"}[r.nextInt(3)];
        Pair a = expr(r, depth - 1, values);
        return new Pair(op + "(" + a.folded + ")", op + "(" + a.computed + ")");
      }
      case 5 -> {
        Pair c = expr(r, depth - 1, values), a = expr(r, depth - 1, values), b = expr(r, depth - 1, values);
        return new Pair("((" + c.folded + ") ? (" + a.folded + ") : (" + b.folded + "))", "((" + c.computed + ") ? (" + a.computed + ") : (" + b.computed + "))");
      }
      default -> {
        String op = BINARY[r.nextInt(BINARY.length)];
        Pair a = expr(r, depth - 1, values), b = expr(r, depth - 1, values);
        return new Pair("(" + a.folded + " " + op + " " + b.folded + ")", "(" + a.computed + " " + op + " " + b.computed + ")");
      }
    }
  }

  /** A literal of {@code v}: negative values as a negation, so that they stay signed; large ones in hexadecimal. */
  private static String literal(long v) {
    if (v == Long.MIN_VALUE) return "(-0x7fffffffffffffff - 1)";
    if (v < 0) return "(" + v + ")";
    return Long.toString(v);
  }
}
