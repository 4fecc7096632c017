package jbpf.cli;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jbpf.lang.Compiler;
import jbpf.lang.ast.AstPrinter;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.parse.Parser;
import jbpf.lang.typed.TypedPrinter;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.output.Output;
import jbpf.runtime.Pictures;
import jbpf.runtime.ProgramRejectedException;
import jbpf.runtime.Tracer;
import jbpf.runtime.TracefsKernelInfo;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.spec.ProgramSpec;
import jbpf.sys.BpfException;
import jbpf.sys.Capabilities;
import jbpf.sys.Capability;
import jbpf.sys.NotSupportedException;
import jbpf.sys.PermissionException;
import jbpf.sys.SyscallException;
import jbpf.sys.VerifierException;

/**
 * The {@code jbpf} command: bpftrace's command line and exit codes. The only class that writes to stderr or
 * calls {@link System#exit}.
 */
public final class Main {
  static final String VERSION = "jbpf v0.1.0";

  private Main() {}

  public static void main(String[] args) {
    nameProcess();
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.err.flush();
    // halt, not exit: everything is flushed and closed by now, and Runtime.exit starts the platform logging
    // machinery (to log the exit), which costs 20-30 ms of a run that takes a few hundred.
    Runtime.getRuntime().halt(code);
  }

  /** Names the process jbpf rather than java, for ps and for the comm of its main thread: the JVM's launcher thread. */
  private static void nameProcess() {
    try {
      Files.writeString(Path.of("/proc/self/comm"), "jbpf");
    } catch (IOException | RuntimeException e) {
      // the name is cosmetic
    }
  }

  /** Runs the command. {@return the exit code} */
  static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    if (args.length > 0 && args[0].equals("vm-plugin")) {
      return VmPluginCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, stdout, stderr);
    }
    if (args.length > 0 && args[0].equals("flamegraph")) {
      return FlameGraphCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, stdout, stderr);
    }
    Options o;
    try {
      o = Options.parse(args);
    } catch (Options.UsageException e) {
      stderr.println("ERROR: " + e.getMessage());
      stderr.print(Options.USAGE);
      return 1;
    }
    if (o.help()) {
      stdout.print(Options.USAGE);
      return 0;
    }
    if (o.version()) {
      stdout.println(VERSION);
      return 0;
    }
    if (o.list()) return Listing.run(o, stdout, stderr);
    if (o.info()) {
      if (!privileged(o, stderr)) return 1;
      return Info.run(stdout);
    }
    Source source;
    try {
      source = source(o);
    } catch (UsageError e) {
      stderr.println("ERROR: " + e.getMessage());
      if (e.showUsage) stderr.print(Options.USAGE);
      return 1;
    }
    try {
      return trace(o, source, stdout, stderr);
    } catch (CompileException e) {
      stderr.print(e.render());
      return 1;
    } catch (ProgramRejectedException e) {
      stderr.print(rejection(e, o.verbose() > 0));
      return 1;
    } catch (BpfException e) {
      stderr.print(bpfError(e));
      return 1;
    } catch (java.io.UncheckedIOException e) {
      stderr.println("ERROR: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      stderr.println("ERROR: jbpf failed; this is a bug in jbpf, please report it with this output:");
      e.printStackTrace(stderr);
      return 1;
    }
  }

  private static final class UsageError extends Exception {
    final boolean showUsage;

    UsageError(String message, boolean showUsage) {
      super(message);
      this.showUsage = showUsage;
    }
  }

  private static Source source(Options o) throws UsageError {
    if (o.program() != null) return new Source("stdin", o.program());
    if (o.file() == null) throw new UsageError("No program or script file given: use -e 'program' or a file name", true);
    if (o.file().equals("-")) {
      try {
        return new Source("stdin", new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UsageError("failed to read standard input: " + e.getMessage(), false);
      }
    }
    try {
      return new Source(o.file(), Files.readString(Path.of(o.file()), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new UsageError("failed to open file '" + o.file() + "': No such file or directory", false);
    } catch (IOException e) {
      throw new UsageError("failed to open file '" + o.file() + "': " + e.getMessage(), false);
    }
  }

  private static int trace(Options o, Source source, PrintStream stdout, PrintStream stderr) throws CompileException {
    // -d loads nothing; --dry-run loads and attaches every probe
    if (o.debug() == 0 && !privileged(o, stderr)) return 1;
    if (o.debug() == 0) warmUpKernelAccess();
    TypedProgram.Settings settings;
    try {
      settings = Settings.from(System.getenv()).withUnsafe(o.unsafe());
    } catch (IllegalArgumentException e) {
      stderr.println("ERROR: " + e.getMessage());
      return 1;
    }
    TraceTarget target;
    try {
      target = TraceTarget.of(o);
    } catch (IOException e) {
      stderr.println("ERROR: " + e.getMessage());
      return 1;
    }
    try (target) {
      return trace(o, source, settings, target, stdout, stderr);
    }
  }

  private static int trace(Options o, Source source, TypedProgram.Settings settings, TraceTarget target, PrintStream stdout,
                           PrintStream stderr) throws CompileException {
    KernelInfo kernel = TracefsKernelInfo.live(target.kernelTarget());
    CompiledScript script = Compiler.compile(source, o.params(), o.includes(), kernel, settings, new CodeGen.Options(true, kernel.possibleCpus()));
    if (!o.noWarnings()) for (Diagnostic w : script.typed().warnings()) stderr.print(w.render());
    Pictures.Request pictureRequest = pictureRequest(o);
    Pictures pictures = null;
    if (pictureRequest != null) {
      try {
        pictures = Pictures.of(script, pictureRequest);
      } catch (IllegalArgumentException e) {
        stderr.println("ERROR: " + e.getMessage());
        return 1;
      }
    }
    if (o.debug() > 0) {
      // -d: what the compiler made of the script, and nothing is loaded
      stdout.print("AST\n---\n" + AstPrinter.print(Parser.parseOrThrow(source)) + "\nTyped\n-----\n" + TypedPrinter.print(script.typed()));
      for (ProgramSpec p : script.collection().programs()) stdout.print("\nProgram " + p.name() + ":\n" + p.code().disassemble());
      return 0;
    }
    OutputStream file = null;
    try {
      if (o.outputFile() != null) file = new FileOutputStream(o.outputFile());
    } catch (FileNotFoundException e) {
      stderr.println("ERROR: failed to open output file '" + o.outputFile() + "': " + e.getMessage());
      return 1;
    }
    int code;
    try (BufferedSink sink = new BufferedSink(file != null ? file : stdout, BufferedSink.Mode.of(o.bufferMode()), file != null)) {
      Output out = o.format().equals("json") ? Output.json(sink) : Output.text(sink);
      if (file != null) out.exitSeparatorTo(stdout);
      boolean notify = System.getenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED") != null;
      Tracer.Options topts = new Tracer.Options(o.verbose() > 0, script.typed().settings().printMapsOnExit(), notify);
      // before loading, as bpftrace prints it: a user waiting on a slow start sees at once that the script compiled
      if (!o.quiet()) {
        out.attachedProbes(Tracer.probeCount(script));
        out.flush();
      }
      try (Tracer tracer = Tracer.load(script, topts, out, stderr)) {
        if (o.dryRun()) {
          // --dry-run: every probe loaded and attached is the whole check; BEGIN and END do not run
          tracer.attach();
          return 0;
        }
        Signals.onInterrupt(tracer::requestStop);
        // BEGIN and END run on this thread: comm there reads jbpf, as bpftrace's reads bpftrace.
        jbpf.sys.Sys.setThreadName("jbpf");
        if (pictures != null) tracer.listen(pictures);
        target.follow(tracer);
        code = tracer.run();
      }
    } catch (IOException e) {
      stderr.println("ERROR: write output" + (o.outputFile() != null ? " to '" + o.outputFile() + "'" : "") + ": " + e.getMessage());
      return 1;
    }
    return pictures == null ? code : writePictures(pictures, pictureRequest, code, stderr);
  }

  /** {@return the pictures asked for with --flamegraph, --folded and --heatmap, or null for none} */
  private static Pictures.Request pictureRequest(Options o) {
    if (o.flameGraph() == null && o.folded() == null && o.heatMap() == null) return null;
    String what = o.file() != null ? o.file() : "-e '" + o.program() + "'";
    if (what.length() > 120) what = what.substring(0, 117) + "...";
    return new Pictures.Request(path(o.flameGraph()), path(o.folded()), path(o.heatMap()), "jbpf " + what);
  }

  private static Path path(String s) { return s == null ? null : Path.of(s); }

  /** Writes the pictures once tracing has ended. {@return {@code code}, or 1 if a picture could not be written} */
  private static int writePictures(Pictures pictures, Pictures.Request r, int code, PrintStream stderr) {
    try {
      pictures.write();
    } catch (IOException | java.io.UncheckedIOException e) {
      stderr.println("ERROR: write pictures: " + e.getMessage());
      return 1;
    }
    if ((r.flameGraph() != null || r.folded() != null) && pictures.stacks().isEmpty())
      stderr.println("WARNING: no stacks were recorded: the flame graph is empty");
    if (r.heatMap() != null && pictures.series().isEmpty())
      stderr.println("WARNING: the histograms stayed empty: the heat map has no panel");
    return code;
  }

  /**
   * Links the FFM system-call stub and finds tracefs on the other CPU while this thread compiles the script: in a
   * fresh JVM, linking the downcall takes 30-40 ms that would otherwise come before compiling.
   */
  private static void warmUpKernelAccess() {
    Thread t = new Thread(() -> {
      try {
        jbpf.sys.Sys.getpid();
        jbpf.sys.Cpus.possibleCount();
        jbpf.perf.Tracefs.get();
      } catch (RuntimeException e) {
        // the same call fails again where its error is reported
      }
    }, "jbpf-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** {@return whether this process may load BPF programs} */
  static boolean privilegedQuietly() {
    Set<Capability> caps = Capabilities.effective();
    return caps.contains(Capability.CAP_SYS_ADMIN) || (caps.contains(Capability.CAP_BPF) && caps.contains(Capability.CAP_PERFMON));
  }

  /** Checks, before anything is loaded, that this process may load BPF programs; says what is missing if not. */
  private static boolean privileged(Options o, PrintStream stderr) {
    if (privilegedQuietly()) return true;
    Set<Capability> caps = Capabilities.effective();
    java.util.List<String> have = caps.stream().filter(c -> c == Capability.CAP_BPF || c == Capability.CAP_PERFMON).map(Enum::name).toList();
    stderr.println("ERROR: loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has "
        + (have.isEmpty() ? "none of them." : "only " + String.join(", ", have) + "."));
    stderr.println("HINT: run jbpf as root, e.g. sudo jbpf " + (o.file() != null ? o.file() : "-e '...'"));
    return false;
  }

  /** {@return the text for a verifier rejection, as STYLE.md shows it} */
  static String rejection(ProgramRejectedException e, boolean verbose) {
    VerifierException v = e.verifier();
    StringBuilder b = new StringBuilder();
    b.append("ERROR: the kernel verifier rejected ").append(e.probe()).append(": ").append(v.errno()).append('\n');
    var span = e.span();
    if (span != null) {
      b.append(span).append(": instruction ").append(v.failingInsn().getAsInt()).append(" was generated from here\n");
      b.append(span.excerpt()).append('\n');
    }
    List<String> log = v.log();
    if (verbose) {
      for (String l : log) b.append("verifier: ").append(l).append('\n');
    } else {
      String decisive = v.insnText() != null ? v.insnText() + "  " + v.reason() : v.reason();
      if (decisive != null) b.append("verifier: ").append(decisive).append('\n');
      if (log.size() > 1) b.append("(").append(log.size() - 1).append(" earlier verifier log lines omitted; run with -v for the full log)\n");
    }
    b.append("HINT: jbpf generated code the kernel refused; please report it with the -v output.\n");
    return b.toString();
  }

  static String bpfError(BpfException e) {
    return switch (e) {
      case PermissionException p -> "ERROR: " + p.getMessage() + "\nHINT: run jbpf as root, e.g. sudo jbpf script.bt\n";
      case NotSupportedException n -> "ERROR: " + n.getMessage() + "\n";
      case SyscallException s -> "ERROR: " + s.getMessage() + "\n";
      case VerifierException v -> "ERROR: " + v.getMessage() + "\n";
    };
  }
}
