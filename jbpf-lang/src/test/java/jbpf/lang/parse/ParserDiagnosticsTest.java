package jbpf.lang.parse;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Collectors;
import java.util.stream.Stream;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Diagnostics as the user sees them. Where bpftrace 0.17 has a message for a mistake, the first line is its message. */
class ParserDiagnosticsTest {
  static String render(String text) {
    return Parser.parse(new Source("stdin", text)).diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining());
  }

  static Stream<Arguments> diagnostics() {
    return Stream.of(
        arguments("missing operand", "BEGIN { $x = ; }", """
            stdin:1:14-15: ERROR: syntax error, unexpected ;
            BEGIN { $x = ; }
                         ~
            """),
        arguments("missing semicolon", "BEGIN { $x = 1 $y = 2; }", """
            stdin:1:16-18: ERROR: syntax error, unexpected variable, expecting }
            BEGIN { $x = 1 $y = 2; }
                           ~~
            HINT: end the previous statement with ;
            """),
        arguments("unclosed call", "BEGIN { printf(\"a\" }", """
            stdin:1:20-21: ERROR: syntax error, unexpected }, expecting ) or ","
            BEGIN { printf("a" }
                               ~
            """),
        arguments("unclosed map key", "BEGIN { @x[1 = 2; }", """
            stdin:1:14-15: ERROR: syntax error, unexpected =, expecting ] or ","
            BEGIN { @x[1 = 2; }
                         ~
            """),
        arguments("else without block", "BEGIN { if (1) { } else }", """
            stdin:1:25-26: ERROR: syntax error, unexpected }, expecting { or if
            BEGIN { if (1) { } else }
                                    ~
            """),
        arguments("if without parentheses", "BEGIN { if 1 {} }", """
            stdin:1:12-13: ERROR: syntax error, unexpected integer, expecting (
            BEGIN { if 1 {} }
                       ~
            HINT: put the condition in parentheses: if (...) { ... }
            """),
        arguments("unterminated predicate", "kprobe:f /pid == 1 { }", """
            stdin:1:20-21: ERROR: syntax error, unexpected {, expecting end predicate
            kprobe:f /pid == 1 { }
                               ~
            HINT: close the predicate with / before the {
            """),
        arguments("assignment in a predicate", "kprobe:f /pid = 1/ { }", """
            stdin:1:15-16: ERROR: syntax error, unexpected =, expecting end predicate
            kprobe:f /pid = 1/ { }
                          ~
            HINT: use == to compare
            """),
        arguments("probe without block", "BEGIN", """
            stdin:1:1-6: ERROR: unexpected end of file, expected {
            BEGIN
            ~~~~~
            """),
        arguments("unclosed block", "BEGIN {\n  @x = 1;", """
            stdin:2:9-10: ERROR: syntax error, unexpected end of file, expecting }
              @x = 1;
                    ~
            HINT: the { at stdin:1:7 is never closed
            """),
        arguments("block without attach point", "{ }", """
            stdin:1:1-2: ERROR: No attach points for probe
            { }
            ~
            HINT: name what to trace before the block, e.g. BEGIN { ... } or kprobe:vfs_read { ... }
            """),
        arguments("tuple assignment", "BEGIN { $x = (1,2); $x.0 = 1; }", """
            stdin:1:21-29: ERROR: Tuples are immutable once created. Consider creating a new tuple and assigning it instead.
            BEGIN { $x = (1,2); $x.0 = 1; }
                                ~~~~~~~~
            """),
        arguments("increment of a builtin", "BEGIN { pid++; }", """
            stdin:1:9-12: ERROR: The ++ operator must be applied to a map or variable
            BEGIN { pid++; }
                    ~~~
            """),
        arguments("assignment to a field", "BEGIN { $s.a = 1; }", """
            stdin:1:9-13: ERROR: cannot assign to this expression; only maps (@m, @m[k]) and scratch variables ($x) can be assigned
            BEGIN { $s.a = 1; }
                    ~~~~
            """),
        arguments("positional zero", "BEGIN { $x = $0; }", """
            stdin:1:14-16: ERROR: param $0 is out of integer range [1, 2147483647]
            BEGIN { $x = $0; }
                         ~~
            HINT: positional parameters start at $1; $# is their count
            """),
        arguments("map with empty key", "BEGIN { @f[] = 1; }", """
            stdin:1:12-13: ERROR: syntax error, unexpected ]
            BEGIN { @f[] = 1; }
                       ~
            HINT: a map without keys is written @f
            """),
        arguments("keyword as an operand", "BEGIN { $x = while; }", """
            stdin:1:14-19: ERROR: syntax error, unexpected while
            BEGIN { $x = while; }
                         ~~~~~
            """),
        arguments("for over a keyed map", "BEGIN { for ($kv : @m[1]) { } }", """
            stdin:1:20-25: ERROR: a for loop iterates over a map or a range
            BEGIN { for ($kv : @m[1]) { } }
                               ~~~~~
            HINT: write for ($kv : @map) { ... } or for ($i : 0..n) { ... }
            """),
        arguments("function without return type", "fn f($a: int64) { return $a; }", """
            stdin:1:17-18: ERROR: syntax error, unexpected {, expecting :
            fn f($a: int64) { return $a; }
                            ~
            HINT: declare the return type, e.g. fn f(...): void { ... }
            """),
        arguments("multi-dimensional array", "struct s { int a[2][3]; }", """
            stdin:1:20-21: ERROR: multi-dimensional arrays are not supported
            struct s { int a[2][3]; }
                               ~
            HINT: declare a one-dimensional array of the same size
            """),
        arguments("non-constant array length", "struct s { char c[N]; }", """
            stdin:1:19-20: ERROR: array length must be a constant integer from 0 to 2147483647
            struct s { char c[N]; }
                              ~
            """),
        arguments("map declaration", "let @a = hash(100);\nBEGIN { }", """
            stdin:1:1-4: ERROR: map declarations (let @m = hash(n);) are not supported
            let @a = hash(100);
            ~~~
            HINT: remove the declaration; maps come into existence when they are first assigned
            """),
        arguments("block expression", "BEGIN { $a = { 1 }; }", """
            stdin:1:14-15: ERROR: block expressions are not supported
            BEGIN { $a = { 1 }; }
                         ~
            HINT: compute the value in statements before, e.g. $v = ...;
            """),
        arguments("function-like macro", "#define F(x) x\nBEGIN { }", """
            stdin:1:9-11: ERROR: function-like macros are not supported
            #define F(x) x
                    ~~
            HINT: write a bpftrace macro instead: macro F(...) { ... }
            """),
        arguments("unterminated conditional", "#ifdef X\nBEGIN { }", """
            stdin:1:1-9: ERROR: unterminated #ifdef
            #ifdef X
            ~~~~~~~~
            HINT: close it with #endif
            """),
        arguments("#error", "#ifndef BPFTRACE_HAVE_BTF\n#error needs BTF\n#endif\n#if 1\n#error wanted\n#endif\nBEGIN {}", """
            stdin:5:1-14: ERROR: wanted
            #error wanted
            ~~~~~~~~~~~~~
            """),
        arguments("unterminated comment stops at its cause", "BEGIN { /* abc", """
            stdin:1:9-15: ERROR: end of file during comment
            BEGIN { /* abc
                    ~~~~~~
            HINT: close the comment with */
            """),
        arguments("unterminated string stops at its cause", "BEGIN { printf(\"abc); }", """
            stdin:1:16-24: ERROR: unterminated string
            BEGIN { printf("abc); }
                           ~~~~~~~~
            """),
        arguments("bad octal literal", "BEGIN { $x = 08; }", """
            stdin:1:14-16: ERROR: invalid digit '8' in octal literal '08'
            BEGIN { $x = 08; }
                         ~~
            HINT: a leading 0 makes an octal literal; write the number without it
            """),
        arguments("long character literal", "BEGIN { $x = 'ab'; }", """
            stdin:1:14-18: ERROR: character literal holds more than one character
            BEGIN { $x = 'ab'; }
                         ~~~~
            HINT: use double quotes for a string: "ab"
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("diagnostics")
  void rendersDiagnostics(String name, String text, String expected) {
    assertEquals(expected, render(text));
  }

  @Test
  void reportsEveryErrorInTheFile() {
    String text = """
        BEGIN {
          $x = 1 +;
          @y = count();
          printf("%d\\n", $x
        }

        kprobe:vfs_read /pid = 1/ {
          if $x > 1 { @a = 1; }
          @b = (1, 2;
        }

        kprobe:f x {
          @c = 1
        }

        struct s { int a; char b[; long c; };

        tracepoint:syscalls:sys_enter_openat {
          @d[comm] = count()
          @e = 1;
          else { }
          $t = (1,2); $t.1 = 3;
          x++;
          $z = 0x1g;
        }
        """;
    assertEquals("""
        trace.bt:2:11-12: ERROR: syntax error, unexpected ;
        trace.bt:5:1-2: ERROR: syntax error, unexpected }, expecting ) or ","
        trace.bt:7:22-23: ERROR: syntax error, unexpected =, expecting end predicate
        trace.bt:8:6-8: ERROR: syntax error, unexpected variable, expecting (
        trace.bt:9:13-14: ERROR: syntax error, unexpected ;, expecting ) or ","
        trace.bt:12:10-11: ERROR: syntax error, unexpected identifier, expecting {
        trace.bt:16:26-27: ERROR: syntax error, unexpected ;
        trace.bt:20:3-5: ERROR: syntax error, unexpected map, expecting }
        trace.bt:21:3-7: ERROR: syntax error, unexpected else
        trace.bt:22:15-23: ERROR: Tuples are immutable once created. Consider creating a new tuple and assigning it instead.
        trace.bt:23:3-4: ERROR: The ++ operator must be applied to a map or variable
        trace.bt:24:8-12: ERROR: invalid suffix 'g' on integer literal '0x1g'
        """, Parser.parse(new Source("trace.bt", text)).diagnostics().stream()
        .map(d -> d.span() + ": " + d.severity() + ": " + d.message() + "\n").collect(Collectors.joining()));
    ParseResult result = Parser.parse(new Source("trace.bt", text));
    assertEquals("""
        (struct s (int a) (long c))
        BEGIN { (= @y count()) }
        kprobe:vfs_read {}
        kprobe:f { (= @c 1) }
        tracepoint:syscalls:sys_enter_openat { (= @d[comm] count()); (= $t (tuple 1 2)); 3; (x ++); (= $z 0) }
        """, jbpf.lang.ast.AstPrinter.print(result.program()));
  }

  @Test
  void recoversAtTheNextProbe() {
    String text = "kprobe:a { @x = ( }\nkprobe:b { @y = 1; }\nkprobe:c /(/ { @z = 2 }\nkprobe:d { @w = 3 }";
    ParseResult result = Parser.parse(new Source("stdin", text));
    assertEquals(2, result.diagnostics().size(), render(text));
    assertEquals("kprobe:a {}\nkprobe:b { (= @y 1) }\nkprobe:c { (= @z 2) }\nkprobe:d { (= @w 3) }\n",
        jbpf.lang.ast.AstPrinter.print(result.program()));
  }

  @Test
  void nestingIsBounded() {
    String deep = "BEGIN { $x = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "; @y = 1; }";
    ParseResult result = Parser.parse(new Source("stdin", deep));
    assertEquals(1, result.diagnostics().size());
    assertEquals("expression nested too deeply (more than 256 levels)", result.diagnostics().getFirst().message());
    assertEquals("BEGIN { (= @y 1) }\n", jbpf.lang.ast.AstPrinter.print(result.program()));

    String blocks = "BEGIN " + "{ ".repeat(10_000) + "}".repeat(10_000);
    assertEquals("blocks nested too deeply (more than 256 levels)",
        Parser.parse(new Source("stdin", blocks)).diagnostics().getFirst().message());
  }
}
