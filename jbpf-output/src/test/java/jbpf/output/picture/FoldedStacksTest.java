package jbpf.output.picture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import jbpf.output.MapDump;
import jbpf.output.StackMode;
import jbpf.output.Value;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Stacks from maps and from folded text, and folded text back. */
class FoldedStacksTest {
  private static final Value.Stack KSTACK = new Value.Stack(StackMode.BPFTRACE, List.of(
      new Value.Frame(0xffffffff814b2b2dL, "ksys_read+13"), new Value.Frame(0xffffffff81417d70L, "do_syscall_64+384")));
  private static final Value.Stack USTACK = new Value.Stack(StackMode.BPFTRACE, List.of(
      new Value.Frame(0x7f0000001000L, "__GI___libc_read+18"), new Value.Frame(0x401000L, "main+12"),
      new Value.Frame(0x7f0000002000L, "0x7f0000002000")));
  private static final Value.Stack JSTACK = new Value.Stack(StackMode.PERF, List.of(
      new Value.Frame(0x7f0000003000L, "LFoo;::bar+4 (/tmp/perf-12.map)", Value.FrameKind.JIT),
      new Value.Frame(0x401000L, "main+12 (/usr/bin/java)")));

  private static FoldedStacks read(String text) throws Exception {
    return FoldedStacks.read(new BufferedReader(new StringReader(text)), "stacks.folded");
  }

  private static String folded(FoldedStacks s) throws Exception {
    StringBuilder b = new StringBuilder();
    s.write(b);
    return b.toString();
  }

  @Test
  void aMapKeyedByStacksAndCommFoldsCommThenUserThenKernelFramesOutermostFirst() throws Exception {
    FoldedStacks s = new FoldedStacks();
    s.add(MapDump.keyed("@", List.of(
        MapDump.entry(List.of(KSTACK, USTACK, Value.str("cat")), new Value.Count(12)),
        MapDump.entry(List.of(new Value.Stack(StackMode.BPFTRACE, List.of()), USTACK, Value.str("cat")), new Value.Count(3)),
        MapDump.entry(List.of(KSTACK, JSTACK, Value.str("java")), new Value.Count(1)))), null);
    assertEquals("""
        cat;[unknown];main;__GI___libc_read 3
        cat;[unknown];main;__GI___libc_read;do_syscall_64_[k];ksys_read_[k] 12
        java;main;LFoo:::bar_[j];do_syscall_64_[k];ksys_read_[k] 1
        """, folded(s));
    assertEquals(16, s.total());
  }

  @Test
  void sumsCountTheirValueAndAPrefixNamesTheMap() throws Exception {
    FoldedStacks s = new FoldedStacks();
    s.add(MapDump.keyed("@bytes", List.of(MapDump.entry(KSTACK, new Value.Sum(4096, false)),
        MapDump.entry(USTACK, new Value.Sum(-5, true)))), FlameFrame.of("@bytes", FlameFrame.Kind.KEY));
    assertEquals("@bytes;do_syscall_64_[k];ksys_read_[k] 4096\n", folded(s));
  }

  @Test
  void histogramsCannotBeFlameGraphs() {
    FoldedStacks s = new FoldedStacks();
    var e = assertThrows(IllegalArgumentException.class,
        () -> s.add(MapDump.keyed("@h", List.of(MapDump.entry(KSTACK, new Value.Hist(0, new long[66])))), null));
    assertEquals("map @h holds hist values; a flame graph needs count(), sum() or integer values", e.getMessage());
  }

  @Test
  void readsFoldedTextWithKindsAndMergesRepeatedStacks() throws Exception {
    FoldedStacks s = read("""
        bash;main;ksys_read_[k] 27
        bash;main;Interpreter_[j] 3

        bash;main;ksys_read_[k] 3\r
        java;a b c;x 1
        """);
    assertEquals(34, s.total());
    Map.Entry<List<FlameFrame>, Long> first = s.sorted().getFirst();
    assertEquals(List.of(FlameFrame.of("bash", FlameFrame.Kind.USER), FlameFrame.of("main", FlameFrame.Kind.USER),
        FlameFrame.of("Interpreter", FlameFrame.Kind.JIT)), first.getKey());
    assertEquals(30, s.sorted().get(1).getValue());
    assertEquals(FlameFrame.Kind.KERNEL, s.sorted().get(1).getKey().get(2).kind());
  }

  @Test
  void badLinesAreReportedWithTheirNumber() {
    var e = assertThrows(FoldedStacks.FormatException.class, () -> read("a;b 1\na;b;c\n"));
    assertEquals("stacks.folded:2: expected frames separated by ';', a space and a count, e.g. 'main;work 12'; found 'a;b;c'", e.getMessage());
    e = assertThrows(FoldedStacks.FormatException.class, () -> read("a;b 12 15\n"));
    assertEquals("stacks.folded:1: two counts: differential folded input is not supported; found 'a;b 12 15'", e.getMessage());
    e = assertThrows(FoldedStacks.FormatException.class, () -> read("a;b -3\n"));
    assertTrue(e.getMessage().startsWith("stacks.folded:1: expected"), e.getMessage());
  }

  @Test
  void framesCannotHoldTheSeparator() {
    assertEquals("a:b c", FlameFrame.of("a;b\nc", FlameFrame.Kind.USER).name());
    assertEquals("[unknown]", FlameFrame.of("", FlameFrame.Kind.USER).name());
  }

  @Property(tries = 200, seed = "7")
  void foldedTextRoundTrips(@ForAll @Size(max = 30) List<@Size(min = 0, max = 12) List<@StringLength(min = 1, max = 12) @AlphaChars @NumericChars @Chars({'_', '<', '>', ':', '(', ')', '[', ']', '.', '&', '+'}) String>> paths,
                            @ForAll @IntRange(min = 1, max = 1000) int count) throws Exception {
    FoldedStacks s = new FoldedStacks();
    FlameFrame.Kind[] kinds = {FlameFrame.Kind.USER, FlameFrame.Kind.KERNEL, FlameFrame.Kind.JIT};
    int i = 0;
    for (List<String> p : paths) {
      List<FlameFrame> path = new java.util.ArrayList<>();
      for (String n : p) path.add(FlameFrame.of(n, kinds[i++ % 3]));
      s.add(path, count + i);
    }
    String text = folded(s);
    FoldedStacks back = read(text);
    assertEquals(text, folded(back));
    long nonEmpty = s.sorted().stream().filter(e -> !e.getKey().isEmpty()).mapToLong(Map.Entry::getValue).sum();
    assertEquals(nonEmpty, back.total());
  }
}
