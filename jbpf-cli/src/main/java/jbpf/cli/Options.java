package jbpf.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line, with bpftrace's options and meanings, parsed the way bpftrace's getopt_long parses them.
 * The parser is written here rather than taken from a library: jbpf starts in a few hundred milliseconds, and
 * picocli's initialisation alone took a hundred of them (its classes cannot go into the JVM's AOT cache, since
 * it is an automatic module).
 *
 * @param program the {@code -e} program, or {@code null}
 * @param file the script file ({@code -} for standard input), or {@code null}
 * @param params the positional parameters {@code $1}… after the program
 * @param listSearch with {@code -l}, the search pattern (empty for all)
 * @param flameGraph with {@code --flamegraph FILE}, where to write a flame graph of the stack maps at exit
 * @param folded with {@code --folded FILE}, where to write the stack maps as folded text at exit
 * @param heatMap with {@code --heatmap FILE}, where to write a heat map of the hist/lhist maps at exit
 */
public record Options(String program, String file, List<String> params, boolean help, boolean version, boolean list,
                      String listSearch, String format, String outputFile, String bufferMode, List<String> includeDirs,
                      List<String> includes, int pid, String command, boolean usdtFileActivation, boolean unsafe,
                      boolean quiet, boolean info, int helperChecks, boolean noWarnings, int verbose, int debug,
                      boolean dryRun, String flameGraph, String folded, String heatMap) {

  /** A command line that cannot be understood; the message says why. */
  public static final class UsageException extends Exception {
    UsageException(String message) { super(message); }
  }

  static final String USAGE = """
      USAGE:
          jbpf [options] filename
          jbpf [options] - <stdin input>
          jbpf [options] -e 'program'

      OPTIONS:
          -B MODE        output buffering mode ('full', 'none')
          -f FORMAT      output format ('text', 'json')
          -o file        redirect jbpf output to file
          -e 'program'   execute this program
          -h, --help     show this help message
          -I DIR         add the directory to the include search path
          --include FILE add an #include file before preprocessing
          -l [search]    list probes
          -p PID         enable USDT probes on PID
          -c 'CMD'       run CMD and enable USDT probes on resulting process
          --usdt-file-activation
                         activate usdt semaphores based on file path
          --unsafe       allow unsafe builtin functions
          -q             keep messages quiet
          --info         Print information about kernel BPF support
          -k             emit a warning when a bpf helper returns an error (except read functions)
          -kk            check all bpf helper functions
          -V, --version  jbpf version
          --no-warnings  disable all warning messages

      TROUBLESHOOTING OPTIONS:
          -v                      verbose messages (the bytecode of every program and the verifier's log)
          -d                      (dry run) debug info: the syntax tree, the typed tree and the bytecode
          -dd                     (dry run) verbose debug info
          --dry-run               compile, load and attach every probe, then exit

      PICTURES (written at exit, besides the normal output):
          --flamegraph FILE.svg   flame graph of the maps keyed by kstack/ustack (count() or sum() values)
          --folded FILE           the same stacks as folded text (frame;frame;frame count)
          --heatmap FILE.svg      heat map of the hist()/lhist() maps over time

      COMMANDS:
          jbpf vm-plugin [MEM_HEX] [--jit|--interpret]
                                  run an eBPF program (hex on stdin) in the userspace VM
          jbpf flamegraph [--title TEXT] [--width PX] [FILE] [-o FILE.svg]
                                  flame graph SVG of folded stacks (FILE or stdin; to stdout)

      ENVIRONMENT:
          BPFTRACE_STRLEN             [default: 64] bytes on BPF stack per str()
          BPFTRACE_NO_CPP_DEMANGLE    [default: 0] disable C++ symbol demangling
          BPFTRACE_MAP_KEYS_MAX       [default: 4096] max keys in a map
          BPFTRACE_MAX_PROBES         [default: 512] max number of probes
          BPFTRACE_LOG_SIZE           [default: 1000000] log size in bytes
          BPFTRACE_NO_USER_SYMBOLS    [default: 0] disable user symbol resolution

      EXAMPLES:
      jbpf -l '*sleep*'
          list probes containing "sleep"
      jbpf -e 'tracepoint:syscalls:sys_enter_nanosleep { printf("PID %d sleeping...\\n", pid); }'
          trace processes calling sleep
      jbpf -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
          count syscalls by process name
      """;

  /** Options that take an argument, by name. */
  private static final java.util.Set<String> WITH_ARG = java.util.Set.of("-e", "-f", "-o", "-B", "-I", "-p", "-c", "--include",
      "--flamegraph", "--folded", "--heatmap");
  /** Options without one. */
  private static final java.util.Set<String> FLAGS = java.util.Set.of("-h", "--help", "-V", "--version", "-l", "-q", "-k", "-v", "-d",
      "--usdt-file-activation", "--unsafe", "--info", "--no-warnings", "--dry-run");

  /**
   * Parses {@code args} as bpftrace's getopt_long does: short options may be clustered ({@code -lv}, {@code -dd})
   * and take their argument attached or as the next word ({@code -e 'prog'}, {@code -eprog}); long options take
   * {@code --name=value} or {@code --name value}; options and operands may be mixed; {@code --} ends options.
   *
   * @throws UsageException on an unknown option or a missing argument
   */
  public static Options parse(String[] args) throws UsageException {
    List<String> positional = new ArrayList<>();
    java.util.Map<String, List<String>> values = new java.util.HashMap<>();
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        positional.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        if (WITH_ARG.contains(name)) {
          String v = eq >= 0 ? a.substring(eq + 1) : ++i < args.length ? args[i] : null;
          if (v == null) throw new UsageException("option '" + name + "' requires an argument");
          values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        } else if (FLAGS.contains(name)) {
          if (eq >= 0) throw new UsageException("option '" + name + "' doesn't allow an argument");
          counts.merge(name, 1, Integer::sum);
        } else {
          throw new UsageException("unrecognized option '" + a + "'");
        }
        continue;
      }
      if (a.length() < 2 || a.charAt(0) != '-') {
        positional.add(a);
        continue;
      }
      for (int j = 1; j < a.length(); j++) {
        String name = "-" + a.charAt(j);
        if (WITH_ARG.contains(name)) {
          String v = j + 1 < a.length() ? a.substring(j + 1) : ++i < args.length ? args[i] : null;
          if (v == null) throw new UsageException("option requires an argument -- '" + a.charAt(j) + "'");
          values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
          break;
        }
        if (!FLAGS.contains(name)) throw new UsageException("invalid option -- '" + a.charAt(j) + "'");
        counts.merge(name, 1, Integer::sum);
      }
    }
    String program = last(values, "-e");
    boolean list = counts.containsKey("-l");
    String file = null;
    String listSearch = null;
    if (list) {
      listSearch = program != null ? program : positional.isEmpty() ? "" : positional.removeFirst();
    } else if (program == null && !positional.isEmpty()) {
      file = positional.removeFirst();
    }
    String format = java.util.Objects.requireNonNullElse(last(values, "-f"), "text");
    if (!format.equals("text") && !format.equals("json")) throw new UsageException("Invalid output format \"" + format + "\"\nValid formats: text, json");
    String buffer = last(values, "-B");
    if (buffer != null && !buffer.equals("full") && !buffer.equals("none") && !buffer.equals("line"))
      throw new UsageException("Invalid buffer mode: " + buffer + "\nValid modes: full, none, line");
    int pid = 0;
    String pidText = last(values, "-p");
    if (pidText != null) {
      try {
        pid = Integer.parseInt(pidText);
        if (pid <= 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        throw new UsageException("Invalid PID: " + pidText);
      }
    }
    int v = counts.getOrDefault("-v", 0), d = counts.getOrDefault("-d", 0);
    return new Options(program, file, positional, counts.containsKey("-h") || counts.containsKey("--help"),
        counts.containsKey("-V") || counts.containsKey("--version"), list, listSearch, format, last(values, "-o"), buffer,
        values.getOrDefault("-I", List.of()), values.getOrDefault("--include", List.of()), pid, last(values, "-c"),
        counts.containsKey("--usdt-file-activation"), counts.containsKey("--unsafe"), counts.containsKey("-q"),
        counts.containsKey("--info"), counts.getOrDefault("-k", 0), counts.containsKey("--no-warnings"), v, d,
        counts.containsKey("--dry-run") || d > 0, last(values, "--flamegraph"), last(values, "--folded"), last(values, "--heatmap"));
  }

  private static String last(java.util.Map<String, List<String>> values, String name) {
    List<String> v = values.get(name);
    return v == null ? null : v.getLast();
  }
}
