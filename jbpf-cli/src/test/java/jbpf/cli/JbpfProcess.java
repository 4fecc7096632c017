package jbpf.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The jbpf command run as a separate process, as a user runs it: the same java, the same modules, its own
 * signals. Collects standard output and error; can wait for a line and send signals.
 */
final class JbpfProcess implements AutoCloseable {
  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final CompletableFuture<String> stderr;

  private JbpfProcess(Process process) {
    this.process = process;
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (stdout) {
            stdout.add(line);
            stdout.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process went away; what was read stays
      }
    });
    reader.setName("jbpf stdout");
    this.stderr = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  /** {@return the command line that runs jbpf with this JVM and the test's module path} */
  static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null && !modulePath.isEmpty()) {
      cmd.addAll(List.of("--enable-native-access=jbpf.sys", "-p", modulePath, "-m", "jbpf.cli/jbpf.cli.Main"));
    } else {
      cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "jbpf.cli.Main"));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts jbpf with {@code args}, telling it to announce when its probes are attached. */
  static JbpfProcess start(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(args));
    pb.environment().put("__BPFTRACE_NOTIFY_PROBES_ATTACHED", "1");
    pb.environment().putAll(env);
    return new JbpfProcess(pb.start());
  }

  static JbpfProcess start(String... args) throws IOException { return start(Map.of(), args); }

  /** Waits until a line equal to {@code line} has been printed. @throws AssertionError on timeout or exit */
  void awaitLine(String line, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stdout) {
      while (!stdout.contains(line)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !stdout.contains(line))) {
          if (!process.isAlive()) process.waitFor();
          throw new AssertionError("jbpf did not print \"" + line + "\" (alive: " + process.isAlive() + ")\nstdout:\n"
              + String.join("\n", stdout) + "\nstderr:\n" + (process.isAlive() ? "(running)" : stderr.join()));
        }
        stdout.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
    }
  }

  /** Waits until probes are attached. */
  void awaitAttached() throws InterruptedException { awaitLine("__BPFTRACE_NOTIFY_PROBES_ATTACHED", Duration.ofSeconds(60)); }

  /** Sends {@code signal} (e.g. "INT", "KILL") to the process. */
  void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** {@return the exit code, waiting up to {@code timeout}} @throws AssertionError if it does not exit */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("jbpf did not exit within " + timeout + "\nstdout:\n" + stdout());
    }
    return process.exitValue();
  }

  long pid() { return process.pid(); }

  String stdout() {
    synchronized (stdout) {
      return String.join("\n", stdout) + (stdout.isEmpty() ? "" : "\n");
    }
  }

  /** {@return standard error, once the process has exited} */
  String stderr() { return stderr.join(); }

  @Override public void close() {
    if (process.isAlive()) process.destroyForcibly();
  }
}
