package jbpf.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small C or C++ program from the test resources, compiled with frame pointers into a temporary directory and run
 * until the test closes it. It prints {@code started} once running.
 */
final class TracedProgram implements AutoCloseable {
  private final Path dir;
  private final Process process;
  private final BufferedReader out;

  private TracedProgram(Path dir, Process process) {
    this.dir = dir;
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Compiles resource {@code name} ({@code .c} with gcc, {@code .cpp} with g++) and starts it; skips the test without a compiler. */
  static TracedProgram start(String name) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("jbpf-traced-");
    Path src = dir.resolve(name);
    try (InputStream s = TracedProgram.class.getResourceAsStream(name)) {
      if (s == null) throw new IllegalStateException("no test resource " + name);
      Files.copy(s, src);
    }
    Path bin = dir.resolve(name.substring(0, name.lastIndexOf('.')));
    String compiler = name.endsWith(".cpp") ? "g++" : "gcc";
    List<String> cmd = new ArrayList<>(List.of(compiler, "-O0", "-g", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer",
        "-o", bin.toString(), src.toString()));
    Process cc;
    try {
      cc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("needs " + compiler + " to build the test program " + name + ": " + e.getMessage());
      throw e;
    }
    String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (cc.waitFor() != 0) throw new IllegalStateException(compiler + " failed on " + name + ":\n" + log);
    TracedProgram w = new TracedProgram(dir, new ProcessBuilder(bin.toString()).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    String first = w.out.readLine();
    if (first == null || !first.startsWith("started")) throw new IllegalStateException(name + " did not start: " + first);
    return w;
  }

  /** {@return the process id} */
  int pid() { return (int) process.pid(); }

  /** {@return the binary's path} */
  Path binary(String name) { return dir.resolve(name); }

  /** {@return the process} */
  Process process() { return process; }

  @Override public void close() throws IOException, InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    Files.deleteIfExists(Path.of("/tmp/perf-" + process.pid() + ".map"));
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }
}
