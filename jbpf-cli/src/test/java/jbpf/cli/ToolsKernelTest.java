package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several tools of {@code tools/} run as a user runs them, for a moment, under a workload the test makes: each
 * prints its header, then a line (or a histogram) for the workload, and ends cleanly on Ctrl-C.
 */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class ToolsKernelTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** A workload: a command run to completion. */
  private static void sh(String command) {
    try {
      Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs {@code tool}, repeats {@code workload} until the output matches {@code expected} (a multi-line regular
   * expression), then interrupts it. {@return everything it printed}
   */
  private static String runUntil(String tool, String expected, Runnable workload) throws Exception {
    try (JbpfProcess j = JbpfProcess.start(ToolsCompileTest.TOOLS.resolve(tool).toString())) {
      j.awaitAttached();
      Pattern p = Pattern.compile(expected, Pattern.MULTILINE);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!p.matcher(j.stdout()).find()) {
        if (System.nanoTime() > deadline) fail(tool + " printed no line matching " + expected + "; stdout:\n" + j.stdout());
        workload.run();
        Thread.sleep(100);
      }
      j.signal("INT");
      assertEquals(0, j.waitFor(WAIT), () -> tool + " exit code; stderr:\n" + j.stderr());
      return j.stdout();
    }
  }

  /** Runs {@code tool} while {@code workload} runs once, then interrupts it. {@return everything it printed} */
  private static String runOnce(String tool, Runnable workload) throws Exception {
    try (JbpfProcess j = JbpfProcess.start(ToolsCompileTest.TOOLS.resolve(tool).toString())) {
      j.awaitAttached();
      workload.run();
      Thread.sleep(300);
      j.signal("INT");
      assertEquals(0, j.waitFor(WAIT), () -> tool + " exit code; stderr:\n" + j.stderr());
      return j.stdout();
    }
  }

  private static void assertLine(String out, String regex) {
    assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(out).find(), () -> "no line matching " + regex + " in:\n" + out);
  }

  @Test
  void execsnoopShowsAnExecWithItsArguments() throws Exception {
    String out = runUntil("execsnoop.bt", "/bin/echo jbpf-exec-marker 42$", () -> sh("/bin/echo jbpf-exec-marker 42"));
    assertLine(out, "^TIME\\(ms\\) +PID +UID +CALLER +ARGS$");
    assertLine(out, "^\\d+ +\\d+ +0 +bash +/bin/echo jbpf-exec-marker 42$");
  }

  @Test
  void opensnoopShowsOpensThatWorkAndOpensThatFail() throws Exception {
    Path there = Files.writeString(dir.resolve("jbpf-open-marker"), "x");
    Path missing = dir.resolve("jbpf-missing-marker");
    String out = runUntil("opensnoop.bt", "jbpf-missing-marker$", () -> sh("cat " + there + " " + missing));
    assertLine(out, "^PID +COMM +FD ERR PATH$");
    assertLine(out, "^\\d+ +cat +\\d+ +0 " + Pattern.quote(there.toString()) + "$");
    assertLine(out, "^\\d+ +cat +-1 +2 " + Pattern.quote(missing.toString()) + "$");
  }

  @Test
  void exitsnoopShowsTheStatusAndTheSignal() throws Exception {
    String out = runUntil("exitsnoop.bt", "^\\d+ +\\d+ +sleep .*signal 15$", () -> {
      sh("bash -c 'exit 3'");
      sh("sleep 10 & p=$!; sleep 0.05; kill -TERM $p; wait $p");
    });
    assertLine(out, "^TIME\\(ms\\) +PID +COMM +AGE\\(ms\\) +EXIT$");
    assertLine(out, "^\\d+ +\\d+ +bash +\\d+ +status 3$");
  }

  @Test
  void killsnoopShowsSenderSignalAndResult() throws Exception {
    String out = runUntil("killsnoop.bt", "^\\d+ +\\d+ +bash +9 +999999 +-3$", () -> sh("kill -9 999999"));
    assertLine(out, "^TIME\\(ms\\) +PID +COMM +SIG +TPID +RESULT$");
  }

  @Test
  void naptimeShowsHowLongASleepLasted() throws Exception {
    String out = runUntil("naptime.bt", "^\\d+ +\\d+ +sleep +(2\\d\\d|3\\d\\d)$", () -> sh("sleep 0.25"));
    assertLine(out, "^TIME\\(ms\\) +PID +COMM +SLEPT\\(ms\\)$");
  }

  @Test
  void tcpconnectAndTcplifeShowALoopbackConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      // A platform thread: a virtual one blocking on a socket would start the JDK's epoll pollers, whose fds
      // outlive the test and read as leaks.
      Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            s.getInputStream().read();
          } catch (IOException e) {
            return;
          }
        }
      });
      Runnable connect = () -> sh("exec 3<>/dev/tcp/127.0.0.1/" + port + "; echo x >&3; exec 3>&-");
      String out = runUntil("tcpconnect.bt", "^\\d+ +\\d+ +bash +127\\.0\\.0\\.1 +\\d+ +127\\.0\\.0\\.1 +" + port + " +established$", connect);
      assertLine(out, "^TIME\\(ms\\) +PID +COMM +LADDR +LPORT +RADDR +RPORT +RESULT$");
      out = runUntil("tcplife.bt", "^\\d+ +bash +127\\.0\\.0\\.1 +\\d+ +127\\.0\\.0\\.1 +" + port + " +\\d+$", connect);
      assertLine(out, "^PID +COMM +LADDR +LPORT +RADDR +RPORT +MS$");
      server.close();
      acceptor.join(5000);
    }
  }

  @Test
  void biolatencyAndBitesizeShowDirectIo() throws Exception {
    Path file = Path.of("target", "jbpf-bio-" + ProcessHandle.current().pid()).toAbsolutePath();
    Runnable io = () -> sh("dd if=/dev/zero of=" + file + " bs=64k count=64 oflag=direct status=none");
    try {
      String out = runOnce("biolatency.bt", io);
      assertLine(out, "^Tracing block I/O\\.\\.\\. Hit Ctrl-C to end\\.$");
      assertLine(out, "^@usecs: ?$");
      assertLine(out, "^\\[\\d+K?, \\d+K?\\) +\\d+ \\|@+ *\\|$");
      out = runOnce("bitesize.bt", io);
      assertLine(out, "^@kbytes\\[dd\\]: ?$");
      assertLine(out, "^\\[64, 128\\) +\\d+ \\|@+ *\\|$");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void runqlatAndCpuwalkPrintHistograms() throws Exception {
    String out = runOnce("runqlat.bt", () -> sh("for i in 1 2 3 4 5; do sleep 0.01; done"));
    assertLine(out, "^@usecs: ?$");
    assertLine(out, "^\\[\\d+K?(, \\d+K?\\))?\\]? +\\d+ \\|@* *\\|$");
    out = runOnce("cpuwalk.bt", () -> sh("timeout 0.3 bash -c 'while :; do :; done'"));
    assertLine(out, "^@cpu: ?$");
    assertLine(out, "^\\[\\d+, \\d+\\) +\\d+ \\|@* *\\|$");
  }

  @Test
  void syscountCountsByProcess() throws Exception {
    String out = runOnce("syscount.bt", () -> sh("dd if=/dev/zero of=/dev/null bs=1 count=20000 status=none"));
    assertLine(out, "^Top 10 processes \\(pid, comm: count\\):$");
    assertLine(out, "^@process\\[\\d+, dd\\]: \\d{5,}$");
    assertLine(out, "^@syscall\\[0\\]: \\d{5,}$");
  }

  /** The tools this test runs, so that a renamed tool breaks it rather than silently skipping. */
  @Test
  void theToolsTestedExist() {
    for (String t : List.of("execsnoop", "opensnoop", "exitsnoop", "killsnoop", "naptime", "tcpconnect", "tcplife", "biolatency",
        "bitesize", "runqlat", "cpuwalk", "syscount")) assertTrue(Files.exists(ToolsCompileTest.TOOLS.resolve(t + ".bt")), t);
  }
}
