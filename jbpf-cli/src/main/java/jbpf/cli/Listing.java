package jbpf.cli;

import java.io.PrintStream;
import java.util.regex.Pattern;
import jbpf.runtime.TracefsKernelInfo;

/** {@code jbpf -l [PATTERN]}: the probes that can be attached, one full name per line. */
final class Listing {
  private Listing() {}

  static int run(Options o, PrintStream stdout, PrintStream stderr) {
    String search = o.listSearch() == null ? "" : o.listSearch();
    Pattern p = search.isEmpty() ? null : Pattern.compile(globAll(search));
    for (String tp : TracefsKernelInfo.live().tracepoints()) {
      String name = "tracepoint:" + tp;
      if (p == null || p.matcher(name).matches()) stdout.println(name);
    }
    return 0;
  }

  private static String globAll(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> b.append(".*");
        case '?' -> b.append('.');
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
