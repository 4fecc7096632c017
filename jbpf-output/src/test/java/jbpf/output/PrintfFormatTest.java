package jbpf.output;

import static jbpf.output.PrintfFormat.ArgType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrintfFormatTest {

  /** Every flag, width, precision, length and conversion combination against glibc (dev/printf-golden.c). */
  @Test
  void convertsLikeGlibc() throws IOException {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    try (InputStream in = PrintfFormatTest.class.getResourceAsStream("/printf/glibc.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        String[] f = line.split("\t", -1);
        PrintfFormat format = PrintfFormat.parse(f[0]);
        Value arg = f[0].endsWith("s") ? Value.str(f[1]) : Value.int64(Long.parseLong(f[1]));
        String actual = format.format(List.of(arg));
        if (!actual.equals(f[2])) wrong.add(f[0] + " of " + f[1] + ": expected [" + f[2] + "] got [" + actual + "]");
        cases++;
      }
    }
    assertEquals(26793, cases);
    assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())));
  }

  static Stream<Arguments> specs() {
    return Stream.of(
        arguments("%d", 1, "%d"),
        arguments("%-08.3ld", 1, "%ld"),
        arguments("%hhx", 1, "%hhx"),
        arguments("%rx %rh %r", 3, "%rx %rh %r"),
        arguments("%%d", 0, ""),
        arguments("100%", 0, ""),
        arguments("%y %lc %ls %f", 0, ""),
        arguments("%+d % i %#x", 3, "%d %i %x"),
        arguments("%s%c%p", 3, "%s %c %p"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void findsSpecifiers(String format, int count, String tokens) {
    PrintfFormat f = PrintfFormat.parse(format);
    assertEquals(List.of(), f.errors());
    assertEquals(count, f.specs().size());
    assertEquals(tokens, String.join(" ", f.specs().stream().map(PrintfFormat.Spec::token).toList()));
  }

  @Test
  void recordsWhereEachSpecifierIs() {
    PrintfFormat f = PrintfFormat.parse("pid %-5d comm %s\n");
    assertEquals(4, f.specs().get(0).offset());
    assertEquals(4, f.specs().get(0).length());
    assertEquals(14, f.specs().get(1).offset());
    assertEquals(2, f.specs().get(1).length());
  }

  static Stream<Arguments> checks() {
    ArgType integer = ArgType.integer();
    ArgType string = ArgType.string();
    ArgType buffer = ArgType.buffer();
    return Stream.of(
        arguments("%d %s", List.of(integer, string), null),
        arguments("%d %d", List.of(integer), "printf: Not enough arguments for format string (1 supplied, 2 expected)"),
        arguments("%d", List.of(integer, integer), "printf: Too many arguments for format string (2 supplied, 1 expected)"),
        arguments("%s", List.of(integer), "printf: %s specifier expects a value of type string (integer supplied)"),
        arguments("%-5ld", List.of(string), "printf: %ld specifier expects a value of type integer (string supplied)"),
        arguments("%r", List.of(string), "printf: %r specifier expects a value of type buffer (string supplied)"),
        arguments("%rx", List.of(buffer), null),
        arguments("%c", List.of(string), "printf: %c specifier expects a value of type integer (string supplied)"),
        arguments("%s", List.of(new ArgType(PrintfFormat.ArgKind.OTHER, "tuple")),
            "printf: %s specifier expects a value of type string (tuple supplied)"),
        arguments("%d", List.of(new ArgType(PrintfFormat.ArgKind.OTHER, "count")),
            "printf: %d specifier expects a value of type integer (count supplied)"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("checks")
  void checksArgumentsAsBpftraceDoes(String format, List<ArgType> args, String message) {
    Optional<FormatError> error = PrintfFormat.parse(format).check("printf", args);
    assertEquals(Optional.ofNullable(message), error.map(FormatError::message));
  }

  @Test
  void pointsAtTheSpecifierAtFault() {
    FormatError e = PrintfFormat.parse("a=%d b=%s\n").check("printf", List.of(ArgType.integer(), ArgType.integer())).orElseThrow();
    assertEquals(7, e.offset());
    assertEquals(2, e.length());
    assertEquals(1, e.argument());
    FormatError missing = PrintfFormat.parse("a=%d b=%s\n").check("printf", List.of(ArgType.integer())).orElseThrow();
    assertEquals(7, missing.offset());
    FormatError extra = PrintfFormat.parse("a=%d\n").check("printf", List.of(ArgType.integer(), ArgType.integer())).orElseThrow();
    assertEquals(-1, extra.offset());
    assertEquals(1, extra.argument());
  }

  @Test
  void rejectsWidthsFromArguments() {
    PrintfFormat f = PrintfFormat.parse("x %*d %.*s y");
    assertEquals(2, f.errors().size());
    assertEquals(2, f.errors().get(0).offset());
    assertEquals("printf: '*' width and precision are not supported: %*d", f.errors().get(0).message());
    assertEquals(List.of(), f.specs());
    assertEquals(f.errors().getFirst(), f.check("printf", List.of()).orElseThrow());
    assertThrows(IllegalStateException.class, () -> f.format(List.of()));
  }

  static Stream<Arguments> formats() {
    Value.Buf buf = new Value.Buf(new byte[] {'a', 0, (byte) 0xff, '\\'});
    return Stream.of(
        arguments("%d%%\n", List.of(Value.int64(50)), "50%%\n"),
        arguments("%d%% %d\n", List.of(Value.int64(50), Value.int64(1)), "50% 1\n"),
        arguments("%i|%+d|% d|%#x|%#o", List.of(Value.int64(7), Value.int64(7), Value.int64(7), Value.int64(255),
            Value.int64(8)), "7|+7| 7|0xff|010"),
        arguments("%r|%rx|%rh", List.of(buf, buf, buf), "a\\x00\\xff\\|\\x61\\x00\\xff\\x5c|61 00 ff 5c"),
        arguments("[%8r][%-6rh][%.3r]", List.of(buf, new Value.Buf(new byte[] {1}), buf), "[a\\x00\\xff\\][01    ][a\\x]"),
        arguments("%s", List.of(Value.int64(-3)), "-3"),
        arguments("%s|%s", List.of(Value.tuple(Value.int64(1), Value.str("a")), new Value.Sym("vfs_read")), "(1, a)|vfs_read"),
        arguments("[%s]", List.of(new Value.Stack(StackMode.BPFTRACE, List.of(new Value.Frame(1, "f+1")))), "[\n        f+1\n]"),
        arguments("%s|", List.of(new Value.Str(new byte[] {'a', 0, 'b'})), "a|"),
        arguments("%c|%c", List.of(Value.int64(0), Value.int64('x')), "|x"),
        arguments("%d %u %x", List.of(new Value.Ptr(-1), new Value.Bool(true), new Value.Count(3)), "-1 1 3"),
        arguments("é %s %5s|", List.of(Value.str("é"), Value.str("é")), "é é    é|"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void formats(String format, List<Value> args, String expected) {
    assertEquals(expected, PrintfFormat.parse(format).format(args));
  }

  @Test
  void refusesArgumentsOfTheWrongKindOrNumber() {
    PrintfFormat f = PrintfFormat.parse("%d");
    assertThrows(IllegalArgumentException.class, () -> f.format(List.of(Value.str("x"))));
    assertThrows(IllegalArgumentException.class, () -> f.format(List.of()));
  }
}
