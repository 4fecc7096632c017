package jbpf.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jbpf.lang.Compiler;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;
import jbpf.source.CompileException;
import jbpf.source.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every script in {@code tools/} compiles with the real compiler, against a kernel faked from the format files of
 * the tracepoints the tools use (copied from Linux 6.18 by {@code dev/tool-formats}), and documents itself.
 */
class ToolsCompileTest {
  static final Path TOOLS = Path.of("..", "tools").toAbsolutePath().normalize();

  /** A kernel with the tracepoints of the tools, read from the test resources. */
  static final class ToolsKernel implements KernelInfo {
    private final List<String> tracepoints;

    ToolsKernel() {
      try (InputStream in = ToolsCompileTest.class.getResourceAsStream("/tools-kernel/tracepoints.txt")) {
        tracepoints = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override public List<String> tracepoints() { return tracepoints; }

    @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) {
      if (!tracepoints.contains(category + ":" + name)) return Optional.empty();
      try (InputStream in = ToolsCompileTest.class.getResourceAsStream("/tools-kernel/" + category + "/" + name + "/format")) {
        return Optional.of(TracepointFormat.parse(category, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override public int possibleCpus() { return 4; }
  }

  static Stream<Path> tools() throws IOException {
    assertTrue(Files.isDirectory(TOOLS), "no tools directory at " + TOOLS);
    try (Stream<Path> s = Files.list(TOOLS)) {
      List<Path> all = s.filter(p -> p.toString().endsWith(".bt")).sorted().toList();
      assertFalse(all.isEmpty(), "no tools in " + TOOLS);
      return all.stream();
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("tools")
  void compiles(Path tool) throws Exception {
    Source source = new Source("tools/" + tool.getFileName(), Files.readString(tool, StandardCharsets.UTF_8));
    KernelInfo kernel = new ToolsKernel();
    CompiledScript script;
    try {
      script = Compiler.compile(source, List.of(), kernel, TypedProgram.Settings.DEFAULT, new CodeGen.Options(true, kernel.possibleCpus()));
    } catch (CompileException e) {
      throw new AssertionError(e.render(), e);
    }
    assertFalse(script.collection().programs().isEmpty());
  }

  private static final Pattern HEADER = Pattern.compile(
      "\\A/\\*\\n \\* (?<name>[a-z0-9]+)\\.bt - (?<what>.+?)\\n.*? \\* Example:\\n \\*   # \\./jbpf .*?tools/\\k<name>\\.bt\\n"
          + " \\*   Attaching \\d+ probes?\\.\\.\\.\\n(?: \\*.*\\n)+? \\*\\n.*? \\* Run: \\./jbpf .*?tools/\\k<name>\\.bt .*?\\*/\\n",
      Pattern.DOTALL);

  /** The header says what the tool shows, gives an example run and says how to run it. */
  @ParameterizedTest(name = "{0}") @MethodSource("tools")
  void documentsItself(Path tool) throws Exception {
    String text = Files.readString(tool, StandardCharsets.UTF_8);
    Matcher m = HEADER.matcher(text);
    assertTrue(m.find(), () -> tool.getFileName() + " lacks the header: /*, 'NAME.bt - what it shows', 'Example:' with a run of "
        + "./jbpf tools/NAME.bt and its output, 'Run: ./jbpf tools/NAME.bt', */");
    assertEquals(tool.getFileName().toString(), m.group("name") + ".bt");
    assertFalse(text.contains("kprobe:") || text.contains("kretprobe:") || text.contains("kfunc:"),
        "this kernel has no kprobes or kfuncs: tools use tracepoints, raw tracepoints and perf events");
  }

  @Test
  void theReadmeListsEveryTool() throws Exception {
    String readme = Files.readString(TOOLS.resolve("README.md"), StandardCharsets.UTF_8);
    for (Path t : tools().toList()) {
      String name = t.getFileName().toString();
      assertTrue(readme.contains("| [" + name + "](" + name + ") | "), "tools/README.md has no line for " + name);
    }
  }
}
