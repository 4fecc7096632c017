package jbpf.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * The small C and C++ programs kernel tests trace, from {@code src/test/resources/jbpf/cli/programs}, compiled once per
 * test run (without PIE, so that their symbols are their addresses); and running {@code jbpf} in this process.
 */
final class TestPrograms {
  private TestPrograms() {}

  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();
  private static Path dir;

  /** {@return the executable built from {@code source}, e.g. {@code calls.c}} (skips the test if no compiler) */
  static synchronized Path build(String source) {
    Path done = BUILT.get(source);
    if (done != null) return done;
    boolean cxx = source.endsWith(".cpp");
    String compiler = cxx ? "g++" : "gcc";
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("jbpf-test-programs");
        dir.toFile().deleteOnExit();
      }
      Path src = dir.resolve(source);
      try (InputStream in = TestPrograms.class.getResourceAsStream("programs/" + source)) {
        if (in == null) throw new IllegalStateException("no test program " + source);
        Files.write(src, in.readAllBytes());
      }
      Path exe = dir.resolve(source.substring(0, source.lastIndexOf('.')));
      List<String> cmd = List.of(compiler, "-O1", "-g", "-no-pie", "-fno-omit-frame-pointer", "-o", exe.toString(), src.toString());
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (IOException e) {
        Assumptions.abort(compiler + " is not installed; install it to build the traced test programs, e.g. apt-get install " + compiler);
        throw e;
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        Assumptions.assumeFalse(output.contains("sys/sdt.h"), "sys/sdt.h is missing; install systemtap-sdt-dev (apt-get install systemtap-sdt-dev)");
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + output);
      }
      exe.toFile().deleteOnExit();
      src.toFile().deleteOnExit();
      BUILT.put(source, exe);
      return exe;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a run of {@code jbpf} printed and returned. */
  record Run(int code, String out, String err) {
    /** {@return the lines of standard output, without the "Attaching N probes..." line and blank lines} */
    List<String> lines() {
      List<String> out = new ArrayList<>();
      for (String l : this.out.split("\n")) if (!l.isBlank() && !l.startsWith("Attaching ")) out.add(l);
      return out;
    }

    @Override public String toString() { return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err; }
  }

  /** {@return what {@code jbpf args...} does, run in this process} */
  static Run jbpf(String... args) { return jbpf(line -> {}, args); }

  /**
   * {@return what {@code jbpf args...} does, run in this process}, telling {@code onLine} each line of standard output
   * as it is printed: e.g. one that BEGIN prints once every probe is attached
   */
  static Run jbpf(Consumer<String> onLine, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    OutputStream lines = new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override public void write(int b) {
        out.write(b);
        if (b != '\n') {
          line.write(b);
          return;
        }
        onLine.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
      }
    };
    int code;
    try (PrintStream o = new PrintStream(lines, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
