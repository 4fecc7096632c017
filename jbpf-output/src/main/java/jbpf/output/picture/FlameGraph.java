package jbpf.output.picture;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a flame graph of {@link FoldedStacks} as an interactive SVG: one box per frame on a path, the root
 * ({@code all}) at the bottom, callees above their callers, siblings in alphabetical order, widths proportional to
 * the counts. Kernel frames are orange, user frames red, JIT frames green, other key elements (process names...)
 * blue. In a browser, hovering shows a frame's name and count, clicking zooms into it, and Ctrl-F (or the Search
 * button) highlights the frames matching a regular expression and reports the share of samples they cover.
 *
 * <p>Boxes narrower than {@value #MIN_WIDTH} pixels are left out, as flamegraph.pl does, which bounds the file's
 * size however many samples or distinct stacks there are. The layout is a single sweep over the sorted stacks.
 */
public final class FlameGraph {
  /**
   * How to draw.
   *
   * @param title the heading
   * @param subtitle a second line under it, empty for none
   * @param unit what a count is, after the number in each frame's details: {@code samples}, {@code bytes}
   * @param width the image width in pixels
   */
  public record Options(String title, String subtitle, String unit, int width) {
    /** A 1200-pixel graph titled "Flame Graph", counting samples. */
    public static final Options DEFAULT = new Options("Flame Graph", "", "samples", 1200);

    public Options {
      Objects.requireNonNull(title);
      Objects.requireNonNull(subtitle);
      Objects.requireNonNull(unit);
      if (width < 200 || width > 100_000) throw new IllegalArgumentException("flame graph width must be 200 to 100000 pixels, got " + width);
    }

    public Options withTitle(String t) { return new Options(t, subtitle, unit, width); }

    public Options withSubtitle(String s) { return new Options(title, s, unit, width); }

    public Options withUnit(String u) { return new Options(title, subtitle, u, width); }

    public Options withWidth(int w) { return new Options(title, subtitle, unit, w); }
  }

  /** The narrowest box drawn, in pixels. */
  static final double MIN_WIDTH = 0.1;
  static final int FRAME_HEIGHT = 16;
  static final int FONT_SIZE = 12;
  static final double CHAR_WIDTH = 0.59 * FONT_SIZE;
  static final int XPAD = 10;
  /** The name of the root box. */
  static final String ROOT = "all";

  private FlameGraph() {}

  /**
   * A box of the graph.
   *
   * @param depth 0 for the root
   * @param start the number of samples left of it
   * @param count its samples: the sum of the counts of the stacks through it
   */
  record Box(FlameFrame frame, int depth, long start, long count) {}

  /** {@return the boxes of at least {@code minCount} samples, the root first, then by depth and position} */
  static List<Box> layout(FoldedStacks stacks, double minCount) {
    List<Box> boxes = new ArrayList<>();
    boxes.add(new Box(FlameFrame.of(ROOT, FlameFrame.Kind.KEY), 0, 0, stacks.total()));
    List<FlameFrame> open = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<List<FlameFrame>, Long> e : stacks.sorted()) {
      List<FlameFrame> path = e.getKey();
      int common = 0;
      while (common < open.size() && common < path.size() && open.get(common).equals(path.get(common))) common++;
      close(boxes, open, starts, common, offset, minCount);
      for (int i = common; i < path.size(); i++) {
        open.add(path.get(i));
        starts.add(offset);
      }
      offset += e.getValue();
    }
    close(boxes, open, starts, 0, offset, minCount);
    boxes.subList(1, boxes.size()).sort(Comparator.comparingInt(Box::depth).thenComparingLong(Box::start));
    return boxes;
  }

  /** Closes the open frames from the top of the stack down to depth {@code keep}, emitting the wide enough ones. */
  private static void close(List<Box> boxes, List<FlameFrame> open, List<Long> starts, int keep, long offset, double minCount) {
    for (int i = open.size() - 1; i >= keep; i--) {
      long start = starts.get(i);
      if (offset - start >= minCount) boxes.add(new Box(open.get(i), i + 1, start, offset - start));
      open.remove(i);
      starts.remove(i);
    }
  }

  /** Writes the flame graph of {@code stacks} to {@code out} (not closed). An empty set gives a graph saying so. */
  public static void write(FoldedStacks stacks, Options o, Writer out) throws IOException {
    long total = stacks.total();
    double scale = total == 0 ? 0 : (o.width() - 2.0 * XPAD) / total;
    List<Box> boxes = total == 0 ? List.of() : layout(stacks, MIN_WIDTH / scale);
    int maxDepth = 0;
    for (Box b : boxes) maxDepth = Math.max(maxDepth, b.depth());
    int top = o.subtitle().isEmpty() ? FONT_SIZE * 3 : FONT_SIZE * 4;
    int bottom = FONT_SIZE * 2 + 10;
    int height = (maxDepth + 1) * FRAME_HEIGHT + top + bottom;
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    b.append("<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(o.width()).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(o.width()).append(' ').append(height).append("\" onload=\"init(evt)\">\n");
    b.append("<!-- Flame graph written by jbpf: ").append(Svg.grouped(stacks.size())).append(" stacks, ")
        .append(Svg.grouped(total)).append(' ');
    Svg.escape(b, o.unit().replace("--", "- -")).append(". -->\n");
    b.append("<style type=\"text/css\">\n").append(Svg.resource("flamegraph.css")).append("</style>\n");
    b.append("<script type=\"text/ecmascript\"><![CDATA[\n")
        .append("var XPAD = ").append(XPAD).append(", CHAR_WIDTH = ").append(CHAR_WIDTH).append(";\n")
        .append(Svg.resource("flamegraph.js")).append("]]></script>\n");
    b.append("<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">")
        .append("<stop stop-color=\"#eeeeee\" offset=\"5%\"/><stop stop-color=\"#eeeeb0\" offset=\"95%\"/></linearGradient></defs>\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(o.width()).append("\" height=\"").append(height).append("\" fill=\"url(#background)\"/>\n");
    b.append("<text id=\"title\" x=\"").append(o.width() / 2).append("\" y=\"").append(FONT_SIZE * 2).append("\">");
    Svg.escape(b, o.title()).append("</text>\n");
    if (!o.subtitle().isEmpty()) {
      b.append("<text id=\"subtitle\" x=\"").append(o.width() / 2).append("\" y=\"").append(FONT_SIZE * 3 + 4).append("\">");
      Svg.escape(b, Svg.fit(o.subtitle(), o.width() - 2 * XPAD)).append("</text>\n");
    }
    b.append("<text id=\"unzoom\" class=\"button hidden\" x=\"").append(XPAD).append("\" y=\"").append(FONT_SIZE * 2).append("\">Reset Zoom</text>\n");
    b.append("<text id=\"search\" class=\"button\" x=\"").append(o.width() - XPAD).append("\" y=\"").append(FONT_SIZE * 2).append("\">Search</text>\n");
    b.append("<text id=\"details\" x=\"").append(XPAD).append("\" y=\"").append(height - bottom / 2).append("\"> </text>\n");
    b.append("<text id=\"matched\" x=\"").append(o.width() - XPAD).append("\" y=\"").append(height - bottom / 2).append("\"> </text>\n");
    if (total == 0) {
      b.append("<text id=\"empty\" x=\"").append(o.width() / 2).append("\" y=\"").append(top + FRAME_HEIGHT - 4).append("\">No samples</text>\n");
    }
    b.append("<g id=\"frames\">\n");
    out.append(b);
    b.setLength(0);
    for (Box box : boxes) {
      double x = XPAD + box.start() * scale;
      double w = box.count() * scale;
      int y = height - bottom - (box.depth() + 1) * FRAME_HEIGHT;
      String name = box.frame().name();
      b.append("<g class=\"f\"><title>");
      Svg.escape(b, name).append(" (").append(Svg.grouped(box.count())).append(' ');
      Svg.escape(b, o.unit()).append(", ").append(Svg.percent(box.count(), total)).append("%)</title><rect x=\"");
      Svg.num(b, x).append("\" y=\"").append(y).append("\" width=\"");
      Svg.num(b, w).append("\" height=\"").append(FRAME_HEIGHT - 1).append("\" fill=\"").append(colour(box))
          .append("\" rx=\"2\" ry=\"2\"/><text x=\"");
      Svg.num(b, x + 3).append("\" y=\"").append(y + FRAME_HEIGHT - 5).append("\">");
      Svg.escape(b, label(name, w)).append("</text></g>\n");
      if (b.length() > 1 << 16) {
        out.append(b);
        b.setLength(0);
      }
    }
    b.append("</g>\n</svg>\n");
    out.append(b);
  }

  /** {@return the part of {@code name} that fits in a box {@code width} pixels wide, {@code ..} marking a cut} */
  static String label(String name, double width) {
    int chars = (int) Math.floor((width - 6) / CHAR_WIDTH);
    if (chars < 3) return "";
    return name.length() <= chars ? name : name.substring(0, chars - 2) + "..";
  }

  /** {@return the fill of a box: a hue range per kind, the shade picked by the name so a function keeps its colour} */
  static String colour(Box box) {
    if (box.depth() == 0) return "rgb(200,200,200)";
    int h = box.frame().name().hashCode();
    double v1 = (h & 0xff) / 255.0, v2 = ((h >>> 8) & 0xff) / 255.0, v3 = ((h >>> 16) & 0xff) / 255.0;
    return switch (box.frame().kind()) {
      case USER -> Svg.hsl(v1 * 14, 0.72 + 0.18 * v2, 0.55 + 0.1 * v3);
      case KERNEL -> Svg.hsl(26 + v1 * 14, 0.85 + 0.1 * v2, 0.55 + 0.1 * v3);
      case JIT -> Svg.hsl(95 + v1 * 35, 0.55 + 0.2 * v2, 0.5 + 0.1 * v3);
      case KEY -> Svg.hsl(195 + v1 * 20, 0.45 + 0.2 * v2, 0.68 + 0.08 * v3);
    };
  }
}
