package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builtins and functions of the language, run on the kernel through the command line. */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class FunctionsKernelTest {
  /** Ends a script whose event never came, so that a failing test leaves nothing running. */
  private static final String GUARD = " interval:s:30 { exit(); }";
  private static final int SELF = (int) ProcessHandle.current().pid();

  @TempDir Path tmp;

  @Test
  void printfFormatsEveryConversionAsC() throws Exception {
    Jbpf.Result r = Jbpf.run("-e", """
        BEGIN {
          printf("%d %i %u %o %x %X %c %s %p|\\n", -5, 7, 4294967301, 8, 255, 255, 65, "str", 4096);
          printf("%5d|%-5d|%05d|%+d|% d|%#x|%#o|%.3d|\\n", 42, 42, 42, 42, 42, 255, 8, 7);
          printf("%lld|%lu|%llx|%hhd|%hd|%ld|%zu|%jd|\\n", -1, -1, -1, 257, 65537, 5000000000, 12, -12);
          printf("%10s|%-10s|%.2s|%s|\\n", "abc", "abc", "abcdef", comm);
          printf("%r|%rx|%rh|\\n", buf("ab\\x01c", 4), buf("ab", 2), buf("AB", 2));
          printf("%s|%s|%s|%s\\n", ntop(2, 0x0100007f), ntop(pton("::1")), ksym(kaddr("vfs_read")), strftime("%Y", nsecs));
          exit();
        }
        """);
    assertEquals(0, r.code(), r.err());
    String year = String.valueOf(java.time.Year.now().getValue());
    assertEquals(String.join("\n",
        "Attaching 1 probe...",
        "-5 7 5 10 ff FF A str 0x1000|",
        "   42|42   |00042|+42| 42|0xff|010|007|",
        "-1|18446744073709551615|ffffffffffffffff|1|1|5000000000|12|-12|",
        "       abc|abc       |ab|jbpf|",
        "ab\\x01c|\\x61\\x62|41 42|",
        "127.0.0.1|::1|vfs_read|" + year,
        "", "", ""), r.out());
  }

  @Test
  void printfArgumentsAreCheckedAtCompileTime() throws Exception {
    Jbpf.Result r = Jbpf.run("-e", "BEGIN { printf(\"%d %s\\n\", comm, 1); }");
    assertEquals(1, r.code());
    assertEquals("""
        stdin:1:9-35: ERROR: printf: %d specifier expects a value of type integer (string supplied)
        BEGIN { printf("%d %s\\n", comm, 1); }
                ~~~~~~~~~~~~~~~~~~~~~~~~~~
        """, r.err());
  }

  @Test
  void strReadsTheUserPathOfOpenatWithLengthsAndTruncation() throws Exception {
    Path file = tmp.resolve("jbpf-str-" + System.nanoTime() + "-" + "x".repeat(40));
    Files.writeString(file, "x");
    String path = file.toString();
    assertTrue(path.length() > 64, "a path longer than the default string length");
    try (Jbpf j = Jbpf.start("-e", "tracepoint:syscalls:sys_enter_openat /pid == " + SELF + "/ {"
        + " $s = str(args->filename); if (strcontains($s, \"jbpf-str-\")) {"
        + " printf(\"[%s] [%s] [%s] %d\\n\", $s, str(args->filename, 8), str(args->filename, 200), len($s)); exit(); } }" + GUARD)) {
      j.poke(() -> read(file), out -> out.contains("]\n"), Duration.ofSeconds(30));
      Jbpf.Result r = j.await(Duration.ofSeconds(30));
      // 64 bytes hold 63 characters and the terminator; bpftrace 0.17 prints a longer string cut there, unmarked.
      // With a length, a string keeps that many characters (within the 64-byte limit).
      String expected = "[" + path.substring(0, 63) + "] [" + path.substring(0, 8) + "] [" + path.substring(0, 63) + "] 63";
      assertTrue(r.out().contains(expected + "\n"), r.out() + r.err());
    }
  }

  @Test
  void stringComparisonsInPredicates() throws Exception {
    Path file = tmp.resolve("cmp-target");
    Files.writeString(file, "x");
    try (Jbpf j = Jbpf.start("-e", "tracepoint:syscalls:sys_enter_openat /str(args->filename) == \"" + file + "\" && comm != \"nope\"/ {"
        + " printf(\"%d %d %d\\n\", strncmp(str(args->filename), \"" + tmp + "/cmp-XX\", " + (tmp.toString().length() + 5) + "),"
        + " strncmp(str(args->filename), \"/nope\", 5), strcontains(str(args->filename), \"p-tar\")); exit(); }" + GUARD)) {
      j.poke(() -> read(file), out -> out.contains("\n0") || out.contains("\n1"), Duration.ofSeconds(30));
      assertEquals("Attaching 2 probes...\n0 1 1\n\n\n", j.await(Duration.ofSeconds(30)).out());
    }
  }

  @Test
  void ustackShowsTheCallChainOfACProgramInOrder() throws Exception {
    try (TracedProgram w = TracedProgram.start("chain.c")) {
      Jbpf.Result r = Jbpf.run("-e", "tracepoint:syscalls:sys_enter_getppid /pid == " + w.pid() + "/ {"
          + " printf(\"%s|%s|%s|%d\\n\", ustack, ustack(perf, 3), ustack(raw, 2), len(ustack)); @[ustack(2), kstack(1)] = count(); exit(); }" + GUARD);
      assertEquals(0, r.code(), r.err());
      String[] parts = r.out().substring(r.out().indexOf('\n')).split("\\|");
      assertEquals(List.of("leaf_c", "func_b", "func_a", "main"), names(parts[0]).subList(0, 4), parts[0]);
      for (String line : parts[0].lines().filter(l -> !l.isBlank()).toList())
        assertTrue(line.startsWith("        ") && !line.startsWith("         "), "bpftrace indents frames by 8: " + line);
      String bin = w.binary("chain").toString();
      List<String> perf = parts[1].strip().lines().map(String::strip).toList();
      assertEquals(3, perf.size(), parts[1]);
      assertTrue(Pattern.matches("[0-9a-f]+ leaf_c\\+\\d+ \\(" + Pattern.quote(bin) + "\\)", perf.get(0)), perf.get(0));
      assertTrue(Pattern.matches("[0-9a-f]+ func_b\\+\\d+ \\(" + Pattern.quote(bin) + "\\)", perf.get(1)), perf.get(1));
      List<String> raw = parts[2].strip().lines().map(String::strip).toList();
      assertEquals(2, raw.size(), parts[2]);
      assertEquals(perf.get(0).split(" ")[0], raw.get(0), "raw frames are the bare addresses");
      assertTrue(Integer.parseInt(parts[3].strip().split("\n")[0]) >= 5, "main and the C library's frames: " + parts[3]);
      // As a map key: the stacks printed inside @[...], user frames then kernel frames.
      assertTrue(Pattern.compile("@\\[\n    leaf_c\\+\\d+\n    func_b\\+\\d+\n, \n    \\w+\\+\\d+\n]: \\d+").matcher(r.out()).find(), r.out());
    }
  }

  @Test
  void kstackNamesKernelFunctions() throws Exception {
    try (TracedProgram w = TracedProgram.start("chain.c")) {
      Jbpf.Result r = Jbpf.run("-e", "tracepoint:syscalls:sys_enter_getppid /pid == " + w.pid() + "/ { printf(\"%s\", kstack); exit(); }" + GUARD);
      List<String> frames = names(r.out().substring(r.out().indexOf('\n')));
      assertTrue(frames.contains("do_syscall_64"), r.out());
      assertTrue(frames.indexOf("syscall_trace_enter") < frames.indexOf("do_syscall_64"), "innermost first: " + frames);
    }
  }

  @Test
  void ustackDemanglesCppFrames() throws Exception {
    try (TracedProgram w = TracedProgram.start("cart.cpp")) {
      Jbpf.Result r = Jbpf.run("-e", "tracepoint:syscalls:sys_enter_getppid /pid == " + w.pid() + "/ { printf(\"%s\", ustack(3)); exit(); }" + GUARD);
      assertEquals(List.of("shop::Cart::checkout(int)", "void repeat<3>(shop::Cart&)", "main"), names(r.out().substring(r.out().indexOf('\n'))));
    }
  }

  @Test
  void ustackNamesGeneratedCodeFromThePerfMap() throws Exception {
    try (TracedProgram w = TracedProgram.start("jit.c")) {
      Jbpf.Result r = Jbpf.run("-e", "tracepoint:syscalls:sys_enter_getppid /pid == " + w.pid() + "/ { printf(\"%s|%s\", ustack(3), ustack(perf, 1)); exit(); }" + GUARD);
      String[] parts = r.out().split("\\|");
      assertEquals(List.of("generated_stub", "jit_caller", "main"), names(parts[0].substring(parts[0].indexOf('\n'))));
      assertTrue(parts[1].strip().endsWith("generated_stub+11 (/tmp/perf-" + w.pid() + ".map)"), parts[1]);
    }
  }

  @Test
  void ustackNamesJavaMethodsOfAJvmThatIsAskedForItsPerfMap() throws Exception {
    Files.writeString(tmp.resolve("Spin.java"), """
        public class Spin {
          static long work(long x) {
            long s = 0;
            for (int i = 0; i < 1000; i++) s += (x ^ i) * 31;
            return s;
          }
          public static void main(String[] a) {
            long t = 0;
            System.out.println("started");
            while (true) { t += work(t); if (t == 42) System.out.println(t); }
          }
        }
        """);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(java.toString(), "-XX:+PreserveFramePointer", "-XX:+UseSerialGC", "-Xmx64m", "Spin.java")
        .directory(tmp.toFile()).redirectErrorStream(true).start();
    Path perfMap = Path.of("/tmp/perf-" + jvm.pid() + ".map");
    try {
      assertEquals("started", new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream())).readLine());
      Thread.sleep(2000);  // until the loop runs compiled code
      assertTrue(!Files.exists(perfMap), "the JVM has no perf map of its own");
      String out = "";
      for (int attempt = 0; attempt < 5 && !out.contains("Spin."); attempt++) {
        out = Jbpf.run("-e", "profile:hz:499 /pid == " + jvm.pid() + "/ { @[ustack(1)] = count(); } interval:ms:1500 { exit(); }").out();
      }
      assertTrue(out.contains("    long Spin.work(long)+") || out.contains("    void Spin.main(java.lang.String[])+"), out);
      assertTrue(Files.exists(perfMap), "jbpf asked the JVM to write " + perfMap);
    } finally {
      jvm.destroyForcibly();
      jvm.waitFor();
      Files.deleteIfExists(perfMap);
    }
  }

  @Test
  void signalKillsTheTracedProcess() throws Exception {
    try (TracedProgram w = TracedProgram.start("chain.c")) {
      Jbpf.Result r = Jbpf.run("--unsafe", "-e", "tracepoint:syscalls:sys_enter_getppid /pid == " + w.pid() + "/ { signal(\"KILL\"); exit(); }" + GUARD);
      assertEquals(0, r.code(), r.err());
      assertTrue(w.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the target ended");
      assertEquals(128 + 9, w.process().exitValue(), "killed by SIGKILL");
    }
  }

  @Test
  void unsafeFunctionsAreRefusedWithoutUnsafe() throws Exception {
    // cat() is safe, as in bpftrace 0.17
    Jbpf.Result r = Jbpf.run("-e", "BEGIN { system(\"echo hi\"); cat(\"/etc/hostname\"); }");
    assertEquals(1, r.code());
    assertEquals("""
        stdin:1:9-26: ERROR: system() is an unsafe function being used in safe mode
        BEGIN { system("echo hi"); cat("/etc/hostname"); }
                ~~~~~~~~~~~~~~~~~
        HINT: run jbpf with --unsafe to allow it
        """, r.err());
    assertEquals("", r.out());
  }

  @Test
  void systemAndCatRunInOrderWithUnsafe() throws Exception {
    Path file = tmp.resolve("cat-me");
    Files.writeString(file, "file contents\n");
    Jbpf.Result r = Jbpf.run("--unsafe", "-e", "BEGIN { printf(\"one\\n\"); system(\"echo sys %d\", 42); cat(\"%s\", \"" + file
        + "\"); cat(\"" + tmp + "/missing\"); printf(\"two\\n\"); exit(); }");
    assertEquals(0, r.code(), r.err());
    assertEquals("Attaching 1 probe...\none\nsys 42\nfile contents\ntwo\n\n\n", r.out());
    assertEquals("ERROR: failed to open file '" + tmp + "/missing': No such file or directory\n", r.err());
  }

  @Test
  void ntopOfLoopbackFromInetSockSetState() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      // A platform thread: virtual threads would open the JDK's poller epoll fds, which the leak check reports.
      Thread accepter = Thread.ofPlatform().daemon().start(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            s.getInputStream().read();
          } catch (IOException e) {
            // closed
          }
        }
      });
      try (Jbpf j = Jbpf.start("-e", "tracepoint:sock:inet_sock_set_state /args->dport == " + port + "/ {"
          + " printf(\"%s %s %s %d\\n\", ntop(args->saddr), ntop(args->daddr), ntop(args->daddr_v6), args->dport); exit(); }" + GUARD)) {
        j.poke(() -> connect(port), out -> out.contains(" " + port + "\n"), Duration.ofSeconds(30));
        assertTrue(j.await(Duration.ofSeconds(30)).out().contains("127.0.0.1 127.0.0.1 ::ffff:127.0.0.1 " + port + "\n"), j.out());
      }
      server.close();
      accepter.join(10_000);
    }
  }

  @Test
  void joinPrintsTheArgumentsOfExecve() throws Exception {
    String marker = "jbpf-join-" + System.nanoTime();
    try (Jbpf j = Jbpf.start("-e", "tracepoint:syscalls:sys_enter_execve /str(args->filename) == \"/bin/true\"/ {"
        + " join(args->argv); join(args->argv, \",\"); exit(); }" + GUARD)) {
      j.poke(() -> exec("/bin/true", marker, "two"), out -> out.contains(marker + ",two\n"), Duration.ofSeconds(30));
      assertTrue(j.out().contains("/bin/true " + marker + " two\n/bin/true," + marker + ",two\n"), j.out());
    }
  }

  @Test
  void builtinsOfUserspaceValues() throws Exception {
    Jbpf.Result r = Jbpf.run("-e", "BEGIN { printf(\"%s|%s|%d|%d|%d\\n\", comm, username, usermode, elapsed < 1000000000,"
        + " nsecs(boot) > 0); $m = nsecs(monotonic); $b = nsecs(boot); $t = nsecs(tai); $s = nsecs(sw_tai); printf(\"%d \", $b >= $m);"
        + " printf(\"%d\\n\", ($s > $t ? $s - $t : $t - $s) < 100000000); print(cgroup_path(cgroup, \"unified\")); exit(); }");
    assertEquals(0, r.code(), r.err());
    String cgroup = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
    assertEquals("Attaching 1 probe...\njbpf|" + System.getProperty("user.name") + "|1|1|1\n1 1\nunified:" + cgroup + "\n\n\n", r.out());
  }

  @Test
  void errorfAndWarnfPrintOnStandardError() throws Exception {
    Jbpf.Result r = Jbpf.run("-e", "BEGIN { errorf(\"bad %d\", 1); warnf(\"odd %s\", \"x\"); exit(); }");
    assertEquals(0, r.code());
    assertEquals("stdin:1:9-28: ERROR: bad 1\nstdin:1:30-50: WARNING: odd x\n", r.err());
  }

  /** {@return the function names of a printed stack's lines ({@code  name+offset})} */
  private static List<String> names(String stack) {
    return stack.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.substring(0, l.lastIndexOf('+'))).toList();
  }

  private static void read(Path file) {
    try {
      Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void connect(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void exec(String... cmd) {
    try {
      new ProcessBuilder(cmd).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
