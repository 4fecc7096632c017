package jbpf.output;

import java.math.BigInteger;
import jbpf.output.internal.ByteBuf;

/**
 * The ASCII art and JSON bucket lists of {@code hist()} and {@code lhist()}.
 *
 * <p>Only the buckets from the first to the last non-empty one are shown; empty buckets between them stay. Each
 * line is the label padded to 16 columns, the count right-aligned in 8, and a bar of {@code @} scaled so that the
 * fullest bucket is 52 wide. bpftrace computes in C {@code int} and {@code float}; the casts below reproduce it.
 */
final class HistFormat {
  private HistFormat() {}

  private static final int BAR_WIDTH = 52;
  private static final String SUFFIXES = "\0KMGTPE";

  /** Appends the art of {@code h}, with counts (not bars) divided by {@code div}. Nothing if all buckets are 0. */
  static void text(ByteBuf out, Value.Hist h, long div) {
    long[] v = h.raw();
    int[] range = nonZeroRange(v);
    if (range == null) return;
    int maxValue = maxAsInt(v);
    int k = h.bits();
    for (int i = range[0]; i <= range[1]; i++) {
      int start = out.length();
      if (i == 0) {
        out.put("(..., 0)");
      } else {
        out.put((byte) '[');
        long lower = labelValue(i - 1, k);
        long upper = labelValue(i, k);
        boolean plain = i - 1 <= (2 << k) && i <= (2 << k);
        label(out, i - 1, k);
        if (!(plain && lower + 1 == upper)) {
          out.put(", ");
          label(out, i, k);
          out.put((byte) ')');
        } else {
          out.put((byte) ']');
        }
      }
      line(out, start, Long.divideUnsigned(v[i], div), v[i], maxValue);
    }
  }

  /** Appends the art of {@code l}. bpftrace 0.17 never divides lhist counts, whatever {@code print()} says. */
  static void text(ByteBuf out, Value.Lhist l) {
    long[] v = l.raw();
    int[] range = nonZeroRange(v);
    if (range == null) return;
    int maxValue = maxAsInt(v);
    int buckets = v.length - 2;
    for (int i = range[0]; i <= range[1]; i++) {
      int start = out.length();
      if (i == 0) {
        out.put("(..., ");
        lhistLabel(out, l.min());
        out.put((byte) ')');
      } else if (i == buckets + 1) {
        out.put((byte) '[');
        lhistLabel(out, l.max());
        out.put(", ...)");
      } else {
        out.put((byte) '[');
        lhistLabel(out, (i - 1) * l.step() + l.min());
        out.put(", ");
        lhistLabel(out, i * l.step() + l.min());
        out.put((byte) ')');
      }
      line(out, start, v[i], v[i], maxValue);
    }
  }

  /** Finishes the line whose label starts at {@code start}: padding, count and bar. */
  private static void line(ByteBuf out, int start, long shownCount, long count, int maxValue) {
    out.repeat((byte) ' ', 16 - (out.length() - start));
    int countStart = out.length();
    out.unsignedDecimal(shownCount);
    int digits = out.length() - countStart;
    if (digits < 8) out.insert(countStart, (byte) ' ', 8 - digits);
    out.put(" |");
    // C: int bar_width = values.at(i) / (float)max_value * max_width;
    int bar = (int) (unsignedToFloat(count) / (float) maxValue * BAR_WIDTH);
    out.repeat((byte) '@', bar);
    out.repeat((byte) ' ', BAR_WIDTH - bar);
    out.put("|\n");
  }

  /**
   * {@return the first and last bucket whose count, read as a C {@code int}, is positive; null if none}
   * bpftrace stores each count in an {@code int} before testing it.
   */
  private static int[] nonZeroRange(long[] v) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < v.length; i++) {
      if ((int) v[i] > 0) {
        if (first == -1) first = i;
        last = i;
      }
    }
    return first == -1 ? null : new int[] {first, last};
  }

  private static int maxAsInt(long[] v) {
    int max = 0;
    for (long x : v) if ((int) x > max) max = (int) x;
    return max;
  }

  private static float unsignedToFloat(long v) {
    if (v >= 0) return (float) v;
    return (float) (v >>> 1) * 2f;
  }

  /**
   * {@return the numeric value of the label of bucket {@code i}: the exclusive upper end of the bucket} Labels of
   * the single-value buckets are plain numbers; the rest are {@code 2^power * (2^k + interval)}.
   */
  static long labelValue(int i, int k) {
    if (i <= (2 << k)) return i;
    int n = 1 << k;
    int interval = i & (n - 1);
    int power = (i >> k) - 1;
    return (1L << power) * (n + interval);
  }

  private static BigInteger bigLabelValue(int i, int k) {
    if (i <= (2 << k)) return BigInteger.valueOf(i);
    int n = 1 << k;
    int interval = i & (n - 1);
    int power = (i >> k) - 1;
    return BigInteger.ONE.shiftLeft(power).multiply(BigInteger.valueOf(n + interval));
  }

  /** Appends the label of bucket {@code i}, with a K, M, G, T, P or E suffix per power of 1024. */
  private static void label(ByteBuf out, int i, int k) {
    if (i <= (2 << k)) {
      out.decimal(i);
      return;
    }
    int n = 1 << k;
    int interval = i & (n - 1);
    int power = (i >> k) - 1;
    int decade = power / 10;
    power -= 10 * decade;
    out.unsignedDecimal((1L << power) * (n + interval));
    if (decade > 0) out.put((byte) SUFFIXES.charAt(Math.min(decade, SUFFIXES.length() - 1)));
  }

  /** Appends an lhist bound: 0, else a multiple of 1024 as {@code 5K} or of 1024² as {@code 3M}, else the number. */
  private static void lhistLabel(ByteBuf out, long number) {
    final long kilo = 1024;
    final long mega = 1024 * 1024;
    if (number == 0) out.put((byte) '0');
    else if (number % mega == 0) out.decimal(number / mega).put((byte) 'M');
    else if (number % kilo == 0) out.decimal(number / kilo).put((byte) 'K');
    else out.decimal(number);
  }

  /** Appends the JSON bucket list of {@code h}: {@code [{"min": 4, "max": 7, "count": 1}, ...]}. */
  static void json(ByteBuf out, Value.Hist h, long div) {
    long[] v = h.raw();
    int[] range = nonZeroRange(v);
    out.put((byte) '[');
    if (range != null) {
      int k = h.bits();
      for (int i = range[0]; i <= range[1]; i++) {
        if (i > range[0]) out.put(", ");
        out.put((byte) '{');
        if (i == 0) {
          out.put("\"max\": -1, ");
        } else if (k == 0 && i <= 33) {
          // bpftrace 0.17 computes these bounds in C int: the last bucket it can fill, [2^31, 2^32), comes out
          // as {"min": -2147483648, "max": 0}.
          int low = i <= 2 ? i - 1 : 1 << (i - 2);
          int high = i <= 2 ? i - 1 : (1 << (i - 1)) - 1;
          out.put("\"min\": ").decimal(low).put(", \"max\": ").decimal(high).put(", ");
        } else {
          out.put("\"min\": ").put(bigLabelValue(i - 1, k).toString());
          out.put(", \"max\": ").put(bigLabelValue(i, k).subtract(BigInteger.ONE).toString()).put(", ");
        }
        out.put("\"count\": ").unsignedDecimal(Long.divideUnsigned(v[i], div)).put((byte) '}');
      }
    }
    out.put((byte) ']');
  }

  /** Appends the JSON bucket list of {@code l}. */
  static void json(ByteBuf out, Value.Lhist l) {
    long[] v = l.raw();
    int[] range = nonZeroRange(v);
    out.put((byte) '[');
    if (range != null) {
      int buckets = v.length - 2;
      for (int i = range[0]; i <= range[1]; i++) {
        if (i > range[0]) out.put(", ");
        out.put((byte) '{');
        if (i == 0) {
          out.put("\"max\": ").decimal(l.min() - 1).put(", ");
        } else if (i == buckets + 1) {
          out.put("\"min\": ").decimal(l.max()).put(", ");
        } else {
          out.put("\"min\": ").decimal((i - 1) * l.step() + l.min());
          out.put(", \"max\": ").decimal(i * l.step() + l.min() - 1).put(", ");
        }
        out.put("\"count\": ").unsignedDecimal(v[i]).put((byte) '}');
      }
    }
    out.put((byte) ']');
  }
}
