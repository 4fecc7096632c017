package jbpf.lang.parse;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jbpf.lang.ast.AstPrinter;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole scripts: bpftrace's own tools, read in place from the installed bpftrace package, and our own scripts in
 * {@code src/test/resources/jbpf/lang/parse/scripts}, each next to the syntax tree it must give ({@code NAME.ast},
 * regenerated with {@code -Djbpf.golden.update=true}).
 */
class ScriptsTest {
  private static final List<Path> TOOL_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/share/bpftrace/tools"));
  private static final Path OWN = Path.of("src/test/resources/jbpf/lang/parse/scripts");

  @TestFactory
  Stream<DynamicTest> bpftraceToolsParseWithoutDiagnostics() throws IOException {
    List<Path> tools = new ArrayList<>();
    for (Path dir : TOOL_DIRS) {
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.getFileName().toString().endsWith(".bt")).sorted().forEach(tools::add);
      }
    }
    Assumptions.assumeFalse(tools.isEmpty(),
        "bpftrace's tools are not installed (no *.bt in " + TOOL_DIRS + "); install bpftrace, e.g. apt-get install bpftrace");
    return tools.stream().map(tool -> DynamicTest.dynamicTest(tool.getFileName().toString(), () -> {
      Source source = new Source(tool.getFileName().toString(), Files.readString(tool));
      assertEquals("", rendered(Parser.parse(source)), "with BTF");
      assertEquals("", rendered(Parser.parse(source, Set.of())), "without BTF, reading the C definitions");
      assertFalse(Parser.parse(source).program().probes().isEmpty());
    }));
  }

  @TestFactory
  Stream<DynamicTest> ownScriptsGiveTheirSyntaxTree() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(OWN)) {
      scripts = files.filter(p -> p.getFileName().toString().endsWith(".bt")).sorted().toList();
    }
    assertFalse(scripts.isEmpty(), "no scripts in " + OWN.toAbsolutePath());
    boolean update = Boolean.getBoolean("jbpf.golden.update");
    return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
      ParseResult result = Parser.parse(new Source(script.getFileName().toString(), Files.readString(script)));
      assertEquals("", rendered(result));
      String ast = AstPrinter.print(result.program());
      Path golden = script.resolveSibling(script.getFileName().toString().replace(".bt", ".ast"));
      if (update) Files.writeString(golden, ast);
      assertTrue(Files.exists(golden), "missing " + golden + "; run with -Djbpf.golden.update=true and review it");
      assertEquals(Files.readString(golden), ast);
    }));
  }

  private static String rendered(ParseResult result) {
    return result.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining());
  }
}
