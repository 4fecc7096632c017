package jbpf.output;

import static jbpf.output.ScriptModel.i;
import static jbpf.output.ScriptModel.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: {@code golden/NAME.bt} is a bpftrace script, {@code NAME.out} and {@code NAME.json.out} what
 * bpftrace 0.17 printed for it (regenerate with {@code dev/bpftrace-golden}). Each test feeds the formatters the
 * values the script creates and expects the same bytes.
 */
class GoldenTest {
  record Golden(String name, Consumer<ScriptModel> script) {
    @Override public String toString() { return name; }
  }

  private static Golden golden(String name, Consumer<ScriptModel> script) { return new Golden(name, script); }

  static Stream<Golden> goldens() {
    return Stream.of(
        golden("hist_labels", m -> {
          m.attached(1);
          for (long v : new long[] {-1, -100, 0, 0, 1, 2, 3, 4, 7, 8, 1023, 1024, 2047, 4096, 100000, 1048576, 3000000,
              1073741823L, 1073741824L, 2147483648L, 4294967296L, 1099511627776L, 0x7fffffffffffffffL, -1L}) {
            m.hist("@h", v);
          }
          m.exit();
        }),
        golden("hist_trim", m -> {
          m.attached(1);
          m.hist("@one", 5);
          for (int k = 0; k < 3; k++) m.hist("@gap", 16);
          for (int k = 0; k < 7; k++) m.hist("@gap", 1000);
          m.hist("@gap", 70000);
          m.hist("@neg", -5).hist("@neg", -6).hist("@neg", 3);
          m.hist("@zero", 0).hist("@zero", 0).hist("@zero", 0);
          m.exit();
        }),
        golden("hist_keys", m -> {
          m.attached(1);
          m.hist("@h", 5, i(1)).hist("@h", 5, i(256)).hist("@h", 5, i(2)).hist("@h", 5, i(-1));
          m.hist("@h", 100, i(7)).hist("@h", 200, i(7)).hist("@h", 3, i(7));
          m.hist("@s", 1, s("b")).hist("@s", 1, s("ab")).hist("@s", 1, s("a")).hist("@s", 1, s("B"));
          m.hist("@s", 1, s("zz")).hist("@s", 1, s("zz"));
          m.hist("@m", 1, i(2), s("a")).hist("@m", 1, i(1), s("b")).hist("@m", 1, i(513), s("a"));
          m.hist("@m", 64, i(0), s("x")).hist("@m", 64, i(0), s("x"));
          m.exit();
        }),
        golden("lhist_edges", m -> {
          m.attached(1);
          for (long v : new long[] {-5, 0, 55, 99, 100, 1000}) m.lhist("@l", v, 0, 100, 10);
          for (long v : new long[] {5000, 1048576, 10, 5000000}) m.lhist("@k", v, 1024, 3145728, 524288);
          m.lhist("@m", 2097152, 0, 4194304, 1048576).lhist("@m", 0, 0, 4194304, 1048576);
          m.lhist("@j", 3, 0, 10, 1);
          m.lhist("@e", 15, 10, 20, 3).lhist("@e", 19, 10, 20, 3).lhist("@e", 20, 10, 20, 3);
          m.lhist("@f", 25, 10, 100, 10).lhist("@f", 45, 10, 100, 10);
          m.lhist("@g", 5, 0, 10, 1, i(1)).lhist("@g", 5, 0, 10, 1, i(2)).lhist("@g", 7, 0, 10, 1, i(2));
          m.exit();
        }),
        golden("aggregations", m -> {
          m.attached(1);
          m.count("@c").count("@c").count("@c");
          m.count("@ck", i(1)).count("@ck", i(2)).count("@ck", i(2));
          m.count("@ck", i(3)).count("@ck", i(3)).count("@ck", i(3));
          m.sum("@s", 5).sum("@s", -12);
          m.sum("@sk", 1000, s("a")).sum("@sk", -2000, s("b")).sum("@sk", 3, s("c"));
          m.sum("@su", 7, false).sum("@su", 9, false);
          m.min("@mn", 7).min("@mn", -3).min("@mn", 5);
          m.min("@mnk", 10, i(1)).min("@mnk", -20, i(2)).min("@mnk", 0, i(3));
          m.max("@mx", 7).max("@mx", 30).max("@mx", 5);
          m.max("@mxk", 10, i(1)).max("@mxk", 4000000000L, i(2)).max("@mxk", 0, i(3));
          m.avg("@a", -7).avg("@a", 2);
          m.avg("@ak", -7, i(1)).avg("@ak", 2, i(1)).avg("@ak", 7, i(2)).avg("@ak", 2, i(2));
          m.avg("@ak", 100, i(3)).avg("@ak", -100, i(4));
          m.stats("@st", 10).stats("@st", -3).stats("@st", 4);
          m.stats("@stk", -7, i(1)).stats("@stk", 2, i(1)).stats("@stk", 50, i(2)).stats("@stk", -50, i(3));
          m.stats("@stk", 0, i(4));
          m.exit();
        }),
        golden("keys", m -> {
          m.attached(1);
          m.set("@i", s("a"), i(-1)).set("@i", s("b"), i(1)).set("@i", s("c"), i(5)).set("@i", s("d"), i(-7));
          m.set("@i", s("e"), i(0));
          m.set("@i8", s("q"), new Value.Int(-1, 1, true)).set("@i8", s("r"), new Value.Int(3, 1, true));
          m.set("@u16", s("s"), new Value.Int(300, 2, false)).set("@u16", s("t"), new Value.Int(2, 2, false));
          m.set("@i32", s("q"), new Value.Int(-1, 4, true)).set("@i32", s("r"), new Value.Int(3, 4, true));
          m.set("@u64", s("x"), Value.uint64(-1)).set("@u64", s("y"), Value.uint64(2));
          m.set("@str", s("x"), s("b"), i(2)).set("@str", s("y"), s("a"), i(3)).set("@str", s("z"), s("b"), i(1));
          m.set("@str", s("w"), s("ab"), i(1)).set("@str", s("v"), s(""), i(0));
          m.set("@esc", s("1"), s("quote\"back\\slash")).set("@esc", s("2"), s("new\nline"));
          m.set("@esc", s("3"), s("tab\there")).set("@esc", s("4"), s("bell\u0007")).set("@esc", s("5"), s("utf8 é"));
          m.set("@buf", s("b"), new Value.Buf(new byte[] {'k', 1, (byte) 0xff}));
          m.set("@inet", s("i"), new Value.Inet("127.0.0.1"));
          m.set("@probe", s("p"), s("BEGIN"));
          m.exit();
        }),
        golden("values", m -> {
          m.attached(1);
          m.set("@int", i(-42)).set("@uint", Value.uint64(-1)).set("@i8", new Value.Int(-1, 1, true));
          m.set("@u8", new Value.Int(255, 1, false)).set("@i32", new Value.Int(-7, 4, true));
          m.set("@str", s("hello, world")).set("@empty", s("")).set("@special", s("q\"b\\n\nt\t"));
          m.set("@tuple", Value.tuple(i(1), s("abc"), i(-3)));
          m.set("@nested", Value.tuple(i(1), Value.tuple(i(2), s("x")), s("y")));
          m.set("@tk", Value.tuple(i(1), s("a")), i(1)).set("@tk", Value.tuple(i(2), s("b")), i(2));
          m.set("@buf", new Value.Buf(new byte[] {'a', 'b', 0, (byte) 0xff, '"', 'c', '~', 0x7f, ' '}));
          m.set("@inet", new Value.Inet("127.0.0.1")).set("@inet6", new Value.Inet("127.0.0.1"));
          m.set("@ik", new Value.Inet("127.0.0.1"), i(1)).set("@ik", new Value.Inet("127.0.0.2"), i(2));
          m.set("@ks", new Value.Sym("0"), i(1)).set("@ks", new Value.Sym("0x1"), i(2));
          m.set("@cmp", i(1)).set("@kaddr", i(1));
          m.exit();
        }),
        golden("print_values", m -> {
          m.attached(1);
          m.print(i(5)).print(i(-5)).print(Value.uint64(-1)).print(new Value.Int(-2, 1, true));
          m.print(new Value.Int(200, 1, false)).print(new Value.Int(-2, 4, true));
          m.print(s("s\"q\n")).print(s("")).print(Value.tuple(i(1), s("a"), Value.tuple(i(2), s("b"))));
          m.print(Value.tuple(i(1), new Value.Buf(new byte[] {'z', 1}), new Value.Inet("127.0.0.1")));
          m.print(new Value.Buf(new byte[] {'a', 2})).print(new Value.Inet("127.0.0.1")).print(s("BEGIN")).print(i(1));
          m.exit();
        }),
        golden("print_top_div", m -> {
          m.attached(1);
          m.avg("@a", -7, i(1)).avg("@a", 2, i(1)).avg("@a", 7, i(2)).avg("@a", 2, i(2));
          m.avg("@a", 100, i(3)).avg("@a", -100, i(4));
          m.count("@c", i(1)).count("@c", i(2)).count("@c", i(2)).count("@c", i(3)).count("@c", i(3)).count("@c", i(3));
          m.sum("@u", 1000, i(1)).sum("@u", -2000, i(2)).sum("@u", 3000, i(3));
          m.hist("@h", 1000, i(1)).hist("@h", 1000, i(2)).hist("@h", 1000, i(2));
          m.hist("@h", 10, i(3)).hist("@h", 10, i(3)).hist("@h", 10, i(3));
          m.lhist("@l", 5, 0, 10, 1, i(1)).lhist("@l", 5, 0, 10, 1, i(2)).lhist("@l", 5, 0, 10, 1, i(2));
          m.min("@mn", 1000, i(1)).min("@mn", 3000, i(2)).max("@mx", 1000, i(1)).max("@mx", 3000, i(2));
          m.set("@i", i(1000), i(1)).set("@i", i(-3000), i(2)).set("@i", i(7), i(3));
          m.set("@i8", new Value.Int(-100, 1, true), i(1)).set("@i8", new Value.Int(50, 1, true), i(2));
          m.set("@u8", new Value.Int(200, 1, false), i(1));
          m.print("@a", 2, 10).print("@c", 2, 2).print("@u", 2, 1000).print("@h", 1, 10).print("@l", 1, 2);
          m.print("@mn", 1, 1000).print("@mx", 0, 1000).print("@i", 0, 1000).print("@i", 1, 0).print("@i", 5, 0);
          m.print("@i", 0, 3).print("@i8", 0, 1000).print("@u8", 0, 7).print("@c", 0, 1);
          for (String name : List.of("@a", "@c", "@u", "@h", "@l", "@mn", "@mx", "@i", "@i8", "@u8")) m.clear(name);
          m.exit();
        }),
        golden("print_stats_top", m -> {
          m.attached(1);
          m.stats("@s", -7, i(1)).stats("@s", 2, i(1)).stats("@s", 50, i(2)).stats("@s", -50, i(3));
          m.print("@s", 1, 10).clear("@s");
          m.exit();
        }),
        golden("empty_maps", m -> {
          m.attached(1);
          m.count("@c").hist("@h", 3).stats("@s", 4).avg("@a", 3).lhist("@l", 3, 0, 10, 1).count("@k", i(1));
          m.set("@v", i(5)).hist("@hk", 3, i(1)).stats("@sk", 1, i(1));
          List<String> names = List.of("@c", "@h", "@s", "@a", "@l", "@k", "@v", "@hk", "@sk");
          names.forEach(m::clear);
          m.printf("--print--\n");
          names.forEach(m::print);
          m.printf("--exit--\n");
          m.exit();
        }),
        golden("exit_order", m -> {
          m.attached(2);
          m.set("@zeta", i(1)).set("@B", i(2)).set("@", i(3)).set("@_x", i(4)).set("@alpha", i(5)).set("@a", i(6));
          m.set("@a1", i(7)).set("@Z", i(8));
          m.printf("before exit\n").printf("in END\n");
          m.exit();
        }),
        golden("printf_ints", m -> {
          m.attached(1);
          m.printf("%d|%u|%x|%X|%o|\n", i(42), i(42), i(42), i(42), i(42));
          m.printf("%d|%u|%x|%X|%o|\n", i(-1), i(-1), i(-1), i(-1), i(-1));
          m.printf("%ld|%lu|%lx|%lX|%lo|\n", i(-1), i(-1), i(-1), i(-1), i(-1));
          m.printf("%lld|%llu|%llx|%jd|%ju|%zd|%zu|%td|%tx|\n", i(-2), i(-2), i(-2), i(-2), i(-2), i(-2), i(-2), i(-2), i(-2));
          m.printf("%hd|%hu|%hx|%hhd|%hhu|%hhx|\n", i(40000), i(70000), i(70000), i(200), i(300), i(300));
          m.printf("%d|%ld|%u|%lu|\n", i(4294967301L), i(4294967301L), i(4294967301L), i(4294967301L));
          m.printf("%ld|%lu|%lx|\n", i(0x7fffffffffffffffL), Value.uint64(0x8000000000000000L), Value.uint64(0x8000000000000000L));
          m.printf("%5d|%-5d|%05d|%-05d|%5.3d|%.3d|%.0d|%.0d|\n", i(42), i(42), i(42), i(42), i(42), i(42), i(0), i(7));
          m.printf("%8x|%-8X|%08x|%.4x|%08.4x|%2x|\n", i(255), i(255), i(255), i(255), i(255), i(0x12345));
          m.printf("%5d|%05d|%-6d|%.4d|%8.4d|\n", i(-42), i(-42), i(-42), i(-42), i(-42));
          m.printf("%20lu|%-22ld|%022ld|\n", i(-1), i(-9223372036854775807L), i(-5));
          m.printf("%d %d %d\n", new Value.Int(-1, 1, true), new Value.Int(-300, 2, true), new Value.Int(-70000, 4, true));
          m.printf("%u %lu %x\n", new Value.Int(255, 1, false), new Value.Int(4294967295L, 4, false), new Value.Int(65535, 2, false));
          m.exit();
        }),
        golden("printf_misc", m -> {
          m.attached(1);
          m.printf("%s|%10s|%-10s|%.2s|%10.2s|%-6.1s|%.0s|%05s|\n", s("abc"), s("abc"), s("abc"), s("abc"), s("abc"),
              s("abc"), s("abc"), s("ab"));
          m.printf("[%s] [%3s]\n", s("a string that is much longer than its width"), s("abcdef"));
          m.printf("%c%c%c|%5c|%-3c|\n", i(65), i(0x142), i(10), i(66), i(67));
          m.printf("%p|%p|%20p|%-20p|%.5p|%p|\n", i(0), i(1), i(4096), i(4096), i(1), i(0xffffffff81000000L));
          m.printf("%r|%rx|%rh|\n", new Value.Buf(new byte[] {'a', 'b', 0, (byte) 0xff, '\\', '"'}),
              new Value.Buf(new byte[] {'a', 'b', 1}), new Value.Buf(new byte[] {0, (byte) 0xff, 0x10}));
          m.printf("100%% of %d%%\n", i(5));
          m.printf("%d%%|%s %%%%\n", i(1), s("x"));
          m.printf("no args 100%%\n");
          m.printf("%y %d %\n", i(5));
          m.printf("tab\there, quote \" and backslash \\ %s\n", s("é"));
          m.printf("");
          m.printf("%s|%s|%s\n", s("BEGIN"), new Value.Inet("127.0.0.1"), s(""));
          m.exit();
        }),
        golden("printf_nul", m -> {
          m.attached(1);
          m.printf("ab%cde|%d|\n", i(0), i(5));
          m.printf("x%c\n", i(0));
          m.exit();
        }),
        golden("strftime_limit", m -> {
          m.attached(1);
          long boot = 1_795_308_708_000_000_000L;
          for (String f : List.of("%63%", "%64%", "%%|%n|%t|%5%|%Q|%-|")) {
            String v = Strftime.strftime(f, boot, java.time.ZoneOffset.UTC).orElse(Strftime.UNAVAILABLE);
            m.printf("%s|\n", s(v));
          }
          for (String f : List.of("%c%c%c\n", "literal, no conversion\n")) {
            Strftime.time(f, java.time.Instant.ofEpochSecond(1_795_309_438L), java.time.ZoneOffset.UTC)
                .ifPresent(t -> m.out().time(t));
          }
          m.exit();
        }),
        golden("system_cat", m -> {
          m.attached(1);
          m.out().system("system says 42 and hi\n".getBytes(StandardCharsets.UTF_8));
          m.out().cat("Linux\n".getBytes(StandardCharsets.UTF_8));
          m.out().system("no newline".getBytes(StandardCharsets.UTF_8));
          m.printf("|\n");
          m.exit();
        }),
        golden("join", m -> {
          m.attached(2);
          m.out().system(new byte[0]);
          List<Value> argv = List.of(s("/bin/echo"), s("a"), s("b c"), s(""), s("d"));
          m.out().join(argv, " ");
          m.out().join(argv, ",");
          m.out().join(argv, "");
          m.set("@started", i(1));
          m.exit();
        }),
        golden("helper_error", m -> {
          m.attached(1);
          m.out().helperError("map_update_elem", -7, new SourceLocation("helper_error.bt:4:26-27", 4, 26, """
              BEGIN { @x[1] = 1; @x[2] = 2; exit(); }
                                       ~
              """));
          m.set("@x", i(1), i(1));
          m.exit();
        }),
        golden("zeroed_maps", m -> {
          m.attached(1);
          m.hist("@h", 5).hist("@hk", 5, i(1)).hist("@hk", 6, i(2)).hist("@hk", 6, i(2)).stats("@s", 5).avg("@a", 4);
          m.lhist("@l", 5, 0, 10, 1).count("@c", i(1)).set("@str", s("x")).set("@t", Value.tuple(i(1), s("a")));
          for (String name : List.of("@h", "@hk", "@s", "@a", "@l", "@c", "@str")) m.zero(name);
          m.exit();
        }),
        golden("unassigned_maps", m -> {
          m.attached(2);
          m.declare("@never", MapDump.Kind.COUNT, false).declare("@h", MapDump.Kind.HIST, false);
          m.declare("@k", MapDump.Kind.VALUE, true).declare("@s", MapDump.Kind.STATS, false);
          m.declare("@sum", MapDump.Kind.SUM, false);
          m.printf("hi\n");
          m.exit();
        }),
        golden("hist_bits", m -> {
          Output out = m.out();
          long[] a = new long[65 * 2];
          for (long v : new long[] {-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 100}) a[ScriptModel.histBucket(v, 1)]++;
          long[] b = new long[65 * 4];
          b[ScriptModel.histBucket(5120, 2)]++;
          b[ScriptModel.histBucket(5200, 2)]++;
          b[ScriptModel.histBucket(7000, 2)]++;
          long[] c = new long[65 * 4];
          c[ScriptModel.histBucket(3L << 40, 2)]++;
          long[] d = new long[65 * 8];
          d[ScriptModel.histBucket(1, 3)]++;
          d[ScriptModel.histBucket(17, 3)]++;
          out.attachedProbes(1);
          out.exit(List.of(MapDump.single("@a", new Value.Hist(1, a)), MapDump.single("@b", new Value.Hist(2, b)),
              MapDump.single("@c", new Value.Hist(2, c)), MapDump.single("@d", new Value.Hist(3, d))));
        }));
  }

  private static String run(Golden g, Function<ByteArrayOutputStream, Output> kind) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = kind.apply(bytes);
    g.script().accept(new ScriptModel(out));
    out.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String resource(String name) {
    try (InputStream in = GoldenTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) throw new IllegalStateException("missing test resource golden/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void text(Golden g) {
    assertEquals(resource(g.name() + ".out"), run(g, Output::text));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void json(Golden g) {
    String actual = run(g, Output::json);
    for (String line : actual.split("\n")) {
      if (!line.isEmpty()) assertTrue(JsonParser.parse(line) instanceof Map, () -> "not an object: " + line);
    }
    if (derived(g)) return;
    String expected = withValidUtf8(resource(g.name() + ".json.out"));
    assertEquals(expected, actual);
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    for (int k = 0; k < e.size(); k++) {
      if (!e.get(k).isEmpty()) assertEquals(JsonParser.parse(e.get(k)), JsonParser.parse(a.get(k)));
    }
  }

  private static boolean derived(Golden g) { return resource(g.name() + ".bt").startsWith("// derived"); }

  private static final Pattern BROKEN_ESCAPES = Pattern.compile("(\\\\uffffff[0-9a-f]{2})+");

  /**
   * bpftrace 0.17 writes each byte of a non-ASCII character as an invalid {@code \uffffffXX} escape; jbpf
   * writes the character. This turns the former into the latter.
   */
  static String withValidUtf8(String json) {
    Matcher m = BROKEN_ESCAPES.matcher(json);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String run = m.group();
      byte[] bytes = new byte[run.length() / 10];
      for (int k = 0; k < bytes.length; k++) bytes[k] = (byte) Integer.parseInt(run.substring(k * 10 + 8, k * 10 + 10), 16);
      m.appendReplacement(b, Matcher.quoteReplacement(new String(bytes, StandardCharsets.UTF_8)));
    }
    m.appendTail(b);
    return b.toString();
  }

  @Test
  void everyGoldenScriptHasATest() throws URISyntaxException, IOException {
    Path dir = Path.of(GoldenTest.class.getResource("/golden").toURI());
    TreeSet<String> scripts;
    try (Stream<Path> files = Files.list(dir)) {
      scripts = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".bt"))
          .map(f -> f.substring(0, f.length() - 3)).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(scripts, goldens().map(Golden::name).collect(Collectors.toCollection(TreeSet::new)));
    List<String> missing = new ArrayList<>();
    for (String s : scripts) {
      if (!Files.exists(dir.resolve(s + ".out"))) missing.add(s + ".out");
      if (!resource(s + ".bt").startsWith("// derived") && !Files.exists(dir.resolve(s + ".json.out"))) {
        missing.add(s + ".json.out");
      }
    }
    assertEquals(List.of(), missing);
  }
}
