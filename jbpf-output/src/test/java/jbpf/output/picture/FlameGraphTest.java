package jbpf.output.picture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The flame graph SVG, read back with an XML parser: well-formed, and its boxes add up. */
class FlameGraphTest {
  private static FlameFrame u(String n) { return FlameFrame.of(n, FlameFrame.Kind.USER); }

  private static FlameFrame k(String n) { return FlameFrame.of(n, FlameFrame.Kind.KERNEL); }

  private static String svg(FoldedStacks s, FlameGraph.Options o) throws Exception {
    StringWriter w = new StringWriter();
    FlameGraph.write(s, o, w);
    return w.toString();
  }

  private static FoldedStacks sample() {
    FoldedStacks s = new FoldedStacks();
    s.add(List.of(FlameFrame.of("bash", FlameFrame.Kind.KEY), u("main"), u("read_line"), k("ksys_read")), 30);
    s.add(List.of(FlameFrame.of("bash", FlameFrame.Kind.KEY), u("main"), u("execute")), 50);
    s.add(List.of(FlameFrame.of("bash", FlameFrame.Kind.KEY), u("main")), 20);
    s.add(List.of(FlameFrame.of("cc1", FlameFrame.Kind.KEY), u("main"), u("parse"), FlameFrame.of("Interp", FlameFrame.Kind.JIT)), 100);
    s.add(List.of(), 7);
    return s;
  }

  @Test
  void boxesAreProportionalToTheirCountsAndNestInTheirParents() throws Exception {
    FoldedStacks s = sample();
    List<Svgs.Drawn> frames = Svgs.frames(Svgs.parse(svg(s, FlameGraph.Options.DEFAULT)));
    double scale = (1200 - 2.0 * FlameGraph.XPAD) / s.total();
    Svgs.Drawn root = frames.getFirst();
    assertEquals("all", root.name());
    assertEquals(207, root.count());
    for (Svgs.Drawn f : frames) assertEquals(f.count() * scale, f.width(), 0.011, f.name());
    for (Svgs.Drawn f : frames) {
      if (f == root) continue;
      Svgs.Drawn parent = frames.stream().filter(p -> p.y() == f.y() + FlameGraph.FRAME_HEIGHT
          && p.x() <= f.x() + 0.02 && p.x() + p.width() >= f.x() + f.width() - 0.02).findFirst().orElseThrow(() -> new AssertionError("no parent under " + f));
      long children = frames.stream().filter(c -> c.y() == parent.y() - FlameGraph.FRAME_HEIGHT
          && c.x() >= parent.x() - 0.02 && c.x() + c.width() <= parent.x() + parent.width() + 0.02).mapToLong(Svgs.Drawn::count).sum();
      assertTrue(children <= parent.count(), parent + " has children summing to " + children);
    }
    long depth1 = frames.stream().filter(f -> f.y() == root.y() - FlameGraph.FRAME_HEIGHT).mapToLong(Svgs.Drawn::count).sum();
    assertEquals(200, depth1, "everything but the 7 empty stacks is above the root");
    assertEquals(List.of("bash", "cc1"), namesAt(frames, root.y() - FlameGraph.FRAME_HEIGHT));
    assertEquals(List.of("execute", "read_line", "parse"), namesAt(frames, root.y() - 3 * FlameGraph.FRAME_HEIGHT));
  }

  private static List<String> namesAt(List<Svgs.Drawn> frames, double y) {
    return frames.stream().filter(f -> f.y() == y).sorted(Comparator.comparingDouble(Svgs.Drawn::x)).map(Svgs.Drawn::name).toList();
  }

  @Test
  void siblingsAreInAlphabeticalOrderWhateverTheInsertionOrder() throws Exception {
    FoldedStacks s = new FoldedStacks();
    for (String n : List.of("zeta", "alpha", "mid", "Beta")) s.add(List.of(u("main"), u(n)), 10);
    List<Svgs.Drawn> frames = Svgs.frames(Svgs.parse(svg(s, FlameGraph.Options.DEFAULT)));
    double y = frames.getFirst().y() - 2 * FlameGraph.FRAME_HEIGHT;
    assertEquals(List.of("Beta", "alpha", "mid", "zeta"), namesAt(frames, y));
  }

  @Test
  void namesThatAreNotXmlAreEscapedAndReadBackIntact() throws Exception {
    String cpp = "std::vector<int, std::allocator<int> >::push_back(int const&) \"quoted\" 'x'";
    FoldedStacks s = new FoldedStacks();
    s.add(List.of(u(cpp), u("bad\u0001char")), 5);
    Document d = Svgs.parse(svg(s, FlameGraph.Options.DEFAULT.withTitle("a <title> & more")));
    List<Svgs.Drawn> frames = Svgs.frames(d);
    assertEquals(cpp, frames.get(1).name());
    assertEquals("bad?char", frames.get(2).name());
  }

  @Test
  void labelsAreCutToTheirBoxes() {
    assertEquals("", FlameGraph.label("function", 20));
    assertEquals("function", FlameGraph.label("function", 200));
    assertEquals("func..", FlameGraph.label("function_with_a_long_name", 6 + 6 * FlameGraph.CHAR_WIDTH));
  }

  @Test
  void anEmptySetOfStacksSaysSo() throws Exception {
    String out = svg(new FoldedStacks(), FlameGraph.Options.DEFAULT);
    Document d = Svgs.parse(out);
    assertTrue(Svgs.frames(d).isEmpty());
    assertTrue(out.contains(">No samples</text>"));
  }

  @Test
  void hundredsOfThousandsOfSamplesStayReadable() throws Exception {
    Random r = new Random(42);
    FoldedStacks s = new FoldedStacks();
    List<String> functions = new ArrayList<>();
    for (int i = 0; i < 400; i++) functions.add("fn_" + i);
    long total = 0;
    for (int i = 0; i < 300_000; i++) {
      int depth = 5 + r.nextInt(40);
      List<FlameFrame> path = new ArrayList<>();
      path.add(FlameFrame.of("proc" + r.nextInt(4), FlameFrame.Kind.KEY));
      for (int j = 0; j < depth; j++) path.add(j < depth / 2 ? u(functions.get(r.nextInt(8))) : k(functions.get(r.nextInt(functions.size()))));
      long n = 1 + r.nextInt(3);
      s.add(path, n);
      total += n;
    }
    assertEquals(total, s.total());
    String out = svg(s, FlameGraph.Options.DEFAULT);
    List<Svgs.Drawn> frames = Svgs.frames(Svgs.parse(out));
    assertEquals(total, frames.getFirst().count());
    double minWidth = frames.stream().mapToDouble(Svgs.Drawn::width).min().orElseThrow();
    assertTrue(minWidth >= FlameGraph.MIN_WIDTH - 0.005, "narrowest box " + minWidth);
    assertTrue(out.length() < 40_000_000, "SVG of " + out.length() + " characters");
  }

  @Test
  void kindsGetTheirOwnColours() {
    String user = FlameGraph.colour(new FlameGraph.Box(u("f"), 1, 0, 1));
    String kernel = FlameGraph.colour(new FlameGraph.Box(k("f"), 1, 0, 1));
    String jit = FlameGraph.colour(new FlameGraph.Box(FlameFrame.of("f", FlameFrame.Kind.JIT), 1, 0, 1));
    assertNotEquals(user, kernel);
    assertNotEquals(user, jit);
    assertNotEquals(kernel, jit);
    assertEquals(user, FlameGraph.colour(new FlameGraph.Box(u("f"), 7, 3, 9)), "a function keeps its colour");
  }
}
