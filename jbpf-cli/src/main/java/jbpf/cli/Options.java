package jbpf.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line, with bpftrace's options and meanings. Parsed with picocli's programmatic API (no
 * reflection), so that start-up stays fast.
 *
 * @param program the {@code -e} program, or {@code null}
 * @param file the script file ({@code -} for standard input), or {@code null}
 * @param params the positional parameters {@code $1}… after the program
 * @param listSearch with {@code -l}, the search pattern (empty for all)
 */
public record Options(String program, String file, List<String> params, boolean help, boolean version, boolean list,
                      String listSearch, String format, String outputFile, String bufferMode, List<String> includeDirs,
                      List<String> includes, int pid, String command, boolean usdtFileActivation, boolean unsafe,
                      boolean quiet, boolean info, int helperChecks, boolean noWarnings, int verbose, int debug,
                      boolean dryRun) {

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

      COMMANDS:
          jbpf vm-plugin [MEM_HEX] [--jit|--interpret]
                                  run an eBPF program (hex on stdin) in the userspace VM

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

  /** Parses {@code args}. @throws UsageException on an unknown option or a missing argument */
  public static Options parse(String[] args) throws UsageException {
    CommandSpec spec = CommandSpec.create();
    spec.parser().unmatchedOptionsArePositionalParams(true).posixClusteredShortOptionsAllowed(true)
        .stopAtPositional(false).overwrittenOptionsAllowed(true);
    spec.addOption(OptionSpec.builder("-e").paramLabel("program").type(String.class).build());
    spec.addOption(OptionSpec.builder("-f").paramLabel("FORMAT").type(String.class).build());
    spec.addOption(OptionSpec.builder("-o").paramLabel("file").type(String.class).build());
    spec.addOption(OptionSpec.builder("-B").paramLabel("MODE").type(String.class).build());
    spec.addOption(OptionSpec.builder("-h", "--help").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-V", "--version").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-I").paramLabel("DIR").type(String[].class).build());
    spec.addOption(OptionSpec.builder("--include").paramLabel("FILE").type(String[].class).build());
    spec.addOption(OptionSpec.builder("-l").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-p").paramLabel("PID").type(String.class).build());
    spec.addOption(OptionSpec.builder("-c").paramLabel("CMD").type(String.class).build());
    spec.addOption(OptionSpec.builder("--usdt-file-activation").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("--unsafe").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-q").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("--info").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-k").arity("0").type(boolean[].class).build());
    spec.addOption(OptionSpec.builder("--no-warnings").arity("0").type(boolean.class).build());
    spec.addOption(OptionSpec.builder("-v").arity("0").type(boolean[].class).build());
    spec.addOption(OptionSpec.builder("-d").arity("0").type(boolean[].class).build());
    spec.addOption(OptionSpec.builder("--dry-run").arity("0").type(boolean.class).build());
    spec.addPositional(PositionalParamSpec.builder().paramLabel("args").type(String[].class).arity("0..*").build());

    ParseResult r;
    try {
      r = new CommandLine(spec).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    List<String> positional = new ArrayList<>();
    String[] pos = r.matchedPositionalValue(0, new String[0]);
    if (pos != null) positional.addAll(List.of(pos));
    String program = r.matchedOptionValue("-e", null);
    boolean list = r.hasMatchedOption("-l");
    String file = null;
    String listSearch = null;
    if (list) {
      listSearch = positional.isEmpty() ? "" : positional.removeFirst();
      if (program != null) listSearch = program;
    } else if (program == null && !positional.isEmpty()) {
      file = positional.removeFirst();
    }
    String format = r.matchedOptionValue("-f", "text");
    if (!format.equals("text") && !format.equals("json")) throw new UsageException("Invalid output format \"" + format + "\"\nValid formats: text, json");
    String buffer = r.matchedOptionValue("-B", null);
    if (buffer != null && !buffer.equals("full") && !buffer.equals("none") && !buffer.equals("line"))
      throw new UsageException("Invalid buffer mode: " + buffer + "\nValid modes: full, none, line");
    int pid = 0;
    String pidText = r.matchedOptionValue("-p", null);
    if (pidText != null) {
      try {
        pid = Integer.parseInt(pidText);
        if (pid <= 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        throw new UsageException("Invalid PID: " + pidText);
      }
    }
    boolean[] k = r.matchedOptionValue("-k", new boolean[0]);
    boolean[] v = r.matchedOptionValue("-v", new boolean[0]);
    boolean[] d = r.matchedOptionValue("-d", new boolean[0]);
    return new Options(program, file, positional, r.hasMatchedOption("-h"), r.hasMatchedOption("-V"), list, listSearch,
        format, r.matchedOptionValue("-o", null), buffer, List.of(r.matchedOptionValue("-I", new String[0])),
        List.of(r.matchedOptionValue("--include", new String[0])), pid, r.matchedOptionValue("-c", null),
        r.hasMatchedOption("--usdt-file-activation"), r.hasMatchedOption("--unsafe"), r.hasMatchedOption("-q"),
        r.hasMatchedOption("--info"), k.length, r.hasMatchedOption("--no-warnings"), v.length, d.length,
        r.hasMatchedOption("--dry-run") || d.length > 0);
  }
}
