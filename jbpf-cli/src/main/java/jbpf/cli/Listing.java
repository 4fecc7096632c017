package jbpf.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import jbpf.btf.Btf;
import jbpf.btf.BtfKind;
import jbpf.elf.DwarfFunctions;
import jbpf.elf.UsdtArgument;
import jbpf.elf.UsdtProbe;
import jbpf.features.Features;
import jbpf.lang.probe.PerfCounters;
import jbpf.lang.probe.ProbeArgs;
import jbpf.lang.probe.ProbeResolver;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;
import jbpf.runtime.TracefsKernelInfo;
import jbpf.sys.Feature;

/**
 * {@code jbpf -l [PATTERN]}: the probes that can be attached, one full name per line in sorted order, as bpftrace
 * lists them; with {@code -v}, each probe's arguments with their types under it. Without a pattern it lists
 * tracepoints, raw tracepoints, software and hardware counters, and kprobes and kfuncs where the kernel can attach
 * them; a pattern naming a file ({@code uprobe:/bin/bash:*}, {@code usdt:./app:*}) lists that file's functions or
 * USDT probes, and with {@code -p PID} {@code usdt:*} lists those of every file the process maps. A pattern
 * {@code struct NAME}, {@code union NAME} or {@code enum NAME} lists kernel types from BTF, with {@code -v} their
 * definitions in C.
 */
final class Listing {
  private final KernelInfo kernel;
  private final boolean verbose;
  /** Full probe name → the lines under it with {@code -v}. */
  private final Map<String, List<String>> out = new TreeMap<>();

  private Listing(KernelInfo kernel, boolean verbose) {
    this.kernel = kernel;
    this.verbose = verbose;
  }

  /** Prints the listing {@code o} asks for. {@return the exit code} */
  static int run(Options o, PrintStream stdout, PrintStream stderr) {
    String search = o.listSearch() == null ? "" : o.listSearch().strip();
    if (o.pid() > 0 && ProcessHandle.of(o.pid()).isEmpty()) {
      stderr.println("ERROR: process " + o.pid() + " does not exist");
      return 1;
    }
    Listing l = new Listing(TracefsKernelInfo.live(o.pid() > 0 ? new KernelInfo.Target(o.pid(), false, null) : null), o.verbose() > 0);
    try {
      l.collect(search);
    } catch (KernelInfo.NotFoundException | java.io.UncheckedIOException e) {
      stderr.println("ERROR: " + e.getMessage());
      return 1;
    } catch (jbpf.sys.BpfException e) {
      stderr.print(Main.bpfError(e));
      return 1;
    }
    if (TYPE_SEARCH.matcher(search).matches()) return l.types(search, stdout, stderr);
    StringBuilder b = new StringBuilder();
    for (var e : l.out.entrySet()) {
      b.append(e.getKey()).append('\n');
      for (String line : e.getValue()) b.append("    ").append(line).append('\n');
    }
    stdout.print(b);
    return 0;
  }

  /** A search for kernel types rather than probes: {@code struct task_struct}, {@code union *}, {@code enum e*}. */
  private static final Pattern TYPE_SEARCH = Pattern.compile("(struct|union|enum)\\s+\\S+");

  /**
   * {@code -l 'struct NAME'}: the kernel's types of that kind whose names match the glob, sorted; with {@code -v},
   * each definition in C from BTF, followed by a blank line, as bpftrace prints them. {@return the exit code}
   */
  private int types(String search, PrintStream stdout, PrintStream stderr) {
    String[] parts = search.split("\\s+", 2);
    BtfKind kind = switch (parts[0]) {
      case "struct" -> BtfKind.STRUCT;
      case "union" -> BtfKind.UNION;
      default -> BtfKind.ENUM;
    };
    Optional<BtfTypes> types = kernel.btf();
    if (types.isEmpty()) {
      stderr.println("ERROR: listing kernel types needs the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel does not have");
      return 1;
    }
    Btf btf = types.get().btf();
    StringBuilder b = new StringBuilder();
    for (String name : new TreeSet<>(btf.names(kind, parts[1]))) {
      OptionalInt id = verbose ? btf.findType(kind, name) : OptionalInt.empty();
      if (id.isPresent()) b.append(btf.definition(id.getAsInt())).append("\n");
      else b.append(parts[0]).append(' ').append(name).append('\n');
    }
    stdout.print(b);
    return 0;
  }

  private void collect(String search) throws KernelInfo.NotFoundException {
    int colon = search.indexOf(':');
    if (colon < 0) {
      // A bare pattern searches every listed name, e.g. '*sleep*'.
      Pattern p = Pattern.compile(search.isEmpty() ? ".*" : ProbeResolver.globAll(search));
      for (ProbeType t : List.of(ProbeType.TRACEPOINT, ProbeType.RAWTRACEPOINT, ProbeType.SOFTWARE, ProbeType.HARDWARE,
          ProbeType.KPROBE, ProbeType.KFUNC)) {
        provider(t, p, true);
      }
      return;
    }
    String provider = search.substring(0, colon);
    String rest = search.substring(colon + 1);
    ProbeType type = ProbeType.ofProvider(provider);
    if (type == null) {
      // a wildcard provider such as 't*:sched:*' or '*:vfs_read'
      Pattern prov = Pattern.compile(ProbeResolver.globAll(provider));
      for (ProbeType t : List.of(ProbeType.TRACEPOINT, ProbeType.RAWTRACEPOINT, ProbeType.SOFTWARE, ProbeType.HARDWARE,
          ProbeType.KPROBE, ProbeType.KFUNC)) {
        if (prov.matcher(t.canonical()).matches()) provider(t, Pattern.compile(ProbeResolver.globAll(t.canonical() + ":" + rest)), true);
      }
      return;
    }
    switch (type) {
      case UPROBE, URETPROBE, USDT -> userProbes(type, rest);
      default -> provider(type, Pattern.compile(ProbeResolver.globAll(type.canonical() + ":" + rest)), false);
    }
  }

  /** Lists the probes of {@code type} whose full name {@code p} matches; {@code quiet} skips what the kernel lacks. */
  private void provider(ProbeType type, Pattern p, boolean quiet) {
    switch (type) {
      case TRACEPOINT -> {
        for (String tp : kernel.tracepoints()) {
          String name = "tracepoint:" + tp;
          if (!p.matcher(name).matches()) continue;
          int c = tp.indexOf(':');
          add(name, verbose ? tracepointArgs(tp.substring(0, c), tp.substring(c + 1)) : List.of());
        }
      }
      case RAWTRACEPOINT -> {
        Optional<BtfTypes> btf = kernel.btf();
        if (btf.isEmpty()) return;
        for (String tp : btf.get().btf().rawTracepoints("*")) {
          String name = "rawtracepoint:" + tp;
          if (!p.matcher(name).matches()) continue;
          add(name, verbose ? args(ProbeArgs.rawTracepoint(btf.get(), tp)) : List.of());
        }
      }
      case SOFTWARE, HARDWARE -> {
        for (PerfCounters.Counter c : type == ProbeType.SOFTWARE ? PerfCounters.software() : PerfCounters.hardware()) {
          String name = type.canonical() + ":" + c.name() + ":";
          if (p.matcher(name).matches() || p.matcher(type.canonical() + ":" + c.name()).matches()) add(name, List.of());
        }
      }
      case KPROBE, KRETPROBE -> {
        if (!available(Feature.KPROBES, quiet)) return;
        for (KernelInfo.KernelFunction f : kernel.kprobeFunctions()) {
          String name = type.canonical() + ":" + f.name();
          if (p.matcher(name).matches() || (f.module() != null && p.matcher(type.canonical() + ":" + f.module() + ":" + f.name()).matches()))
            add(name, List.of());
        }
      }
      case KFUNC, KRETFUNC -> {
        if (!available(Feature.FENTRY, quiet)) return;
        Optional<BtfTypes> btf = kernel.btf();
        if (btf.isEmpty()) return;
        for (String f : btf.get().btf().names(BtfKind.FUNC, "*")) {
          String name = type.canonical() + ":" + f;
          if (!p.matcher(name).matches()) continue;
          add(name, verbose ? args(ProbeArgs.kfunc(btf.get(), f, true)) : List.of());
        }
      }
      case BEGIN, END, PROFILE, INTERVAL, WATCHPOINT, ASYNCWATCHPOINT, ITER, UPROBE, URETPROBE, USDT -> {}
    }
  }

  /**
   * {@return whether the kernel has {@code feature}}: when a pattern names the probe type and the kernel lacks it, the
   * listing fails with the reason rather than list probes that cannot be attached
   */
  private static boolean available(Feature feature, boolean quiet) {
    var missing = Features.check(feature);
    if (missing.isEmpty()) return true;
    if (quiet) return false;
    throw missing.get();
  }

  /** {@code uprobe:FILE:FUNCTIONS} or {@code usdt:FILE:PROVIDER:NAME}; with a target process, {@code usdt:*} too. */
  private void userProbes(ProbeType type, String rest) throws KernelInfo.NotFoundException {
    int colon = rest.indexOf(':');
    String file = colon < 0 ? rest : rest.substring(0, colon);
    String what = colon < 0 ? "*" : rest.substring(colon + 1);
    List<String> files = new ArrayList<>();
    int pid = kernel.target().map(KernelInfo.Target::pid).orElse(0);
    if ((file.isEmpty() || file.equals("*")) && pid > 0) files.addAll(kernel.mappedFiles(pid));
    else if (file.isEmpty() || file.equals("*"))
      throw new KernelInfo.NotFoundException("listing " + type.canonical() + " probes needs a file, e.g. -l '" + type.canonical() + ":/bin/bash:*', or -p PID");
    else files.addAll(kernel.binaries(file, pid));
    for (String f : files) {
      String shown = ProbeResolver.shown(file, f);
      if (type == ProbeType.USDT) {
        Pattern p = Pattern.compile(ProbeResolver.globAll(what.contains(":") ? what : "*:" + what));
        for (UsdtProbe u : kernel.usdtProbes(f)) {
          if (!p.matcher(u.provider() + ":" + u.name()).matches()) continue;
          add("usdt:" + shown + ":" + u.provider() + ":" + u.name(), verbose ? usdtArgs(u) : List.of());
        }
      } else {
        for (KernelInfo.UserFunction fn : kernel.userFunctions(f, what)) {
          // bpftrace lists symbols as stored; -v adds the parameters DWARF describes, or else the demangled name of a
          // C++ or Rust symbol, which jbpf accepts too
          List<String> lines = List.of();
          if (verbose) {
            var params = kernel.userParameters(f, fn.fileOffset());
            if (params.isPresent()) {
              lines = new ArrayList<>();
              for (DwarfFunctions.Param p : params.get()) lines.add(DwarfFunctions.cName(p.type()) + " " + p.name());
            } else if (!fn.demangled().equals(fn.symbol())) {
              lines = List.of(fn.demangled());
            }
          }
          add(type.canonical() + ":" + shown + ":" + fn.symbol(), lines);
        }
      }
    }
  }

  private void add(String name, List<String> lines) {
    List<String> old = out.putIfAbsent(name, lines);
    if (old != null && old.isEmpty() && !lines.isEmpty()) out.put(name, lines);
  }

  /** The fields of a tracepoint as its format file declares them, e.g. {@code const char * filename}, {@code char comm[16]}. */
  private List<String> tracepointArgs(String category, String event) {
    Optional<TracepointFormat> f = kernel.tracepointFormat(category, event);
    if (f.isEmpty()) return List.of();
    List<String> lines = new ArrayList<>();
    for (TracepointFormat.TracepointField field : f.get().fields()) {
      if (field.common()) continue;
      String t = field.ctype();
      int bracket = t.indexOf('[');
      if (bracket > 0 && !field.dataLoc()) lines.add(t.substring(0, bracket).strip() + " " + field.name() + t.substring(bracket));
      else lines.add(t + " " + field.name());
    }
    return lines;
  }

  private static List<String> args(Optional<List<ProbeArgs.Arg>> args) {
    List<String> lines = new ArrayList<>();
    for (ProbeArgs.Arg a : args.orElse(List.of())) lines.add(a.cType() + " " + a.name());
    return lines;
  }

  /** USDT arguments have no names: {@code arg0}… with the type their size and sign give, and where they are. */
  private static List<String> usdtArgs(UsdtProbe u) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < u.arguments().size(); i++) {
      UsdtArgument a = u.arguments().get(i);
      lines.add((a.signed() ? "int" : "uint") + a.size() * 8 + " arg" + i);
    }
    return lines;
  }
}
