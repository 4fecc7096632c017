package jbpf.lang;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Aggregations, map functions, map storage and the {@code config} block, checked without a kernel. */
class MapsTest {
  /** A kernel that has the kfunc {@code len()} calls. */
  static final class KfuncKernel implements KernelInfo {
    private final FakeKernel kernel = new FakeKernel();

    @Override public List<String> tracepoints() { return kernel.tracepoints(); }

    @Override public java.util.Optional<jbpf.lang.types.TracepointFormat> tracepointFormat(String category, String name) {
      return kernel.tracepointFormat(category, name);
    }

    @Override public int possibleCpus() { return kernel.possibleCpus(); }

    @Override public OptionalInt kernelFunction(String name) {
      return name.equals("bpf_map_sum_elem_count") ? OptionalInt.of(12345) : OptionalInt.empty();
    }
  }

  static CompiledScript compile(String text, KernelInfo kernel, TypedProgram.Settings settings) throws CompileException {
    return Compiler.compile(new Source("stdin", text), List.of(), kernel, settings, new CodeGen.Options(true, 2));
  }

  static CompiledScript compile(String text) throws CompileException {
    return compile(text, new KfuncKernel(), TypedProgram.Settings.DEFAULT);
  }

  static String errors(String text) {
    return errors(text, new KfuncKernel());
  }

  static String errors(String text, KernelInfo kernel) {
    CompileException e = assertThrows(CompileException.class, () -> compile(text, kernel, TypedProgram.Settings.DEFAULT));
    return e.render();
  }

  static Stream<Arguments> diagnostics() {
    return Stream.of(
        arguments("count() takes no argument", "BEGIN { @c = count(1); }", """
            stdin:1:14-22: ERROR: count() requires no arguments (1 provided)
            BEGIN { @c = count(1); }
                         ~~~~~~~~
            """),
        arguments("hist() takes one or two", "BEGIN { @h = hist(1, 2, 3); }", """
            stdin:1:14-27: ERROR: hist() requires one or two arguments (3 provided)
            BEGIN { @h = hist(1, 2, 3); }
                         ~~~~~~~~~~~~~
            """),
        arguments("hist() k is from 0 to 5", "BEGIN { @h = hist(1, 6); }", """
            stdin:1:14-24: ERROR: hist() second argument must be from 0 to 5 (6 provided)
            BEGIN { @h = hist(1, 6); }
                         ~~~~~~~~~~
            """),
        arguments("hist() k is a literal", "BEGIN { @h = hist(1, pid); }", """
            stdin:1:14-26: ERROR: hist() expects an integer literal for its second argument (the number of bits of each power of two)
            BEGIN { @h = hist(1, pid); }
                         ~~~~~~~~~~~~
            """),
        arguments("sum() of a string", "BEGIN { @s = sum(\"a\"); }", """
            stdin:1:14-22: ERROR: sum() only supports integer arguments (string provided)
            BEGIN { @s = sum("a"); }
                         ~~~~~~~~
            """),
        arguments("lhist() step 0", "BEGIN { @l = lhist(1, 0, 10, 0); }", """
            stdin:1:14-32: ERROR: lhist() step must be >= 1 (0 provided)
            BEGIN { @l = lhist(1, 0, 10, 0); }
                         ~~~~~~~~~~~~~~~~~~
            """),
        arguments("lhist() negative min", "BEGIN { @l = lhist(1, -1, 10, 1); }", """
            stdin:1:14-33: ERROR: lhist() min must be non-negative (provided min -1)
            BEGIN { @l = lhist(1, -1, 10, 1); }
                         ~~~~~~~~~~~~~~~~~~~
            """),
        arguments("lhist() min above max", "BEGIN { @l = lhist(1, 10, 5, 1); }", """
            stdin:1:14-32: ERROR: lhist() min must be less than max (provided min 10 and max 5)
            BEGIN { @l = lhist(1, 10, 5, 1); }
                         ~~~~~~~~~~~~~~~~~~
            """),
        arguments("lhist() too many buckets", "BEGIN { @l = lhist(1, 0, 100000, 1); }", """
            stdin:1:14-36: ERROR: lhist() too many buckets, must be <= 1000 (would need 100000)
            BEGIN { @l = lhist(1, 0, 100000, 1); }
                         ~~~~~~~~~~~~~~~~~~~~~~
            """),
        arguments("two aggregations in one map", "BEGIN { @c = count(); @c = sum(1); }", """
            stdin:1:23-25: ERROR: Type mismatch for @c: trying to assign value of type 'sum' when map already contains a value of type 'count'
            BEGIN { @c = count(); @c = sum(1); }
                                  ~~
            """),
        arguments("a value assigned to an aggregation", "BEGIN { @c = count(); @c = 1; }", """
            stdin:1:23-25: ERROR: Type mismatch for @c: trying to assign value of type 'int64' when map already contains a value of type 'count'
            BEGIN { @c = count(); @c = 1; }
                                  ~~
            """),
        arguments("lhist() parameters differ", "BEGIN { @l = lhist(1, 0, 10, 1); @l = lhist(1, 0, 20, 1); }", """
            stdin:1:39-57: ERROR: Different lhist parameters used for @l
            BEGIN { @l = lhist(1, 0, 10, 1); @l = lhist(1, 0, 20, 1); }
                                                  ~~~~~~~~~~~~~~~~~~
            """),
        arguments("has_key() of a map without keys", "BEGIN { @x = 1; $y = has_key(@x, 1); }", """
            stdin:1:30-32: ERROR: has_key() expects a map with keys, but @x has none
            BEGIN { @x = 1; $y = has_key(@x, 1); }
                                         ~~
            """),
        arguments("has_key() with a key of another type", "BEGIN { @x[1] = 1; $y = has_key(@x, \"a\"); }", """
            stdin:1:33-35: ERROR: Argument mismatch for @x: trying to access with arguments: [string[2]] when map expects arguments: [int64]
            BEGIN { @x[1] = 1; $y = has_key(@x, "a"); }
                                            ~~
            """),
        arguments("has_key() of a hist map", "BEGIN { @h[1] = hist(1); $y = has_key(@h, 1); }", """
            stdin:1:39-41: ERROR: has_key() does not support hist() maps
            BEGIN { @h[1] = hist(1); $y = has_key(@h, 1); }
                                                  ~~
            """),
        arguments("len() of an unknown map", "BEGIN { $y = len(@nope); }", """
            stdin:1:18-23: ERROR: Undefined map: @nope
            BEGIN { $y = len(@nope); }
                             ~~~~~
            HINT: a map comes into existence when it is assigned, e.g. @nope = count();
            """),
        arguments("len() of a value", "BEGIN { $y = len(1); }", """
            stdin:1:14-20: ERROR: len() expects a map, a string or a stack (int64 provided)
            BEGIN { $y = len(1); }
                         ~~~~~~
            """),
        arguments("reading a stats() map", "BEGIN { @s = stats(1); $y = @s; }", """
            stdin:1:29-31: ERROR: The value of a stats() map cannot be read in a probe
            BEGIN { @s = stats(1); $y = @s; }
                                        ~~
            """),
        arguments("an unknown config key", "config = { nope = 1 } BEGIN { }", """
            stdin:1:12-20: ERROR: Unrecognized config variable: nope
            config = { nope = 1 } BEGIN { }
                       ~~~~~~~~
            """),
        arguments("a config key of the wrong type", "config = { max_map_keys = \"a\" } BEGIN { }", """
            stdin:1:12-30: ERROR: Invalid type for max_map_keys. Type: string. Expected Type: integer
            config = { max_map_keys = "a" } BEGIN { }
                       ~~~~~~~~~~~~~~~~~~
            """));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("diagnostics")
  void diagnoses(String name, String script, String expected) {
    assertEquals(expected, errors(script));
  }

  @Test
  void lenOfAMapWithKeysNeedsTheKfunc() {
    assertEquals("""
        stdin:1:25-32: ERROR: len() of a map with keys needs the kernel function bpf_map_sum_elem_count, which this kernel lacks (Linux 6.6 or later has it)
        BEGIN { @x[1] = 1; $y = len(@x); }
                                ~~~~~~~
        """, errors("BEGIN { @x[1] = 1; $y = len(@x); }", new FakeKernel()));
  }

  @Test
  void lenCallsTheKfuncAndHasKeyLooksUp() throws CompileException {
    String code = compile("BEGIN { @x[1] = 1; @y = len(@x); @z = has_key(@x, 1); }").collection().programs().getFirst().code().disassemble();
    assertTrue(code.contains("call kernel-function#12345"), code);
    assertTrue(code.contains("call bpf_map_lookup_elem"), code);
  }

  private static MapSpec spec(CompiledScript s, String name) { return s.collection().maps().get(name); }

  @Test
  void mapsWithoutKeysThatOnlyCountAreArrays() throws CompileException {
    CompiledScript s = compile("BEGIN { @c = count(); @h = hist(1); @h3 = hist(1, 3); @l = lhist(1, 0, 100, 10); "
        + "@s = sum(1); @kc[1] = count(); @kh[1] = hist(1); @v = 1; @kv[\"a\"] = 1; }");
    assertEquals(new MapSpec("AT_c", MapType.PERCPU_ARRAY, 4, 8, 1), spec(s, "AT_c"));
    assertEquals(new MapSpec("AT_h", MapType.PERCPU_ARRAY, 4, 8, 65), spec(s, "AT_h"));
    assertEquals(new MapSpec("AT_h3", MapType.PERCPU_ARRAY, 4, 8, (64 - 3) * 8 + 1), spec(s, "AT_h3"));
    assertEquals(new MapSpec("AT_l", MapType.PERCPU_ARRAY, 4, 8, 12), spec(s, "AT_l"));
    assertEquals(new MapSpec("AT_s", MapType.PERCPU_HASH, 8, 8, 4096), spec(s, "AT_s"));
    assertEquals(new MapSpec("AT_kc", MapType.PERCPU_HASH, 8, 8, 4096), spec(s, "AT_kc"));
    assertEquals(new MapSpec("AT_kh", MapType.PERCPU_HASH, 16, 8, 4096), spec(s, "AT_kh"));
    assertEquals(new MapSpec("AT_v", MapType.HASH, 8, 8, 1), spec(s, "AT_v"));
    assertEquals(new MapSpec("AT_kv", MapType.HASH, 8, 8, 4096), spec(s, "AT_kv"));
  }

  @Test
  void mapCapacityComesFromSettingsAndTheConfigBlock() throws CompileException {
    assertEquals(100, spec(compile("BEGIN { @x[1] = 1; }", new KfuncKernel(), new TypedProgram.Settings(64, 100, 1 << 22)), "AT_x").maxEntries());
    CompiledScript c = compile("config = { max_map_keys = 7; BPFTRACE_PRINT_MAPS_ON_EXIT = false; perf_rb_pages = 3 } BEGIN { @x[1] = 1; }");
    assertEquals(7, spec(c, "AT_x").maxEntries());
    assertFalse(c.typed().settings().printMapsOnExit());
    assertEquals(16384, spec(c, "events").maxEntries());
    TypedProgram.Settings fromEnv = new TypedProgram.Settings(64, 50, 1 << 22, true, java.util.Set.of("max_map_keys"), false);
    assertEquals(50, spec(compile("config = { max_map_keys = 7 } BEGIN { @x[1] = 1; }", new KfuncKernel(), fromEnv), "AT_x").maxEntries());
  }
}
