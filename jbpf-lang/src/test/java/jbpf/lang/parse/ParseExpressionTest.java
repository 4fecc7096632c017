package jbpf.lang.parse;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import jbpf.lang.ast.AstPrinter;
import jbpf.source.CompileException;
import jbpf.source.Source;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Parser#parseExpression}: a whole source read as one expression, as event filters use it. */
class ParseExpressionTest {
  static Stream<Arguments> expressions() {
    return Stream.of(
        arguments("pid != 0 && comm == \"myapp\"", "(&& (!= pid 0) (== comm \"myapp\"))"),
        arguments("a || b && !c", "(|| a (&& b (! c)))"),
        arguments("(x + 1) * 2 >= 0x10", "(>= (* (+ x 1) 2) 16)"),
        arguments("prio == -5", "(== prio -5)"),
        arguments("latency_ns / 1000 > 5", "(> (/ latency_ns 1000) 5)"),
        arguments("  pid /* comment */ == 1 // to the end\n", "(== pid 1)"),
        arguments("$x == 1 ? args.a : args->b", "(? (== $x 1) (. args a) (-> args b))"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void parses(String text, String printed) throws CompileException {
    assertEquals(printed, AstPrinter.print(Parser.parseExpression(new Source("filter", text))));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("pid == ", """
            filter:1:5-7: ERROR: syntax error, unexpected end of file
            pid ==\s
                ~~
            """),
        arguments("pid == 1)", """
            filter:1:9-10: ERROR: syntax error, unexpected )
            pid == 1)
                    ~
            """),
        arguments("a == 1; b == 2", """
            filter:1:7-8: ERROR: syntax error, unexpected ;
            a == 1; b == 2
                  ~
            """),
        arguments("comm == \"abc", """
            filter:1:9-13: ERROR: unterminated string
            comm == "abc
                    ~~~~
            """),
        arguments("x # 1", """
            filter:1:3-4: ERROR: invalid character '#'
            x # 1
              ~
            filter:1:5-6: ERROR: syntax error, unexpected integer
            x # 1
                ~
            """),
        arguments("pid == 0x", """
            filter:1:8-10: ERROR: invalid integer literal '0x'
            pid == 0x
                   ~~
            HINT: hex literals need digits after 0x, e.g. 0x1f
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsEveryError(String text, String rendered) {
    CompileException e = assertThrows(CompileException.class, () -> Parser.parseExpression(new Source("filter", text)));
    assertEquals(rendered, e.render());
  }

  @Provide
  Arbitrary<String> soup() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new String(b, StandardCharsets.ISO_8859_1)),
        Arbitraries.of("pid", "comm", "==", "!=", "&&", "||", "!", "(", ")", "1", "0x", "\"s", "\"s\"", "-", "/", "*", "?", ":",
            ";", "{", "}", "$", "@m[", "]", "\n", "/*").list().ofMaxSize(40).map(l -> String.join(" ", l)));
  }

  @Property(tries = 2000, seed = "20240707")
  void returnsAnExpressionOrDiagnostics(@ForAll("soup") String text) {
    try {
      assertNotNull(Parser.parseExpression(new Source("filter", text)));
    } catch (CompileException e) {
      assertFalse(e.diagnostics().isEmpty());
    }
  }
}
