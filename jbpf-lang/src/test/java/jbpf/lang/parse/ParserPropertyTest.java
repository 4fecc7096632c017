package jbpf.lang.parse;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import jbpf.lang.ast.AstPrinter;
import jbpf.lang.lex.Lexer;
import jbpf.lang.lex.TokenKind;
import jbpf.lang.lex.Tokens;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The lexer and parser, fed anything, return diagnostics: they never throw and always finish. */
class ParserPropertyTest {
  private static final String VALID = """
      #include <linux/sched.h>
      #define N 4
      struct s { int a; char b[N]; struct s *next; unsigned long c : 3; };
      config = { max_map_keys = 100 }
      fn add($a: int64, $b: int64): int64 { return $a + $b; }
      macro inc($x) { $x += 1 }
      BEGIN { printf("start\\n"); }
      kprobe:vfs_read, uprobe:/bin/bash:readline /pid == 1 && $1 > 0/ {
        @bytes[comm, pid] = sum(arg2);
        $t = (struct task_struct *)curtask; $x = (uint8)$t->pid;
        if ($x > 1) { @a++ } else if (!$x) { --@a } else { @b[1] = (1, "a").0 }
        for ($kv : @bytes) { print($kv.1) } for ($i : 0..N) { unroll(2) { $x <<= 1 } }
        while ($x < 10) { $x++; if ($x == 5) { break } continue; }
        $y = $x ? sizeof(uint64) : offsetof(struct s, a) / 2 % 3;
      }
      END { clear(@bytes); exit(); }
      """;

  private static final List<String> TOKENS = List.of(
      "BEGIN", "END", "kprobe:f", "uprobe:/bin/sh:main", "t:syscalls:sys_enter_*", "{", "}", "(", ")", "[", "]", ";", ",",
      ":", ".", "..", "->", "?", "=", "+=", "==", "!=", "<", "<=", ">>", "&&", "||", "+", "-", "*", "/", "%", "&", "|", "^",
      "!", "~", "++", "--", "$x", "$1", "$#", "@", "@m", "1", "0x10", "1e3", "'a'", "\"s\"", "\"unterminated", "'", "/*",
      "*/", "//", "\n", " ", "#include <a.h>\n", "#define X 1\n", "#if X\n", "#else\n", "#endif\n", "if", "else", "while",
      "for", "unroll", "return", "break", "continue", "let", "struct", "union", "enum", "typedef", "fn", "macro", "config",
      "sizeof", "offsetof", "true", "pid", "printf", "count", "uint64", "char", "int", "\\", "`", "\u0000", "é");

  @Provide
  Arbitrary<String> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(400).map(b -> new String(b, StandardCharsets.ISO_8859_1));
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(120).map(l -> String.join(" ", l));
  }

  @Provide
  Arbitrary<String> denseTokenSoup() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(120).map(l -> String.join("", l));
  }

  /** A valid script with a few characters deleted, replaced or inserted. */
  @Provide
  Arbitrary<String> mutatedScript() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length() - 1);
    Arbitrary<Character> ch = Arbitraries.of('{', '}', '(', ')', ';', '/', '"', '\'', ':', ',', '*', '#', '\n', 'x', '$', '@', '[', ']', '=');
    Arbitrary<int[]> edit = Combinators.combine(position, Arbitraries.integers().between(0, 2), ch.map(c -> (int) c))
        .as((p, kind, c) -> new int[] {p, kind, c});
    return edit.list().ofMinSize(1).ofMaxSize(6).map(edits -> {
      StringBuilder s = new StringBuilder(VALID);
      for (int[] e : edits) {
        int p = Math.min(e[0], s.length() - 1);
        if (p < 0) break;
        switch (e[1]) {
          case 0 -> s.deleteCharAt(p);
          case 1 -> s.setCharAt(p, (char) e[2]);
          default -> s.insert(p, (char) e[2]);
        }
      }
      return s.toString();
    });
  }

  @Property(tries = 500, seed = "20240501")
  void randomBytes(@ForAll("bytes") String text) { check(text); }

  @Property(tries = 500, seed = "20240502")
  void randomTokens(@ForAll("tokenSoup") String text) { check(text); }

  @Property(tries = 500, seed = "20240503")
  void randomAdjacentTokens(@ForAll("denseTokenSoup") String text) { check(text); }

  @Property(tries = 500, seed = "20240504")
  void mutatedScripts(@ForAll("mutatedScript") String text) { check(text); }

  @Property(tries = 1, seed = "20240505")
  void theUnmutatedScriptIsValid() {
    assertEquals(List.of(), Parser.parse(new Source("stdin", VALID)).diagnostics());
  }

  /** Parses within a deadline; every diagnostic lies in the text and renders; every token is in order. */
  private static void check(String text) {
    Source source = new Source("fuzz.bt", text);
    ParseResult result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Parser.parse(source), () -> "parsing did not finish: " + text);
    for (Diagnostic d : result.diagnostics()) {
      assertNotNull(d.span(), d.message());
      assertTrue(d.span().end() <= text.length(), d.message());
      assertFalse(d.render().isEmpty());
    }
    assertNotNull(AstPrinter.print(result.program()));
    Tokens tokens = Lexer.lex(source);
    assertEquals(TokenKind.EOF, tokens.tokens().getLast().kind());
    int end = 0;
    for (var t : tokens.tokens()) {
      assertTrue(t.span().start() >= end, "tokens overlap at " + t);
      end = t.span().end();
    }
  }
}
