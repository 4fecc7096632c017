package jbpf.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The jbpf command run as a separate process, as a user runs it: the same java, the same modules, its own
 * signals. Collects standard output and error; can wait for a line and send signals.
 */
final class JbpfProcess implements AutoCloseable {
  /** What jbpf prints to standard error once every probe is attached, as bpftrace 0.17 does, when asked to. */
  static final String ATTACHED = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";

  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final Thread stderrReader;

  private JbpfProcess(Process process) {
    this.process = process;
    Thread.ofVirtual().name("jbpf stdout").start(() -> readLines(process.getInputStream(), stdout));
    this.stderrReader = Thread.ofVirtual().name("jbpf stderr").start(() -> readLines(process.getErrorStream(), stderr));
  }

  private static void readLines(java.io.InputStream in, List<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process went away; what was read stays
    }
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
    pb.environment().put(ATTACHED, "1");
    pb.environment().putAll(env);
    return new JbpfProcess(pb.start());
  }

  static JbpfProcess start(String... args) throws IOException { return start(Map.of(), args); }

  /** Waits until a line equal to {@code line} has been printed on standard output. @throws AssertionError on timeout or exit */
  void awaitLine(String line, Duration timeout) throws InterruptedException { awaitLine(stdout, line, timeout); }

  private void awaitLine(List<String> lines, String line, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (!lines.contains(line)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          if (!process.isAlive()) process.waitFor();
          if (lines.contains(line)) return;
          throw new AssertionError("jbpf did not print \"" + line + "\" (alive: " + process.isAlive() + ")\nstdout:\n"
              + stdout() + "\nstderr:\n" + (process.isAlive() ? "(running)" : stderr()));
        }
        lines.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
    }
  }

  /** Waits until probes are attached: {@link #ATTACHED} on standard error. */
  void awaitAttached() throws InterruptedException { awaitLine(stderr, ATTACHED, Duration.ofSeconds(60)); }

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

  /** {@return standard error without the {@link #ATTACHED} line, once the process has exited} */
  String stderr() {
    joinStderr();
    synchronized (stderr) {
      return stderr.stream().filter(l -> !l.equals(ATTACHED)).map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
    }
  }

  /** {@return how many times {@link #ATTACHED} was printed on standard error, once the process has exited} */
  long attachedNotices() {
    joinStderr();
    synchronized (stderr) {
      return stderr.stream().filter(ATTACHED::equals).count();
    }
  }

  private void joinStderr() {
    try {
      stderrReader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public void close() {
    if (process.isAlive()) process.destroyForcibly();
  }
}
