package jbpf.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The command of {@code -c CMD}: started at once, so that its pid is known to the compiler ({@code cpid}) and to
 * the probes, but stopped before its program runs, so that no event is missed; {@link #resume()} lets it run once
 * everything is attached. It runs as {@code /bin/sh -c 'kill -STOP $$; exec CMD'}: the shell stops itself, and
 * when continued replaces itself by the command, keeping the pid.
 */
public final class ChildCommand implements AutoCloseable {
  private final Process process;
  private final String program;
  private boolean resumed;

  private ChildCommand(Process process, String program) {
    this.process = process;
    this.program = program;
  }

  /**
   * Starts {@code command} stopped.
   *
   * @throws IOException if its program cannot be found or the shell cannot be started
   */
  public static ChildCommand start(String command) throws IOException {
    String program = program(command);
    Process p = new ProcessBuilder("/bin/sh", "-c", "kill -STOP $$; exec " + command).inheritIO().start();
    ChildCommand c = new ChildCommand(p, program);
    try {
      c.awaitStopped();
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    return c;
  }

  /** {@return the program {@code command} runs: its first word, looked up on {@code PATH} unless it has a slash} */
  static String program(String command) throws IOException {
    String first = command.strip().split("\\s+", 2)[0];
    if (first.isEmpty()) throw new IOException("-c needs a command");
    if (first.contains("/")) {
      if (!Files.isRegularFile(Path.of(first))) throw new IOException("command " + first + ": no such file");
      return first;
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, first);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
    }
    throw new IOException("command " + first + ": not found on PATH");
  }

  /** Waits until the shell has stopped itself: state {@code T} in {@code /proc/PID/stat}. */
  private void awaitStopped() throws IOException {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      String s;
      try {
        s = Files.readString(stat, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IOException("the command exited before it could be traced");
      }
      // 4711 (sh) T 4700 ...: the state follows the parenthesized name, which may itself hold parentheses
      int close = s.lastIndexOf(')');
      if (close > 0 && close + 2 < s.length()) {
        char state = s.charAt(close + 2);
        if (state == 'T' || state == 't') return;
        if (state == 'Z' || state == 'X') throw new IOException("the command exited before it could be traced");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting the command");
      }
    }
    throw new IOException("the command did not start within 10 s");
  }

  /** {@return the command's pid, which its program keeps} */
  public int pid() { return (int) process.pid(); }

  /** {@return the program the command runs, for probes that name no file} */
  public String program() { return program; }

  /** Lets the command run its program. */
  public void resume() {
    resumed = true;
    Processes.signal(pid(), Processes.SIGCONT);
  }

  /** Runs {@code action} from a daemon thread once the command has exited. */
  public void onExit(Runnable action) {
    Thread.ofPlatform().daemon().name("jbpf-command").start(() -> {
      while (true) {
        try {
          process.waitFor();
          break;
        } catch (InterruptedException e) {
          // keep waiting: the command still runs
        }
      }
      action.run();
    });
  }

  /** Kills the command if it never ran, and ends it with {@code SIGTERM} if it still runs: it lives only while traced. */
  @Override public void close() {
    if (!process.isAlive()) return;
    if (!resumed) process.destroyForcibly();
    else process.destroy();
  }
}
