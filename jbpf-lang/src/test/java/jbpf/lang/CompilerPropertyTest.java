package jbpf.lang;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.typed.TypedProgram;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The whole compiler, fed mutated and random scripts, either compiles them or reports diagnostics: it never throws
 * anything else (a jbpf bug would show as IllegalStateException) and always finishes.
 */
class CompilerPropertyTest {
  private static final List<String> CORPUS = corpus();

  private static List<String> corpus() {
    List<String> out = new ArrayList<>();
    for (Path dir : List.of(Path.of("../selftest"), Path.of("src/test/resources/codegen"))) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.toString().endsWith(".bt")).sorted().toList()) out.add(Files.readString(p, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static final List<String> PIECES = List.of(
      "$x", "$y", "@m", "@m[1]", "@m[\"a\", 2]", "1", "-1", "0xffffffffffffffff", "\"s\"", "comm", "pid", "curtask", "curtask->parent",
      "curtask->comm", "curtask->in_execve", "(uint8)", "(int32 *)", "(struct task_struct *)", "*", "&", "+", "-", "/", "%", "<<",
      ">>", "==", "!=", "<", "&&", "||", "?", ":", "!", "~", "++", "--", "=", "+=", "(", ")", "{", "}", "[", "]", ";", ",", ".0", ".1",
      "->pid", ".comm", "if", "else", "while", "for ($i : 0..3)", "for ($kv : @m)", "break", "continue", "return", "let", "exit()",
      "printf(\"%d\\n\", 1)", "sizeof(int64)", "offsetof(struct task_struct, pid)", "(1, \"two\")", "count()", "sum(1)",
      "unroll(2)", "true", "PIDTYPE_TGID", "$1", "$#");

  /** A corpus script with a few characters or pieces deleted, replaced or inserted. */
  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<Integer> which = Arbitraries.integers().between(0, CORPUS.size() - 1);
    Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, PIECES.size() - 1)).as((p, kind, piece) -> new int[] {p, kind, piece});
    return Combinators.combine(which, edit.list().ofMinSize(1).ofMaxSize(5)).as((w, edits) -> {
      StringBuilder s = new StringBuilder(CORPUS.get(w));
      for (int[] e : edits) {
        if (s.isEmpty()) break;
        int p = e[0] % s.length();
        switch (e[1]) {
          case 0 -> s.deleteCharAt(p);
          case 1 -> s.delete(p, Math.min(s.length(), p + 1 + e[2] % 12));
          case 2 -> s.insert(p, PIECES.get(e[2]));
          default -> s.insert(p, " " + PIECES.get(e[2]) + " ");
        }
      }
      return s.toString();
    });
  }

  /** A BEGIN block of random statements assembled from pieces, mostly invalid. */
  @Provide
  Arbitrary<String> random() {
    return Arbitraries.of(PIECES).list().ofMaxSize(40).map(l -> "BEGIN { @m[1] = 1; $x = 1; $y = \"s\"; " + String.join(" ", l) + " }");
  }

  @Property(tries = 400, seed = "20261101")
  void mutatedScripts(@ForAll("mutated") String text) { check(text); }

  @Property(tries = 400, seed = "20261102")
  void randomStatements(@ForAll("random") String text) { check(text); }

  @Property(tries = 1, seed = "20261103")
  void theCorpusCompiles() {
    for (String s : CORPUS) {
      try {
        compile(s);
      } catch (CompileException e) {
        fail(e.render() + s);
      }
    }
  }

  private static void compile(String text) throws CompileException {
    Compiler.compile(new Source("fuzz.bt", text), List.of("1"), new FakeKernel(), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
  }

  private static void check(String text) {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try {
        compile(text);
      } catch (CompileException e) {
        for (Diagnostic d : e.diagnostics()) assertFalse(d.render().isEmpty());
      }
    }, () -> "compiling did not finish:\n" + text);
  }
}
