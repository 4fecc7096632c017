package jbpf.output.picture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jbpf.output.MapDump;
import jbpf.output.Output;
import jbpf.output.Value;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Heat maps read back with an XML parser, and their bucket labels against the text output's. */
class HeatMapTest {
  private static String svg(List<HeatMap.Series> series) throws Exception {
    StringWriter w = new StringWriter();
    HeatMap.write(series, HeatMap.Options.DEFAULT, w);
    return w.toString();
  }

  private static List<Element> elements(Document d, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList l = d.getElementsByTagNameNS("*", tag);
    for (int i = 0; i < l.getLength(); i++) {
      Element e = (Element) l.item(i);
      if (cls == null || cls.equals(e.getAttribute("class"))) out.add(e);
    }
    return out;
  }

  @Test
  void oneCellPerNonZeroCountWithItsTimeBucketAndCount() throws Exception {
    HeatMap.Buckets b = new HeatMap.Buckets.Log2(0, 66);
    long[] c1 = new long[66], c2 = new long[66], c3 = new long[66];
    c1[5] = 3;
    c1[7] = 1;
    c3[5] = 1000;
    HeatMap.Series s = new HeatMap.Series("@usecs", b, List.of(new HeatMap.Column(1, c1), new HeatMap.Column(2, c2), new HeatMap.Column(3, c3)));
    Document d = Svgs.parse(svg(List.of(s)));
    List<Element> cells = elements(d, "rect", "c");
    assertEquals(3, cells.size());
    List<String> titles = cells.stream().map(Element::getTextContent).toList();
    assertEquals(List.of("0-1 s, [8, 16): 3", "0-1 s, [32, 64): 1", "2-3 s, [8, 16): 1,000"), titles);
    List<String> rows = elements(d, "text", "bucket").stream()
        .sorted(java.util.Comparator.comparingDouble(e -> Double.parseDouble(e.getAttribute("y")))).map(Element::getTextContent).toList();
    assertEquals(List.of("[32, 64)", "[16, 32)", "[8, 16)"), rows, "the buckets in use, highest on top");
    assertNotEquals(cells.get(0).getAttribute("fill"), cells.get(2).getAttribute("fill"));
  }

  @Test
  void manyColumnsAreAddedTogether() throws Exception {
    HeatMap.Buckets b = new HeatMap.Buckets.Linear(0, 100, 10);
    List<HeatMap.Column> cols = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < 1200; i++) {
      long[] c = new long[b.size()];
      c[1 + i % 10] = 1 + i % 3;
      total += c[1 + i % 10];
      cols.add(new HeatMap.Column(i + 1, c));
    }
    Document d = Svgs.parse(svg(List.of(new HeatMap.Series("@l", b, cols))));
    long drawn = 0;
    for (Element e : elements(d, "rect", "c")) {
      String t = e.getTextContent();
      drawn += Long.parseLong(t.substring(t.lastIndexOf(": ") + 2).replace(",", ""));
    }
    assertEquals(total, drawn);
    double maxX = elements(d, "rect", "c").stream().mapToDouble(e -> Double.parseDouble(e.getAttribute("x"))).max().orElseThrow();
    assertTrue(maxX < HeatMap.LEFT + HeatMap.MAX_COLUMNS * 2 + 1, "x " + maxX);
  }

  @Test
  void nothingToDrawIsSaid() throws Exception {
    assertTrue(svg(List.of()).contains(">No histograms</text>"));
    Svgs.parse(svg(List.of()));
  }

  /** Every label of a hist and lhist as the text output prints them. */
  @Test
  void bucketLabelsAreThoseOfTheTextOutput() {
    for (int bits = 0; bits <= 2; bits++) {
      long[] v = new long[2 + 64 * (1 << bits)];
      java.util.Arrays.fill(v, 1);
      assertEquals(textLabels(MapDump.single("@h", new Value.Hist(bits, v))), labels(new HeatMap.Buckets.Log2(bits, v.length)));
    }
    long[] l = new long[(int) ((3 * 1024 * 1024 - 0) / 1024 + 2)];
    java.util.Arrays.fill(l, 1);
    assertEquals(textLabels(MapDump.single("@l", new Value.Lhist(0, 3 * 1024 * 1024, 1024, l))),
        labels(new HeatMap.Buckets.Linear(0, 3 * 1024 * 1024, 1024)));
    long[] n = new long[12];
    java.util.Arrays.fill(n, 1);
    assertEquals(textLabels(MapDump.single("@n", new Value.Lhist(-50, 50, 10, n))), labels(new HeatMap.Buckets.Linear(-50, 50, 10)));
  }

  private static List<String> labels(HeatMap.Buckets b) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) out.add(b.label(i));
    return out;
  }

  private static List<String> textLabels(MapDump m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output o = Output.text(bytes);
    o.map(m);
    o.flush();
    List<String> out = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      // label padded to 16 columns, the count right-aligned in 8, then the bar
      if (line.startsWith("[") || line.startsWith("(")) out.add(line.substring(0, line.indexOf(" |") - 8).strip());
    }
    return out;
  }
}
