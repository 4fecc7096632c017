package jbpf.lang.lex;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LexerTest {
  /**
   * Tokens in a compact form: attach points as {@code ap(...)}, strings and characters quoted with their decoded value,
   * a predicate's closing slash as {@code end/}, directives as {@code #(...)}, everything else as written.
   */
  static String show(Tokens tokens) {
    return tokens.tokens().stream().filter(t -> t.kind() != TokenKind.EOF).map(t -> switch (t.kind()) {
      case ATTACH_POINT -> "ap(" + t.text() + ")";
      case STRING -> "\"" + t.text().replace("\n", "\\n").replace("\t", "\\t").replace("\u001b", "\\e") + "\"";
      case CHAR -> "'" + (t.text().equals("\n") ? "\\n" : t.text()) + "'";
      case PRED_END -> "end/";
      case PREPROC -> "#(" + t.text() + ")";
      default -> t.text();
    }).collect(Collectors.joining(" "));
  }

  static Tokens lex(String text) { return Lexer.lex(new Source("stdin", text)); }

  static Stream<Arguments> attachPoints() {
    return Stream.of(
        arguments("BEGIN", "BEGIN { }", "ap(BEGIN) { }"),
        arguments("no space before block", "kprobe:f{}", "ap(kprobe:f) { }"),
        arguments("path then predicate", "uprobe:/bin/bash:readline /pid == 1/ {}", "ap(uprobe:/bin/bash:readline) / pid == 1 end/ { }"),
        arguments("predicate right after a function name", "kprobe:f/pid == 1/{}", "ap(kprobe:f) / pid == 1 end/ { }"),
        arguments("predicate right after BEGIN", "BEGIN/1/{ }", "ap(BEGIN) / 1 end/ { }"),
        arguments("slash after a uprobe function is part of its name, as in bpftrace",
            "uprobe:/bin/bash:readline/pid == 1/ {}", "ap(uprobe:/bin/bash:readline/pid) == 1 / { }"),
        arguments("relative library path", "uprobe:lib/libc.so.6:malloc {}", "ap(uprobe:lib/libc.so.6:malloc) { }"),
        arguments("Go symbol with slashes", "uprobe:./bin:github.com/x/y.F {}", "ap(uprobe:./bin:github.com/x/y.F) { }"),
        arguments("iterator pin path", "iter:task_file:/sys/fs/bpf/files {}", "ap(iter:task_file:/sys/fs/bpf/files) { }"),
        arguments("quoted parts", "uprobe:\"/path with space\":\"ns::f(int)\" {}", "ap(uprobe:\"/path with space\":\"ns::f(int)\") { }"),
        arguments("offsets and addresses", "kprobe:vfs_read+10,uprobe:./a.out:0x1234 {}", "ap(kprobe:vfs_read+10) , ap(uprobe:./a.out:0x1234) { }"),
        arguments("watchpoint", "watchpoint:0x10000000:8:rw {}", "ap(watchpoint:0x10000000:8:rw) { }"),
        arguments("wildcards", "t:syscalls:sys_enter_* {}", "ap(t:syscalls:sys_enter_*) { }"),
        arguments("list with blanks and newlines", "kprobe:a,kprobe:b , kprobe:c,\n  kprobe:d\n{}",
            "ap(kprobe:a) , ap(kprobe:b) , ap(kprobe:c) , ap(kprobe:d) { }"),
        arguments("trailing comma", "kprobe:a,{ }", "ap(kprobe:a) , { }"),
        arguments("positional parameter in a probe", "uprobe:$1:main {}", "ap(uprobe:$1:main) { }"),
        arguments("probe after probe", "BEGIN { @x = 1 } END { }", "ap(BEGIN) { @x = 1 } ap(END) { }"),
        arguments("division in a predicate", "BEGIN / $x / 2 > 1 / {}", "ap(BEGIN) / $x / 2 > 1 end/ { }"),
        arguments("comment between predicate and block", "BEGIN /pid/ // why\n/* more */ {}", "ap(BEGIN) / pid end/ { }"),
        arguments("predicate at end of file", "BEGIN /pid/", "ap(BEGIN) / pid end/"),
        arguments("ternary in a body is not an attach point", "BEGIN { $x = 1?2:three; }", "ap(BEGIN) { $x = 1 ? 2 : three ; }"),
        arguments("struct definition, then a probe", "struct foo { int a; } BEGIN {}", "struct foo { int a ; } ap(BEGIN) { }"),
        arguments("typedef of an untagged struct", "typedef struct { int a; } foo_t; BEGIN {}", "typedef struct { int a ; } foo_t ; ap(BEGIN) { }"),
        arguments("config block", "config = { a = 1; b = x } BEGIN {}", "config = { a = 1 ; b = x } ap(BEGIN) { }"),
        arguments("function with a struct return type", "fn f($a: int64): struct s * { return 0; } BEGIN {}",
            "fn f ( $a : int64 ) : struct s * { return 0 ; } ap(BEGIN) { }"),
        arguments("macro", "macro m(a, $b, @c) { a } BEGIN {}", "macro m ( a , $b , @c ) { a } ap(BEGIN) { }"),
        arguments("preprocessor lines", "#include <linux/sched.h>\n#define X \\\n  1\nBEGIN {}",
            "#(#include <linux/sched.h>) #(#define X \\\n  1) ap(BEGIN) { }"),
        arguments("shebang", "#!/usr/bin/env bpftrace\nBEGIN {}", "ap(BEGIN) { }"),
        arguments("nested braces", "BEGIN { if (1) { @x = 1 } } END {}", "ap(BEGIN) { if ( 1 ) { @x = 1 } } ap(END) { }"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attachPoints")
  void lexesProbes(String name, String text, String expected) {
    Tokens tokens = lex(text);
    assertEquals(List.of(), tokens.diagnostics());
    assertEquals(expected, show(tokens));
  }

  static Stream<Arguments> expressions() {
    return Stream.of(
        arguments("operators", "a+=b-=c*=d/=e%=f&=g|=h^=i<<=j>>=k", "a += b -= c *= d /= e %= f &= g |= h ^= i <<= j >>= k"),
        arguments("comparisons", "a==b!=c<d<=e>f>=g&&h||i", "a == b != c < d <= e > f >= g && h || i"),
        arguments("arithmetic", "a+b-c*d/e%f&g|h^i<<j>>k!l~m", "a + b - c * d / e % f & g | h ^ i << j >> k ! l ~ m"),
        arguments("increments and members", "$a++ --@b x->y.z ?:", "$a ++ -- @b x -> y . z ? :"),
        arguments("range", "0..10 $a..$b", "0 .. 10 $a .. $b"),
        arguments("tuple index", "$t.0.1", "$t . 0 . 1"),
        arguments("variables and maps", "$x $1 $42 $# @ @m @_x", "$x $1 $42 $# @ @m @_x"),
        arguments("numbers", "42 0x2a 0X2A 017 0o17 0b101 1_000 10u 5UL 1ll 1e6 100ms 2s", "42 0x2a 0X2A 017 0o17 0b101 1_000 10u 5UL 1ll 1e6 100ms 2s"),
        arguments("strings", "\"a\\n\\t\\\"\\\\\\x41\\101\\0\" \"\\033[31m\"", "\"a\\n\\t\"\\AA\u0000\" \"\\e[31m\""),
        arguments("characters", "'a' '\\n' '\\x41' '\\''", "'a' '\\n' 'A' '''"),
        arguments("comments", "a // one\n/* two\nthree */ b", "a b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void lexesTokens(String name, String text, String expected) {
    Tokens tokens = Lexer.lexFragment(new Source("stdin", text), 0, text.length());
    assertEquals(List.of(), tokens.diagnostics());
    assertEquals(expected, show(tokens));
  }

  @Test
  void tokenSpansCoverTheirText() {
    Tokens tokens = lex("kprobe:f /pid/ { @x[\"a\\n\"] = 'b'; }");
    assertEquals(List.of("kprobe:f", "/", "pid", "/", "{", "@x", "[", "\"a\\n\"", "]", "=", "'b'", ";", "}", ""),
        tokens.tokens().stream().map(t -> t.span().text()).toList());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("invalid character", "BEGIN { $x = 1 ` 2; }", "1:16-17 invalid character '`'"),
        arguments("control character", "BEGIN { \u0001 }", "1:9-10 invalid character '\\x01'"),
        arguments("lone dollar", "BEGIN { $ }", "1:9-10 invalid character '$'"),
        arguments("unterminated string", "BEGIN { printf(\"abc); }", "1:16-24 unterminated string"),
        arguments("string ends at the line end", "BEGIN { \"ab\n\" }", "1:9-12 unterminated string|2:1-4 unterminated string"),
        arguments("unterminated comment", "BEGIN { /* abc", "1:9-15 end of file during comment"),
        arguments("invalid escape", "BEGIN { \"a\\q\" }", "1:11-13 invalid escape character '\\q'"),
        arguments("hex escape without digits", "BEGIN { \"\\x\" }", "1:10-12 invalid escape character '\\x'"),
        arguments("octal escape out of range", "BEGIN { \"\\777\" }", "1:10-14 octal escape sequence out of range '\\777'"),
        arguments("empty character", "BEGIN { '' }", "1:9-11 empty character literal"),
        arguments("long character", "BEGIN { 'ab' }", "1:9-13 character literal holds more than one character"),
        arguments("unterminated character", "BEGIN { 'a }", "1:9-13 unterminated character literal"),
        arguments("bad hex", "BEGIN { 0x }", "1:9-11 invalid integer literal '0x'"),
        arguments("bad suffix", "BEGIN { 12abc }", "1:9-14 invalid suffix 'abc' on integer literal '12abc'"),
        arguments("bad octal", "BEGIN { 08 }", "1:9-11 invalid digit '8' in octal literal '08'"),
        arguments("too large", "BEGIN { 99999999999999999999 }", "1:9-29 integer literal '99999999999999999999' does not fit in 64 bits"),
        arguments("unterminated quote in a probe", "uprobe:\"/bin/x {}\n", "1:8-18 unterminated string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsErrors(String name, String text, String expected) {
    Tokens tokens = lex(text);
    assertEquals(expected, tokens.diagnostics().stream()
        .map(d -> d.span().toString().substring("stdin:".length()) + " " + d.message())
        .collect(Collectors.joining("|")));
    assertTrue(tokens.diagnostics().stream().allMatch(d -> d.severity() == Diagnostic.Severity.ERROR));
    assertEquals(TokenKind.EOF, tokens.tokens().getLast().kind());
  }

  static Stream<Arguments> integers() {
    return Stream.of(
        arguments("0", 0L, false), arguments("42", 42L, false), arguments("0x2a", 42L, false), arguments("0XfF", 255L, false),
        arguments("017", 15L, false), arguments("0o17", 15L, false), arguments("0b101", 5L, false), arguments("1_000_000", 1_000_000L, false),
        arguments("10u", 10L, true), arguments("10U", 10L, true), arguments("5ul", 5L, true), arguments("5lu", 5L, true),
        arguments("5l", 5L, false), arguments("5LL", 5L, false), arguments("5ull", 5L, true), arguments("1e6", 1_000_000L, false),
        arguments("2E3", 2000L, false), arguments("0e999999", 0L, false), arguments("100ns", 100L, false), arguments("3us", 3000L, false),
        arguments("100ms", 100_000_000L, false), arguments("2s", 2_000_000_000L, false), arguments("1m", 60_000_000_000L, false),
        arguments("1h", 3_600_000_000_000L, false), arguments("1d", 86_400_000_000_000L, false),
        arguments("9223372036854775807", Long.MAX_VALUE, false), arguments("9223372036854775808", Long.MIN_VALUE, true),
        arguments("18446744073709551615", -1L, true), arguments("0xffffffffffffffff", -1L, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("integers")
  void readsIntegers(String text, long value, boolean unsigned) {
    assertEquals(new IntLiteral(value, unsigned), IntLiteral.parse(text));
  }

  @ParameterizedTest
  @MethodSource
  void rejectsIntegers(String text, String message) {
    IntLiteral.InvalidException e = assertThrows(IntLiteral.InvalidException.class, () -> IntLiteral.parse(text));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> rejectsIntegers() {
    return Stream.of(
        arguments("18446744073709551616", "integer literal '18446744073709551616' does not fit in 64 bits"),
        arguments("1e20", "integer literal '1e20' does not fit in 64 bits"),
        arguments("99999999999d", "integer literal '99999999999d' does not fit in 64 bits"),
        arguments("1_", "invalid integer literal '1_'"),
        arguments("0b102", "invalid digit '2' in binary literal '0b102'"),
        arguments("0x1ms", "invalid suffix 'ms' on integer literal '0x1ms'"),
        arguments("1uu", "invalid suffix 'uu' on integer literal '1uu'"),
        arguments("0x", "invalid integer literal '0x'"));
  }
}
