package jbpf.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs the {@code jbpf} command in this process, as {@link Main#run} does for the command line, capturing what it
 * prints. Scripts under test end themselves with {@code exit()}; {@link #poke} drives a workload until the output
 * shows what the test waits for, since attaching takes a moment after the command starts.
 */
final class Jbpf implements AutoCloseable {
  /** What a finished run printed, and its exit code. */
  record Result(int code, String out, String err) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
  private final CompletableFuture<Integer> code;

  private Jbpf(String... args) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
    code = CompletableFuture.supplyAsync(() -> Main.run(args, o, e), r -> {
      Thread t = new Thread(r, "jbpf-under-test");
      t.setDaemon(true);
      t.start();
    });
  }

  /** Starts {@code jbpf args...}. */
  static Jbpf start(String... args) { return new Jbpf(args); }

  /** {@return the result of {@code jbpf args...}, which must end within 60 seconds} */
  static Result run(String... args) throws Exception {
    try (Jbpf j = start(args)) {
      return j.await(Duration.ofSeconds(60));
    }
  }

  /** {@return what was printed on standard output so far} */
  String out() { return out.toString(StandardCharsets.UTF_8); }

  /** {@return what was printed on standard error so far} */
  String err() { return err.toString(StandardCharsets.UTF_8); }

  /**
   * Runs {@code workload} every 50 ms until the output satisfies {@code done} or the command ends.
   * @throws TimeoutException after {@code timeout}
   */
  Jbpf poke(Runnable workload, Predicate<String> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(out()) && !code.isDone()) {
      if (System.nanoTime() > deadline) throw new TimeoutException("no expected output within " + timeout + "; out:\n" + out() + "\nerr:\n" + err());
      workload.run();
      Thread.sleep(50);
    }
    return this;
  }

  /** {@return the result once the command ended} @throws TimeoutException if it did not within {@code timeout} */
  Result await(Duration timeout) throws Exception {
    try {
      int c = code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(c, out(), err());
    } catch (TimeoutException e) {
      throw new TimeoutException("jbpf still running after " + timeout + "; out:\n" + out() + "\nerr:\n" + err());
    } catch (ExecutionException e) {
      throw new AssertionError("jbpf threw; err:\n" + err(), e.getCause());
    }
  }

  @Override public void close() {
    // Every script under test ends itself; a failed test leaves the thread to its interval:s timeout.
  }
}
