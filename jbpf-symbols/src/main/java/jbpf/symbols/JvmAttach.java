package jbpf.symbols;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Talks to a running HotSpot JVM through its attach mechanism, as {@code jcmd} does, to make it write a perf map of
 * its JIT-compiled code ({@code Compiler.perfmap}, JDK 17 and later).
 *
 * <p>The JVM listens on the UNIX socket {@code /tmp/.java_pid<pid>} once started; it starts listening when it gets
 * {@code SIGQUIT} while a file {@code .attach_pid<pid>} exists in its working directory or in {@code /tmp}. Paths and
 * pids are those of the JVM's own mount and pid namespaces, reached from here through {@code /proc/PID/root} and
 * {@code NSpid}. A request is protocol version, command and three arguments, each NUL-terminated; the reply is a
 * status line ({@code 0} for success) followed by the command's output.
 */
public final class JvmAttach {
  private JvmAttach() {}

  /** {@return whether the process mapping {@code maps} is a HotSpot JVM} */
  public static boolean isHotSpot(List<Mapping> maps) {
    for (Mapping m : maps) if (m.path().endsWith("/libjvm.so")) return true;
    return false;
  }

  /**
   * Asks JVM {@code pid} to write its perf map and returns where it is, as seen from this process.
   *
   * @throws IOException naming what failed: the attach handshake, the request, or the JVM's answer
   */
  public static Path writePerfMap(int pid, Duration timeout) throws IOException {
    String out = jcmd(pid, timeout, "Compiler.perfmap");
    Path map = Processes.root(pid).resolve("tmp/perf-" + Processes.namespacePid(pid) + ".map");
    if (!Files.exists(map)) throw new IOException("JVM " + pid + " did not write " + map + " (" + out.strip() + ")");
    return map;
  }

  /**
   * Runs a diagnostic command in JVM {@code pid}, as {@code jcmd PID command} does, and returns its output.
   *
   * @throws IOException if the JVM cannot be attached to or the command fails
   */
  public static String jcmd(int pid, Duration timeout, String command) throws IOException {
    return execute(pid, timeout, "jcmd", command, "", "");
  }

  /** Sends one attach request and returns the output after the status line. */
  static String execute(int pid, Duration timeout, String cmd, String a0, String a1, String a2) throws IOException {
    String what = "attach to JVM " + pid;
    Path socket = connectableSocket(pid, timeout, what);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      for (String s : new String[] {"1", cmd, a0, a1, a2}) {
        req.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        req.write(0);
      }
      ByteBuffer out = ByteBuffer.wrap(req.toByteArray());
      while (out.hasRemaining()) ch.write(out);
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(8192);
      while (ch.read(in.clear()) > 0) reply.write(in.array(), 0, in.position());
      String text = reply.toString(StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      String status = (nl < 0 ? text : text.substring(0, nl)).strip();
      String body = nl < 0 ? "" : text.substring(nl + 1);
      if (!status.equals("0")) throw new IOException(what + ": " + cmd + " " + a0 + " failed with status " + status + ": " + body.strip());
      return body;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(what)) throw e;
      throw new IOException(what + ": talk to " + socket + ": " + e.getMessage(), e);
    }
  }

  private static Path connectableSocket(int pid, Duration timeout, String what) throws IOException {
    int nspid = Processes.namespacePid(pid);
    Path root = Processes.root(pid);
    Path socket = root.resolve("tmp/.java_pid" + nspid);
    if (Files.exists(socket)) return socket;
    Path trigger = Processes.cwd(pid).resolve(".attach_pid" + nspid);
    try {
      Files.deleteIfExists(trigger);
      Files.createFile(trigger);
    } catch (IOException e) {
      trigger = root.resolve("tmp/.attach_pid" + nspid);
      try {
        Files.deleteIfExists(trigger);
        Files.createFile(trigger);
      } catch (IOException e2) {
        throw new IOException(what + ": create attach trigger " + trigger + ": " + e2.getMessage(), e2);
      }
    }
    try {
      signalQuit(pid, what);
      long deadline = System.nanoTime() + timeout.toNanos();
      long sleep = 10;
      while (!Files.exists(socket)) {
        if (System.nanoTime() > deadline)
          throw new IOException(what + ": no attach socket " + socket + " within " + timeout.toMillis() + " ms after SIGQUIT (is it a HotSpot JVM started without -XX:+DisableAttachMechanism?)");
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(what + ": interrupted while waiting for the attach socket", e);
        }
        sleep = Math.min(sleep * 2, 200);
      }
      return socket;
    } finally {
      Files.deleteIfExists(trigger);
    }
  }

  /** Sends SIGQUIT with kill(1): this module does not call into native code. */
  private static void signalQuit(int pid, String what) throws IOException {
    Process p = new ProcessBuilder("kill", "-QUIT", Integer.toString(pid)).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(what + ": kill -QUIT " + pid + " did not finish");
      }
      if (p.exitValue() != 0)
        throw new IOException(what + ": kill -QUIT " + pid + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted while signalling", e);
    }
  }
}
