package jbpf.output.picture;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes heat maps of histograms over time as SVG: one panel per series, time running left to right in columns, the
 * buckets of a {@code hist()} or {@code lhist()} stacked bottom to top, each cell coloured by its count on a
 * logarithmic scale (white for none). Hovering over a cell shows its time, bucket and count. Only the buckets from
 * the lowest to the highest ever used are drawn; past {@value #MAX_COLUMNS} columns, neighbours are added together.
 */
public final class HeatMap {
  /** How a histogram's buckets are numbered and labelled. */
  public sealed interface Buckets {
    /** {@return the number of buckets} */
    int size();

    /** {@return the label of bucket {@code i}, as bpftrace prints it next to the bar} */
    String label(int i);

    /**
     * The buckets of {@code hist(x, bits)}: bucket 0 holds negative values, then single values up to
     * 2<sup>bits+1</sup>, then every power of two split in 2<sup>bits</sup>.
     */
    record Log2(int bits, int size) implements Buckets {
      public Log2 {
        if (bits < 0 || bits > 5) throw new IllegalArgumentException("hist bits must be 0 to 5, got " + bits);
      }

      @Override public String label(int i) {
        if (i == 0) return "(..., 0)";
        long lower = bound(i - 1), upper = bound(i);
        boolean single = i - 1 <= (2 << bits) && i <= (2 << bits) && lower + 1 == upper;
        return single ? "[" + text(i - 1) + "]" : "[" + text(i - 1) + ", " + text(i) + ")";
      }

      private long bound(int i) {
        if (i <= (2 << bits)) return i;
        int n = 1 << bits;
        return (1L << ((i >> bits) - 1)) * (n + (i & (n - 1)));
      }

      private String text(int i) {
        if (i <= (2 << bits)) return Integer.toString(i);
        int n = 1 << bits;
        int power = (i >> bits) - 1;
        int decade = power / 10;
        String number = Long.toUnsignedString((1L << (power - 10 * decade)) * (n + (i & (n - 1))));
        return decade == 0 ? number : number + "KMGTPE".charAt(Math.min(decade, 6) - 1);
      }
    }

    /** The buckets of {@code lhist(x, min, max, step)}: below min, one per step, then max and above. */
    record Linear(long min, long max, long step) implements Buckets {
      public Linear {
        if (step <= 0 || max < min) throw new IllegalArgumentException("lhist(" + min + ", " + max + ", " + step + ") has no buckets");
      }

      @Override public int size() { return (int) ((max - min) / step + 2); }

      @Override public String label(int i) {
        if (i == 0) return "(..., " + text(min) + ")";
        if (i == size() - 1) return "[" + text(max) + ", ...)";
        return "[" + text((i - 1) * step + min) + ", " + text(i * step + min) + ")";
      }

      private static String text(long n) {
        if (n != 0 && n % (1024 * 1024) == 0) return n / (1024 * 1024) + "M";
        if (n != 0 && n % 1024 == 0) return n / 1024 + "K";
        return Long.toString(n);
      }
    }
  }

  /**
   * One column: the counts that arrived in an interval.
   *
   * @param seconds the end of the interval, in seconds from the start of tracing
   * @param counts one count per bucket
   */
  public record Column(double seconds, long[] counts) {
    public Column { counts = counts.clone(); }

    @Override public long[] counts() { return counts.clone(); }
  }

  /**
   * A histogram over time.
   *
   * @param name the caption, such as {@code @usecs} or {@code @usecs[sda]}
   */
  public record Series(String name, Buckets buckets, List<Column> columns) {
    public Series {
      Objects.requireNonNull(name);
      Objects.requireNonNull(buckets);
      columns = List.copyOf(columns);
      for (Column c : columns) {
        if (c.counts.length != buckets.size()) {
          throw new IllegalArgumentException("series " + name + " has " + buckets.size() + " buckets but a column has " + c.counts.length);
        }
      }
    }
  }

  /** @param title the heading */
  public record Options(String title, String subtitle) {
    public static final Options DEFAULT = new Options("Latency Heat Map", "");

    public Options {
      Objects.requireNonNull(title);
      Objects.requireNonNull(subtitle);
    }
  }

  static final int MAX_COLUMNS = 500;
  static final int PLOT_WIDTH = 1000;
  static final int CELL_HEIGHT = 14;
  static final int LEFT = 120;
  static final int RIGHT = 30;
  private static final int FONT_SIZE = 12;

  private HeatMap() {}

  /** Writes the panels of {@code series} to {@code out} (not closed). */
  public static void write(List<Series> series, Options o, Writer out) throws IOException {
    List<Panel> panels = new ArrayList<>();
    int cellWidth = 2;
    for (Series s : series) {
      Panel p = Panel.of(s);
      panels.add(p);
      if (p.columns.size() > 0) cellWidth = Math.max(cellWidth, Math.min(80, PLOT_WIDTH / p.columns.size()));
    }
    int plot = 0;
    for (Panel p : panels) plot = Math.max(plot, p.columns.size() * cellWidth);
    int width = Math.max(640, LEFT + plot + RIGHT);
    int top = o.subtitle().isEmpty() ? 40 : 56;
    int height = top;
    for (Panel p : panels) height += p.height();
    if (panels.isEmpty()) height += 40;
    height += 10;

    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    b.append("<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n");
    b.append("<!-- Heat map written by jbpf: ").append(series.size()).append(" series. -->\n");
    b.append("<style type=\"text/css\">\n").append(Svg.resource("heatmap.css")).append("</style>\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"rgb(250,250,250)\"/>\n");
    b.append("<text id=\"title\" x=\"").append(width / 2).append("\" y=\"24\">");
    Svg.escape(b, o.title()).append("</text>\n");
    if (!o.subtitle().isEmpty()) {
      b.append("<text id=\"subtitle\" x=\"").append(width / 2).append("\" y=\"42\">");
      Svg.escape(b, Svg.fit(o.subtitle(), width - 20)).append("</text>\n");
    }
    if (panels.isEmpty()) b.append("<text class=\"empty\" x=\"").append(width / 2).append("\" y=\"").append(top + 20).append("\">No histograms</text>\n");
    int y = top;
    for (Panel p : panels) {
      p.write(b, y, cellWidth);
      y += p.height();
      if (b.length() > 1 << 16) {
        out.append(b);
        b.setLength(0);
      }
    }
    b.append("</svg>\n");
    out.append(b);
  }

  /** A series ready to draw: columns merged down to at most MAX_COLUMNS, rows cut to the buckets in use. */
  private record Panel(Series series, List<Column> columns, int lowRow, int highRow, long max) {
    static Panel of(Series s) {
      List<Column> cols = s.columns();
      if (cols.size() > MAX_COLUMNS) {
        int group = (cols.size() + MAX_COLUMNS - 1) / MAX_COLUMNS;
        List<Column> merged = new ArrayList<>();
        for (int i = 0; i < cols.size(); i += group) {
          long[] sum = new long[s.buckets().size()];
          Column last = null;
          for (int j = i; j < Math.min(cols.size(), i + group); j++) {
            last = cols.get(j);
            long[] c = last.counts;
            for (int k = 0; k < sum.length; k++) sum[k] += c[k];
          }
          merged.add(new Column(last.seconds(), sum));
        }
        cols = merged;
      }
      int low = Integer.MAX_VALUE, high = -1;
      long max = 0;
      for (Column c : cols) {
        for (int k = 0; k < c.counts.length; k++) {
          if (c.counts[k] == 0) continue;
          low = Math.min(low, k);
          high = Math.max(high, k);
          max = Math.max(max, c.counts[k]);
        }
      }
      return new Panel(s, cols, low, high, max);
    }

    int rows() { return high() < 0 ? 0 : highRow - lowRow + 1; }

    int high() { return highRow; }

    int height() { return 30 + Math.max(rows(), 1) * CELL_HEIGHT + 40; }

    void write(StringBuilder b, int y, int cellWidth) {
      int plotTop = y + 30;
      b.append("<g class=\"panel\">\n<text class=\"caption\" x=\"").append(LEFT).append("\" y=\"").append(y + 20).append("\">");
      Svg.escape(b, series.name()).append("</text>\n");
      if (rows() == 0) {
        b.append("<text class=\"empty\" x=\"").append(LEFT + 100).append("\" y=\"").append(plotTop + 11).append("\">no counts</text>\n</g>\n");
        return;
      }
      int plotWidth = columns.size() * cellWidth;
      b.append("<text class=\"legend\" x=\"").append(Math.max(LEFT + plotWidth, 600)).append("\" y=\"").append(y + 20).append("\">darkest: ")
          .append(Svg.grouped(max)).append(" (log scale)</text>\n");
      b.append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(plotTop).append("\" width=\"").append(plotWidth)
          .append("\" height=\"").append(rows() * CELL_HEIGHT).append("\"/>\n");
      for (int r = lowRow; r <= highRow; r++) {
        int ry = plotTop + (highRow - r) * CELL_HEIGHT;
        b.append("<text class=\"bucket\" x=\"").append(LEFT - 6).append("\" y=\"").append(ry + CELL_HEIGHT - 3).append("\">");
        Svg.escape(b, series.buckets().label(r)).append("</text>\n");
      }
      double previous = 0;
      for (int c = 0; c < columns.size(); c++) {
        Column col = columns.get(c);
        int cx = LEFT + c * cellWidth;
        for (int r = lowRow; r <= highRow; r++) {
          long n = col.counts[r];
          if (n == 0) continue;
          int ry = plotTop + (highRow - r) * CELL_HEIGHT;
          b.append("<rect class=\"c\" x=\"").append(cx).append("\" y=\"").append(ry).append("\" width=\"").append(cellWidth)
              .append("\" height=\"").append(CELL_HEIGHT).append("\" fill=\"").append(colour(n, max)).append("\"><title>");
          seconds(b, previous).append("-");
          seconds(b, col.seconds()).append(" s, ");
          Svg.escape(b, series.buckets().label(r)).append(": ").append(Svg.grouped(n)).append("</title></rect>\n");
        }
        previous = col.seconds();
      }
      int axisY = plotTop + rows() * CELL_HEIGHT;
      int every = Math.max(1, (int) Math.ceil(60.0 / cellWidth));
      for (int c = 0; c < columns.size(); c += every) {
        int cx = LEFT + (c + 1) * cellWidth;
        b.append("<line class=\"tick\" x1=\"").append(cx).append("\" y1=\"").append(axisY).append("\" x2=\"").append(cx)
            .append("\" y2=\"").append(axisY + 4).append("\"/><text class=\"time\" x=\"").append(cx).append("\" y=\"")
            .append(axisY + 16).append("\">");
        seconds(b, columns.get(c).seconds()).append("s</text>\n");
      }
      b.append("<text class=\"axis\" x=\"").append(LEFT).append("\" y=\"").append(axisY + 32)
          .append("\">time (seconds since start, at the end of each column)</text>\n</g>\n");
    }
  }

  private static StringBuilder seconds(StringBuilder b, double s) {
    return Svg.num(b, Math.round(s * 10) / 10.0);
  }

  /** {@return the colour of a cell holding {@code n} of at most {@code max}: light yellow to dark red, log scale} */
  static String colour(long n, long max) {
    double t = max <= 1 ? 1 : Math.log1p(n) / Math.log1p(max);
    return Svg.hsl(58 - 58 * t, 0.95, 0.86 - 0.52 * t);
  }
}
