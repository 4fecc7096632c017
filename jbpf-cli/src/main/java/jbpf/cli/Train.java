package jbpf.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The training run that the launcher records into the JVM's ahead-of-time cache after each build
 * ({@code -XX:AOTCacheOutput}): it runs the paths every invocation takes (options, compiling, loading, attaching,
 * printing), so that later runs start with those classes already loaded and linked. Runs the kernel paths only
 * when privileged; output goes nowhere.
 */
final class Train {
  private Train() {}

  private static final List<List<String>> SCRIPTS = List.of(
      List.of("--help"),
      List.of("-e", "BEGIN { printf(\"%s %d %u %x\\n\", comm, pid, tid, 10); @[comm, pid] = count(); @s = sum(5); @h = hist(10); "
          + "@l = lhist(5, 0, 10, 1); @m = max(3); @a = avg(4); @st = stats(5); print(@s); clear(@s); exit(); }"),
      List.of("-e", "tracepoint:syscalls:sys_enter_getppid /pid != 0/ { @opens[comm] = count(); } "
          + "interval:ms:20 { print(@opens); exit(); } END { printf(\"bye\\n\"); }"),
      List.of("-f", "json", "-e", "BEGIN { printf(\"%s\\n\", \"x\"); @x = 1; exit(); }"),
      List.of("-e", "BEGIN { @x = pdi; }"));

  public static void main(String[] args) {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    for (List<String> script : SCRIPTS) {
      List<String> a = script;
      if (!Main.privilegedQuietly()) a = prepend("--dry-run", script);
      Main.run(a.toArray(String[]::new), sink, sink);
    }
  }

  private static List<String> prepend(String first, List<String> rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
  }
}
