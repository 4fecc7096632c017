package jbpf.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Output whose bpftrace reference depends on the machine (stacks, structs, symbols, lost events), asserted
 * against text bpftrace 0.17 printed here, with addresses and symbols as they were.
 */
class OutputTest {
  private static String text(Consumer<Output> calls) { return run(Output::text, calls); }

  private static String json(Consumer<Output> calls) { return run(Output::json, calls); }

  private static String run(Function<ByteArrayOutputStream, Output> kind, Consumer<Output> calls) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output out = kind.apply(bytes);
    calls.accept(out);
    out.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static final Value.Stack KSTACK = new Value.Stack(StackMode.BPFTRACE, List.of(
      new Value.Frame(0xffffffff814b2b2dL, "perf_syscall_enter+397"),
      new Value.Frame(0xffffffff81417d70L, "syscall_trace_enter+384")));
  private static final Value.Stack PERF_KSTACK = new Value.Stack(StackMode.PERF, KSTACK.frames());
  private static final Value.Stack PERF_USTACK = new Value.Stack(StackMode.PERF, List.of(
      new Value.Frame(0x7fad1d9644e7L, "0x7fad1d9644e7 ([unknown])")));

  /** bpftrace -e 'tracepoint:syscalls:sys_enter_getpid { printf("[%s]\n", kstack(2)); print(kstack(2)); ... }' */
  @Test
  void stacksInPrintfAndPrint() {
    assertEquals("""
        [
                perf_syscall_enter+397
                syscall_trace_enter+384
        ]

                perf_syscall_enter+397
                syscall_trace_enter+384

        <
        \tffffffff814b2b2d perf_syscall_enter+397
        \tffffffff81417d70 syscall_trace_enter+384
        >

        \t7fad1d9644e7 0x7fad1d9644e7 ([unknown])

        """, text(out -> {
      out.printf(PrintfFormat.parse("[%s]\n"), List.of(KSTACK));
      out.value(KSTACK);
      out.printf(PrintfFormat.parse("<%s>\n"), List.of(PERF_KSTACK));
      out.value(PERF_USTACK);
    }));
    assertEquals("""
        {"type": "printf", "data": "[\\n        perf_syscall_enter+397\\n        syscall_trace_enter+384\\n]\\n"}
        {"type": "value", "data": "\\n        perf_syscall_enter+397\\n        syscall_trace_enter+384\\n"}
        {"type": "value", "data": "\\n\\t7fad1d9644e7 0x7fad1d9644e7 ([unknown])\\n"}
        """, json(out -> {
      out.printf(PrintfFormat.parse("[%s]\n"), List.of(KSTACK));
      out.value(KSTACK);
      out.value(PERF_USTACK);
    }));
  }

  /** Stacks as keys are indented by 4, as values by 8; entries holding stacks have no separator. */
  @Test
  void stacksInMaps() {
    MapDump byStack = MapDump.keyed("@", List.of(MapDump.entry(new Value.Stack(StackMode.BPFTRACE, KSTACK.frames()),
        new Value.Count(1))));
    MapDump multi = MapDump.keyed("@t", List.of(MapDump.entry(List.of(Value.str("bash"),
        new Value.Stack(StackMode.BPFTRACE, KSTACK.frames().subList(0, 1))), new Value.Count(1))));
    MapDump perfKey = MapDump.keyed("@p", List.of(MapDump.entry(PERF_KSTACK, new Value.Count(72))));
    MapDump stackValue = MapDump.single("@k", KSTACK);
    MapDump stackValues = MapDump.keyed("@k", List.of(MapDump.entry(Value.int64(1), KSTACK),
        MapDump.entry(Value.int64(2), new Value.Stack(StackMode.BPFTRACE, KSTACK.frames().subList(1, 2)))));
    assertEquals("""
        @[
            perf_syscall_enter+397
            syscall_trace_enter+384
        ]: 1
        @t[bash,\s
            perf_syscall_enter+397
        ]: 1
        @p[
        \tffffffff814b2b2d perf_syscall_enter+397
        \tffffffff81417d70 syscall_trace_enter+384
        ]: 72
        @k:\s
                perf_syscall_enter+397
                syscall_trace_enter+384

        @k[1]:\s
                perf_syscall_enter+397
                syscall_trace_enter+384
        @k[2]:\s
                syscall_trace_enter+384

        """, text(out -> List.of(byStack, multi, perfKey, stackValue, stackValues).forEach(out::map)));
    assertEquals("""
        {"type": "map", "data": {"@t": {"bash,\\n    perf_syscall_enter+397\\n": 1}}}
        {"type": "map", "data": {"@k": "\\n        perf_syscall_enter+397\\n        syscall_trace_enter+384\\n"}}
        """, json(out -> List.of(multi, stackValue).forEach(out::map)));
  }

  /** bpftrace -e '... { print($t->se.load); @arr = $t->cpus_mask.bits; print($t->cpus_mask); }' */
  @Test
  void structsAndArrays() {
    Value load = new Value.Record(List.of(new Value.Field("weight", Value.int64(1048576)),
        new Value.Field("inv_weight", new Value.Int(4194304, 4, false))));
    Value bits = new Value.Array(List.of(Value.int64(3), Value.int64(0), Value.int64(0), Value.int64(0)));
    Value mask = new Value.Record(List.of(new Value.Field("bits", bits)));
    assertEquals("""
        { .weight = 1048576, .inv_weight = 4194304 }
        { .bits = [3,0,0,0] }
        @arr: [3,0,0,0]
        @s: { .weight = 1048576, .inv_weight = 4194304 }
        """, text(out -> {
      out.value(load);
      out.value(mask);
      out.map(MapDump.single("@arr", bits));
      out.map(MapDump.single("@s", load));
    }));
    assertEquals("""
        {"type": "value", "data": { "weight": 1048576, "inv_weight": 4194304 }}
        {"type": "value", "data": { "bits": [3,0,0,0] }}
        {"type": "map", "data": {"@arr": [3,0,0,0]}}
        """, json(out -> {
      out.value(load);
      out.value(mask);
      out.map(MapDump.single("@arr", bits));
    }));
  }

  /** bpftrace -e '... { @p = curtask; @q[curtask] = 1; }': a pointer is decimal as a value, hex as a key. */
  @Test
  void pointers() {
    Value.Ptr task = new Value.Ptr(0xffff888127311740L);
    assertEquals("""
        @p: -131386687023296
        @q[0xffff888127311740]: 1
        """, text(out -> {
      out.map(MapDump.single("@p", task));
      out.map(MapDump.keyed("@q", List.of(MapDump.entry(task, Value.int64(1)))));
    }));
    assertEquals("""
        {"type": "map", "data": {"@p": -131386687023296}}
        {"type": "map", "data": {"@q": {"0xffff888127311740": 1}}}
        """, json(out -> {
      out.map(MapDump.single("@p", task));
      out.map(MapDump.keyed("@q", List.of(MapDump.entry(task, Value.int64(1)))));
    }));
  }

  @Test
  void messages() {
    assertEquals("Attaching 1 probe...\nAttaching 12 probes...\nLost 5 events\nLost 18446744073709551615 events\n",
        text(out -> {
          out.attachedProbes(1);
          out.attachedProbes(12);
          out.lostEvents(5);
          out.lostEvents(-1);
        }));
    assertEquals("""
        {"type": "attached_probes", "data": {"probes": 12}}
        {"type": "lost_events", "data": {"events": 5}}
        {"type": "time", "data": "12:00:01\\n"}
        {"type": "cat", "data": "\\u0001\\u001f\\u007f"}
        """.replace("\\u007f", "\u007f"), json(out -> {
      out.attachedProbes(12);
      out.lostEvents(5);
      out.time("12:00:01\n");
      out.cat(new byte[] {1, 0x1f, 0x7f});
    }));
  }

  @Test
  void helperErrors() {
    SourceLocation where = new SourceLocation("stdin:1:9-26", 1, 9, "");
    assertEquals("stdin:1:9-26: WARNING: Failed to probe_read_kernel: Bad address (-14)\n"
        + "stdin:1:9-26: WARNING: Failed to override_return: 3\n", text(out -> {
      out.helperError("probe_read_kernel", -14, where);
      out.helperError("override_return", 3, where);
    }));
    assertEquals("Unknown error 200", Strerror.of(200));
    assertEquals("Operation not permitted", Strerror.of(1));
  }

  @Test
  void booleansAndKeysOfOtherTypes() {
    MapDump flags = MapDump.keyed("@f", List.of(MapDump.entry(new Value.Bool(true), new Value.Bool(false)),
        MapDump.entry(new Value.Sym("vfs_read"), new Value.Bool(true))));
    assertEquals("@f[true]: false\n@f[vfs_read]: true\n", text(out -> out.map(flags)));
    assertEquals("{\"type\": \"map\", \"data\": {\"@f\": {\"true\": false, \"vfs_read\": true}}}\n",
        json(out -> out.map(flags)));
  }

  @Test
  void jsonIsValidWhateverTheBytes() {
    byte[] bytes = {'a', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xe2, (byte) 0x82, 'z', (byte) 0xf0, (byte) 0x9f,
        (byte) 0x98, (byte) 0x80, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
    String line = json(out -> out.value(new Value.Str(bytes)));
    assertEquals("{\"type\": \"value\", \"data\": \"aé\\u00ff\\u00e2\\u0082z\uD83D\uDE00\\u00ed\\u00a0\\u0080\"}\n", line);
    assertEquals(java.util.Map.of("type", "value", "data", "aé\u00ff\u00e2\u0082z\uD83D\uDE00\u00ed\u00a0\u0080"),
        JsonParser.parse(line.strip()));
  }

  @Test
  void textIsWrittenByteForByte() {
    byte[] bytes = {'a', (byte) 0xff, (byte) 0xfe, '\n'};
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Output.text(sink).value(new Value.Str(bytes));
    assertEquals(List.of((byte) 'a', (byte) 0xff, (byte) 0xfe, (byte) '\n', (byte) '\n'), toList(sink.toByteArray()));
  }

  private static List<Byte> toList(byte[] b) {
    Byte[] boxed = new Byte[b.length];
    for (int k = 0; k < b.length; k++) boxed[k] = b[k];
    return List.of(boxed);
  }

  @Test
  void printArgumentsAreUint32() {
    MapDump m = MapDump.single("@x", Value.int64(5));
    assertThrows(IllegalArgumentException.class, () -> text(out -> out.map(m, -1, 0)));
    assertThrows(IllegalArgumentException.class, () -> text(out -> out.map(m, 0, 1L << 32)));
    assertEquals("@x: 1\n", text(out -> out.map(m, 0, 4)));
  }
  /** Later bpftrace reports a failed map update without -k, with its location; jbpf once per map. */
  @Test
  void aFailedMapUpdate() {
    SourceLocation where = new SourceLocation("stdin:1:31-40", 1, 31, """
        BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; exit(); }
                                      ~~~~~~~~~
        """);
    assertEquals("""
        stdin:1:31-40: WARNING: Map full; can't update element. Try increasing max_map_keys config
        Additional Info - helper: map_update_elem, retcode: -7
        BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; exit(); }
                                      ~~~~~~~~~
        stdin:1:31-40: WARNING: Cannot allocate memory
        Additional Info - helper: map_update_elem, retcode: -12
        BEGIN { @x[1] = 1; @x[2] = 2; @x[3] = 3; exit(); }
                                      ~~~~~~~~~
        """, text(out -> {
      out.mapUpdateFailed(-7, where);
      out.mapUpdateFailed(-12, where);
    }));
    String json = json(out -> out.mapUpdateFailed(-7, where));
    assertEquals("""
        {"type": "helper_error", "msg": "Map full; can't update element. Try increasing max_map_keys config", \
        "helper": "map_update_elem", "retcode": -7, "line": 1, "col": 31}
        """, json);
    assertEquals(java.util.Map.of("type", "helper_error", "msg", "Map full; can't update element. Try increasing max_map_keys config",
        "helper", "map_update_elem", "retcode", new java.math.BigDecimal(-7), "line", java.math.BigDecimal.ONE,
        "col", new java.math.BigDecimal(31)), JsonParser.parse(json.strip()));
  }

  /** With -o FILE, bpftrace 0.17 writes the line breaks before the maps at exit to standard output. */
  @Test
  void theLineBreaksBeforeTheMapsAtExitCanGoElsewhere() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    assertEquals("hi\n@x: 1\n", text(out -> {
      out.exitSeparatorTo(console);
      out.printf(PrintfFormat.parse("hi\n"), List.of());
      out.exit(List.of(MapDump.single("@x", Value.int64(1))));
    }));
    assertEquals("\n\n", console.toString(StandardCharsets.UTF_8));
  }
}
