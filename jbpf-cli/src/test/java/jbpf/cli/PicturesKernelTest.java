package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Pictures of real runs: a flame graph of a busy C program, heat maps of histograms printed or sampled over time. */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF})
class PicturesKernelTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static Document parse(Path svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
  }

  private static List<String> texts(Document d, String tag) {
    List<String> out = new ArrayList<>();
    NodeList l = d.getElementsByTagNameNS("*", tag);
    for (int i = 0; i < l.getLength(); i++) out.add(l.item(i).getTextContent());
    return out;
  }

  @Test
  void aFlameGraphOfABusyProgramShowsItsFunctionsOnTopOfEachOther() throws Exception {
    Path svg = dir.resolve("cpu.svg"), folded = dir.resolve("cpu.folded");
    try (TracedProgram busy = TracedProgram.start("busy.c");
         JbpfProcess jbpf = JbpfProcess.start("--flamegraph", svg.toString(), "--folded", folded.toString(), "-e",
             "profile:hz:199 /pid == $1/ { @[kstack, ustack, comm] = count(); }", Integer.toString(busy.pid()))) {
      jbpf.awaitAttached();
      Thread.sleep(1500);
      jbpf.signal("INT");
      assertEquals(0, jbpf.waitFor(EXIT), () -> "stderr:\n" + jbpf.stderr());
    }
    List<String> lines = Files.readAllLines(folded);
    long total = 0, a = 0, b = 0;
    for (String l : lines) {
      long n = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
      total += n;
      assertTrue(l.startsWith("busy;"), "every stack starts with the process name: " + l);
      if (l.contains(";main;busy_outer;busy_leaf_a")) a += n;
      if (l.contains(";main;busy_outer;busy_leaf_b")) b += n;
    }
    assertTrue(total >= 100, "1.5 s at 199 Hz gave " + total + " samples:\n" + String.join("\n", lines));
    assertTrue(a > b && b > 0, "busy_leaf_a (" + a + ") should outweigh busy_leaf_b (" + b + ")");
    assertTrue(a + b >= total * 8 / 10, "the leaves have " + (a + b) + " of " + total + " samples");

    Document d = parse(svg);
    List<String> titles = texts(d, "title");
    Pattern title = Pattern.compile("^(.*) \\(([\\d,]+) samples, [\\d.]+%\\)$");
    long root = -1;
    List<String> names = new ArrayList<>();
    for (String t : titles) {
      Matcher m = title.matcher(t);
      assertTrue(m.matches(), t);
      names.add(m.group(1));
      if (m.group(1).equals("all")) root = Long.parseLong(m.group(2).replace(",", ""));
    }
    assertEquals(total, root, "the root counts every sample");
    assertTrue(names.containsAll(List.of("busy", "main", "busy_outer", "busy_leaf_a", "busy_leaf_b")), names.toString());
  }

  /** Sums the counts in the cells of a heat map, whose titles end in ": COUNT". */
  private static long cells(Document d) {
    long sum = 0;
    for (String t : texts(d, "title")) sum += Long.parseLong(t.substring(t.lastIndexOf(": ") + 2).replace(",", ""));
    return sum;
  }

  @Test
  void aHeatMapHasAColumnPerPrintAndCountsEveryValueOnce() throws Exception {
    Path svg = dir.resolve("lat.svg");
    Jbpf.Result r = Jbpf.run("-q", "--heatmap", svg.toString(), "-e",
        "interval:ms:10 { @ms = lhist(7, 0, 10, 1); @n = count(); } interval:ms:250 { print(@ms); clear(@ms); }"
            + " interval:ms:1100 { exit(); }");
    assertEquals(0, r.code(), r.err());
    Matcher n = Pattern.compile("(?m)^@n: (\\d+)$").matcher(r.out());
    assertTrue(n.find(), r.out());
    Document d = parse(svg);
    long printed = 0;
    for (Matcher m = Pattern.compile("(?m)^\\[7, 8\\) +(\\d+) ").matcher(r.out()); m.find(); ) printed += Long.parseLong(m.group(1));
    // Every value counted once; an increment between the last read of the map and its clear() is lost, to the
    // heat map as to the printed text.
    long total = Long.parseLong(n.group(1)), drawn = cells(d);
    assertTrue(drawn >= printed && drawn <= total && drawn >= total - 3, "drawn " + drawn + ", printed " + printed + ", counted " + total);
    List<String> titles = texts(d, "title");
    assertTrue(titles.size() >= 4, "a column per print: " + titles);
    for (String t : titles) assertTrue(t.contains(" s, [7, 8): "), t);
  }

  @Test
  void aHistogramPrintedOnlyAtTheEndIsSampledEverySecond() throws Exception {
    Path svg = dir.resolve("sampled.svg");
    Jbpf.Result r = Jbpf.run("-q", "--heatmap", svg.toString(), "-e",
        "interval:ms:10 { @h = hist(100); @n = count(); } interval:ms:2500 { exit(); }");
    assertEquals(0, r.code(), r.err());
    Matcher n = Pattern.compile("(?m)^@n: (\\d+)$").matcher(r.out());
    assertTrue(n.find(), r.out());
    Document d = parse(svg);
    assertEquals(Long.parseLong(n.group(1)), cells(d));
    List<String> titles = texts(d, "title");
    assertTrue(titles.size() >= 3, "columns at 1 s, 2 s and the end: " + titles);
    for (String t : titles) assertTrue(t.contains(" s, [64, 128): "), t);
  }
}
