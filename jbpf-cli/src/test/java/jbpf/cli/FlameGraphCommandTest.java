package jbpf.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code jbpf flamegraph} and the picture options, without a kernel. */
class FlameGraphCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run flamegraph(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code = FlameGraphCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void foldedStacksOnStandardInputBecomeAnSvgOnStandardOutput() throws Exception {
    Run r = flamegraph("bash;main;read_[k] 3\nbash;main;write_[k] 1\n", "--title", "Shell <demo>");
    assertEquals(0, r.code(), r.err());
    Document d = parse(r.out());
    assertEquals("svg", d.getDocumentElement().getLocalName());
    assertTrue(r.out().contains("<title>all (4 samples, 100.00%)</title>"), r.out());
    assertTrue(r.out().contains("<title>read (3 samples, 75.00%)</title>"), "kernel annotations are not shown");
    assertTrue(r.out().contains(">Shell &lt;demo&gt;</text>"));
  }

  @Test
  void aFileInAndAFileOut() throws Exception {
    Path in = Files.writeString(dir.resolve("in.folded"), "a;b 10\na;c 5\n");
    Path out = dir.resolve("out.svg");
    Run r = flamegraph("", in.toString(), "-o", out.toString(), "--width", "800", "--unit", "bytes");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    String svg = Files.readString(out);
    parse(svg);
    assertTrue(svg.contains("width=\"800\""));
    assertTrue(svg.contains("<title>b (10 bytes, 66.67%)</title>"), svg);
  }

  @Test
  void badInputIsAnErrorWithItsLine() {
    Run r = flamegraph("a;b 1\nnot a stack\n");
    assertEquals(1, r.code());
    assertEquals("ERROR: standard input:2: expected frames separated by ';', a space and a count, e.g. 'main;work 12'; "
        + "found 'not a stack'\n", r.err());
    r = flamegraph("\n\n");
    assertEquals(1, r.code());
    assertEquals("ERROR: no stacks in standard input: expected lines of frames and a count, e.g. 'main;work 12'\n", r.err());
    r = flamegraph("", dir.resolve("missing.folded").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("ERROR: failed to open file '"), r.err());
    r = flamegraph("", "--width", "wide");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("ERROR: --width takes a number of pixels, got 'wide'\n"), r.err());
  }

  @Test
  void pictureOptionsAreParsed() throws Exception {
    Options o = Options.parse(new String[] {"--flamegraph", "cpu.svg", "--folded=cpu.folded", "--heatmap", "lat.svg", "tools/x.bt"});
    assertEquals("cpu.svg", o.flameGraph());
    assertEquals("cpu.folded", o.folded());
    assertEquals("lat.svg", o.heatMap());
    assertEquals("tools/x.bt", o.file());
  }

  @Test
  void aPictureWithNothingToDrawFromIsRefusedBeforeTracing() throws Exception {
    Jbpf.Result r = Jbpf.run("--dry-run", "--flamegraph", dir.resolve("cpu.svg").toString(), "-e", "BEGIN { @x[pid] = count(); exit(); }");
    assertEquals(1, r.code());
    assertEquals("ERROR: --flamegraph needs a map keyed by kstack or ustack with count() or sum() values, e.g. "
        + "@[kstack, comm] = count(); this script has none\n", r.err());
    r = Jbpf.run("--dry-run", "--heatmap", dir.resolve("lat.svg").toString(), "-e", "BEGIN { @x = count(); exit(); }");
    assertEquals(1, r.code());
    assertEquals("ERROR: --heatmap needs a hist() or lhist() map, e.g. @usecs = hist($latency); this script has none\n", r.err());
    r = Jbpf.run("--dry-run", "--heatmap", dir.resolve("no/such/dir/lat.svg").toString(), "-e", "BEGIN { @x = hist(1); exit(); }");
    assertEquals(1, r.code());
    assertEquals("ERROR: cannot write '" + dir.resolve("no/such/dir/lat.svg") + "': no directory " + dir.resolve("no/such/dir") + "\n", r.err());
  }
}
