package jbpf.lang.probe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jbpf.btf.Btf;
import jbpf.btf.BtfKind;
import jbpf.elf.UsdtProbe;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.AttachTargets.NotFoundException;
import jbpf.lang.types.AttachTargets.UserFunction;
import jbpf.source.Diagnostic;

/** Turns an attach point as written into the concrete places it names, expanding wildcards. */
public final class ProbeResolver {
  private final KernelInfo kernel;
  private final boolean unsafe;
  /** A warning about the attach point being resolved, or null. */
  private String warning;

  public ProbeResolver(KernelInfo kernel) { this(kernel, false); }

  /** A resolver that, when {@code unsafe} ({@code --unsafe}), attaches uprobes where instruction boundaries are unknown. */
  public ProbeResolver(KernelInfo kernel, boolean unsafe) {
    this.kernel = kernel;
    this.unsafe = unsafe;
  }

  /**
   * The places an attach point names, or the diagnostic saying why it names none.
   *
   * @param warning a warning about places kept although they may not attach, or null
   */
  public record Result(List<Attach> attaches, Diagnostic error, Diagnostic warning) {
    static Result of(List<Attach> a) { return new Result(List.copyOf(a), null, null); }
    static Result error(Diagnostic d) { return new Result(List.of(), d, null); }
  }

  /** Thrown inside the resolver to end with a diagnostic; never escapes {@link #resolve}. */
  private static final class Refusal extends Exception {
    final String hint;

    Refusal(String message) { this(message, null); }

    Refusal(String message, String hint) {
      super(message, null, false, false);
      this.hint = hint;
    }
  }

  /** {@return the concrete attach points of {@code ap}, the only attach point of its probe} */
  public Result resolve(AttachPoint ap) { return resolve(ap, false); }

  /**
   * {@return the concrete attach points of {@code ap}}. When {@code oneOfSeveral} (its probe has other attach
   * points), a tracepoint that does not exist is a warning, and it is kept to be skipped when attaching, as
   * bpftrace 0.17 does.
   */
  public Result resolve(AttachPoint ap, boolean oneOfSeveral) {
    warning = null;
    ProbeType type = ProbeType.ofProvider(ap.provider());
    if (type == null) return Result.error(Diagnostic.error(ap.span(), "Invalid probe type: " + ap.provider()));
    if (type == ProbeType.TRACEPOINT && oneOfSeveral) {
      Attach.Tracepoint missing = missingTracepoint(ap);
      if (missing != null)
        return new Result(List.of(missing), null, Diagnostic.warning(ap.span(), "tracepoint not found: " + missing.category() + ":" + missing.event()));
    }
    try {
      List<Attach> out = switch (type) {
        case BEGIN, END -> {
          if (ap.parts().size() != 1) throw new Refusal(type.canonical() + " probes take no arguments");
          yield List.of(new Attach.Special(type));
        }
        case TRACEPOINT -> tracepoint(ap);
        case INTERVAL, PROFILE -> List.of(timer(ap, type));
        case RAWTRACEPOINT -> rawTracepoint(ap);
        case KPROBE, KRETPROBE -> kprobe(ap, type);
        case KFUNC, KRETFUNC -> kfunc(ap, type);
        case UPROBE, URETPROBE -> uprobe(ap, type);
        case USDT -> usdt(ap);
        case SOFTWARE, HARDWARE -> List.of(perfCounter(ap, type));
        case WATCHPOINT, ASYNCWATCHPOINT -> List.of(watchpoint(ap, type));
        case ITER -> throw new Refusal("iter probes are not supported");
      };
      if (out.isEmpty()) throw new Refusal("No probes matched: " + ap.raw());
      return warning == null ? Result.of(out) : new Result(List.copyOf(out), null, Diagnostic.warning(ap.span(), warning));
    } catch (Refusal r) {
      return Result.error(Diagnostic.error(ap.span(), r.getMessage()).withHint(r.hint));
    }
  }

  // ---- tracepoints and timers ----------------------------------------------------------------------------

  private List<Attach> tracepoint(AttachPoint ap) throws Refusal {
    List<String> p = ap.parts();
    if (p.size() != 3 || p.get(1).isEmpty() || p.get(2).isEmpty())
      throw new Refusal("tracepoint probe must have 2 arguments: tracepoint:CATEGORY:EVENT");
    String cat = p.get(1), ev = p.get(2);
    List<Attach> out = new ArrayList<>();
    if (!hasWildcard(cat) && !hasWildcard(ev)) {
      if (kernel.tracepointFormat(cat, ev).isEmpty()) throw new Refusal("tracepoint not found: " + cat + ":" + ev);
      out.add(new Attach.Tracepoint(cat, ev));
      return out;
    }
    Pattern pat = Pattern.compile(glob(cat) + ":" + glob(ev));
    for (String tp : kernel.tracepoints()) {
      if (!pat.matcher(tp).matches()) continue;
      int colon = tp.indexOf(':');
      out.add(new Attach.Tracepoint(tp.substring(0, colon), tp.substring(colon + 1)));
    }
    return out;
  }

  /** {@return the tracepoint {@code ap} names without wildcards, if the kernel has no such tracepoint; else null} */
  private Attach.Tracepoint missingTracepoint(AttachPoint ap) {
    List<String> p = ap.parts();
    if (p.size() != 3 || p.get(1).isEmpty() || p.get(2).isEmpty() || hasWildcard(p.get(1)) || hasWildcard(p.get(2))) return null;
    return kernel.tracepointFormat(p.get(1), p.get(2)).isEmpty() ? new Attach.Tracepoint(p.get(1), p.get(2)) : null;
  }

  private static Attach timer(AttachPoint ap, ProbeType type) throws Refusal {
    List<String> p = ap.parts();
    String usage = type.canonical() + " probe must be " + type.canonical() + ":UNIT:N, e.g. " + type.canonical() + ":s:1";
    String unit;
    String count;
    if (p.size() == 3) {
      unit = p.get(1);
      count = p.get(2);
    } else if (p.size() == 2) {
      var m = Pattern.compile("(\\d+)([a-z]+)").matcher(p.get(1));
      if (!m.matches()) throw new Refusal(usage);
      count = m.group(1);
      unit = m.group(2);
    } else {
      throw new Refusal(usage);
    }
    long n;
    try {
      n = Long.parseLong(count);
    } catch (NumberFormatException e) {
      throw new Refusal("Invalid rate of " + type.canonical() + " probe: " + count);
    }
    if (n <= 0) throw new Refusal(type.canonical() + " rate must be positive: " + count);
    long nanos = switch (unit) {
      case "s" -> n * 1_000_000_000L;
      case "ms" -> n * 1_000_000L;
      case "us" -> n * 1_000L;
      case "ns" -> n;
      case "hz" -> 0;
      default -> -1;
    };
    if (nanos < 0) throw new Refusal("Invalid time unit of " + type.canonical() + " probe: " + unit);
    String spec = p.size() == 3 ? unit + ":" + count : p.get(1);
    return new Attach.Timer(type, spec, nanos, unit.equals("hz") ? n : 0);
  }

  private static Attach perfCounter(AttachPoint ap, ProbeType type) throws Refusal {
    List<String> p = ap.parts();
    String kind = type.canonical();
    if (p.size() < 2 || p.size() > 3 || p.get(1).isEmpty())
      throw new Refusal(kind + " probe must be " + kind + ":EVENT or " + kind + ":EVENT:COUNT, e.g. " + kind + ":"
          + (type == ProbeType.SOFTWARE ? "page-faults:100" : "cache-misses:1000000"));
    PerfCounters.Counter c = PerfCounters.find(type == ProbeType.HARDWARE, p.get(1)).orElseThrow(() -> new Refusal(
        "Invalid " + kind + " event: " + p.get(1) + " (try: " + String.join(", ",
            (type == ProbeType.HARDWARE ? PerfCounters.hardware() : PerfCounters.software()).stream().limit(12)
                .map(PerfCounters.Counter::name).toList()) + (type == ProbeType.HARDWARE ? ", ..." : "") + ")"));
    long period = c.defaultPeriod();
    if (p.size() == 3) {
      period = number(p.get(2), "count of " + kind + " probe");
      if (period <= 0) throw new Refusal("count of " + kind + " probe must be positive: " + p.get(2));
    }
    return new Attach.PerfCounter(type, String.join(":", p.subList(1, p.size())), c, period);
  }

  // ---- kernel functions ------------------------------------------------------------------------------------

  private List<Attach> rawTracepoint(AttachPoint ap) throws Refusal {
    List<String> p = ap.parts();
    // rawtracepoint:NAME, or rawtracepoint:MODULE:NAME as newer bpftrace writes it (module BTF is not read: any module)
    if (p.size() < 2 || p.size() > 3 || p.getLast().isEmpty()) throw new Refusal("rawtracepoint probe must be rawtracepoint:NAME");
    String name = p.getLast();
    Optional<Btf> btf = kernel.btf().map(BtfTypes::btf);
    List<Attach> out = new ArrayList<>();
    if (btf.isEmpty()) {
      if (hasWildcard(name)) throw new Refusal("rawtracepoint wildcards need the kernel's BTF (/sys/kernel/btf/vmlinux)");
      out.add(new Attach.RawTracepoint(name));
      return out;
    }
    List<String> names = btf.get().rawTracepoints(name.replace('?', '*'));
    Pattern pat = Pattern.compile(glob(name));
    for (String n : names) if (pat.matcher(n).matches()) out.add(new Attach.RawTracepoint(n));
    if (out.isEmpty() && !hasWildcard(name)) throw new Refusal("rawtracepoint not found: " + name);
    return out;
  }

  private List<Attach> kprobe(AttachPoint ap, ProbeType type) throws Refusal {
    List<String> p = ap.parts();
    String kind = type.canonical();
    if (p.size() < 2 || p.size() > 3 || p.getLast().isEmpty())
      throw new Refusal(kind + " probe must be " + kind + ":FUNCTION or " + kind + ":MODULE:FUNCTION");
    String module = p.size() == 3 ? p.get(1) : null;
    String target = p.getLast();
    List<Attach> out = new ArrayList<>();
    if (target.startsWith("0x") && module == null) {
      if (type == ProbeType.KRETPROBE) throw new Refusal("kretprobe probes cannot attach to an address");
      out.add(new Attach.Kprobe(type, null, null, 0, number(target, "kprobe address")));
      return out;
    }
    long offset = 0;
    int plus = target.indexOf('+');
    if (plus >= 0) {
      if (type == ProbeType.KRETPROBE) throw new Refusal("Offset not allowed for kretprobe probes: " + target);
      offset = number(target.substring(plus + 1), "kprobe offset");
      target = target.substring(0, plus);
      if (hasWildcard(target)) throw new Refusal("Offset not allowed with wildcards: " + p.getLast());
    }
    if (!hasWildcard(target) && (module == null || !hasWildcard(module))) {
      out.add(new Attach.Kprobe(type, module, target, offset, 0));
      return out;
    }
    Pattern fn = Pattern.compile(globAll(target));
    Pattern mod = module == null ? null : Pattern.compile(globAll(module));
    Set<String> seen = new LinkedHashSet<>();
    for (KernelInfo.KernelFunction f : kernel.kprobeFunctions()) {
      if (!fn.matcher(f.name()).matches()) continue;
      if (mod != null && (f.module() == null ? !mod.matcher("vmlinux").matches() : !mod.matcher(f.module()).matches())) continue;
      if (!seen.add(f.name())) continue;
      out.add(new Attach.Kprobe(type, module == null ? null : f.module() == null ? "vmlinux" : f.module(), f.name(), 0, 0));
    }
    return out;
  }

  private List<Attach> kfunc(AttachPoint ap, ProbeType type) throws Refusal {
    List<String> p = ap.parts();
    String kind = type.canonical();
    if (p.size() < 2 || p.size() > 3 || p.getLast().isEmpty())
      throw new Refusal(kind + " probe must be " + kind + ":FUNCTION or " + kind + ":MODULE:FUNCTION");
    String module = p.size() == 3 ? p.get(1) : null;
    String target = p.getLast();
    Btf btf = kernel.btf().map(BtfTypes::btf).orElseThrow(() -> new Refusal(kind + " probes need the kernel's BTF, and /sys/kernel/btf/vmlinux is missing"));
    List<Attach> out = new ArrayList<>();
    if (!hasWildcard(target)) {
      if (btf.findType(BtfKind.FUNC, target).isEmpty()) throw new Refusal("No BTF found for " + target + ": it is no kernel function " + kind + " can attach to");
      out.add(new Attach.Kfunc(type, module, target));
      return out;
    }
    for (String f : btf.names(BtfKind.FUNC, target.replace('?', '*'))) {
      if (Pattern.matches(globAll(target), f)) out.add(new Attach.Kfunc(type, module, f));
    }
    return out;
  }

  // ---- user programs ---------------------------------------------------------------------------------------

  private int pid() { return kernel.target().map(KernelInfo.Target::pid).orElse(0); }

  /** {@return the program the target process runs, for probes that name no file} */
  private String targetProgram(String what) throws Refusal {
    KernelInfo.Target t = kernel.target().orElseThrow(() -> new Refusal(what + " names no file: give one, or -p PID or -c CMD"));
    return t.program() != null ? t.program() : "/proc/" + t.pid() + "/exe";
  }

  private List<Attach> uprobe(AttachPoint ap, ProbeType type) throws Refusal {
    List<String> p = ap.parts();
    String kind = type.canonical();
    if (p.size() < 2) throw new Refusal(kind + " probe must be " + kind + ":BINARY:FUNCTION, e.g. " + kind + ":/bin/bash:readline");
    String binary;
    List<String> rest;
    if (p.size() == 2) {
      binary = targetProgram(kind + ":" + p.get(1));
      rest = p.subList(1, 2);
    } else {
      binary = p.get(1);
      rest = p.subList(2, p.size());
    }
    // A C++ name written without quotes was split at its "::"; "cpp:" marks the language, as in bpftrace.
    if (rest.size() > 1 && rest.getFirst().equals("cpp")) rest = rest.subList(1, rest.size());
    String target = String.join(":", rest);
    if (binary.isEmpty() || target.isEmpty()) throw new Refusal(kind + " probe must be " + kind + ":BINARY:FUNCTION");
    List<Attach> out = new ArrayList<>();
    for (String path : binaries(binary)) {
      out.addAll(uprobesIn(type, path, shown(binary, path), target));
    }
    return out;
  }

  private List<String> binaries(String binary) throws Refusal {
    // A -c command has not run its program yet: the libraries it will map are not those its shell maps now.
    int pid = kernel.target().filter(t -> !t.child()).map(KernelInfo.Target::pid).orElse(0);
    try {
      return kernel.binaries(binary, pid);
    } catch (NotFoundException e) {
      throw new Refusal(e.getMessage());
    }
  }

  private List<Attach.Uprobe> uprobesIn(ProbeType type, String path, String shown, String target) throws Refusal {
    List<Attach.Uprobe> out = new ArrayList<>();
    try {
      if (target.startsWith("0x") || (!target.isEmpty() && Character.isDigit(target.charAt(0)))) {
        long address = number(target, "uprobe address");
        Optional<UserFunction> fn = kernel.userAddress(path, address);
        String hex = "0x" + Long.toHexString(address);
        if (fn.isEmpty()) throw new Refusal("Could not resolve address: " + shown + ":" + hex + " (no loadable segment of the file holds it)");
        UserFunction f = fn.get();
        if (f.symbol().isEmpty()) {
          // bpftrace 0.17 words both as it does; without a function around the address, no instruction boundary is known
          if (!unsafe) throw new Refusal("Could not resolve address: " + shown + ":" + hex,
              "no function symbol holds the address, so whether an instruction starts there is unknown; --unsafe attaches there anyway");
          warning = "Could not determine instruction boundary for " + type.canonical() + ":" + shown + ":" + target
              + " (binary appears stripped). Misaligned probes can lead to tracee crashes!";
        }
        long fileOffset = f.fileOffset() + (address - f.address());
        if (!f.symbol().isEmpty() && address != f.address() && !kernel.instructionBoundary(path, f.fileOffset(), address - f.address()))
          throw new Refusal("Could not add uprobe into middle of instruction: " + shown + ":" + target);
        String func = f.symbol().isEmpty() ? target : f.demangled();
        out.add(new Attach.Uprobe(type, path, shown, target, func, 0, fileOffset, pid()));
        return out;
      }
      long offset = 0;
      String pattern = target;
      int plus = plusOffset(target);
      if (plus >= 0) {
        if (type == ProbeType.URETPROBE) throw new Refusal("Offset not allowed for uretprobe probes: " + target);
        offset = number(target.substring(plus + 1), "uprobe offset");
        pattern = target.substring(0, plus);
        if (hasWildcard(pattern)) throw new Refusal("Offset not allowed with wildcards: " + target);
      }
      List<UserFunction> fns = kernel.userFunctions(path, pattern);
      if (fns.isEmpty() && !hasWildcard(pattern))
        throw new Refusal("Could not resolve symbol: " + shown + ":" + pattern);
      boolean demangledPattern = pattern.contains("::") || pattern.contains("(");
      for (UserFunction f : fns) {
        if (offset != 0 && f.size() > 0 && offset >= f.size())
          throw new Refusal("Offset outside the function bounds: " + shown + ":" + target + " (" + f.symbol() + " is " + f.size() + " bytes)");
        if (offset != 0 && !kernel.instructionBoundary(path, f.fileOffset(), offset))
          throw new Refusal("Could not add uprobe into middle of instruction: " + shown + ":" + target);
        String label = demangledPattern || (!f.demangled().equals(f.symbol()) && !hasWildcard(pattern) && !pattern.equals(f.symbol()))
            ? f.demangled() : f.symbol();
        out.add(new Attach.Uprobe(type, path, shown, label, f.demangled(), offset, f.fileOffset() + offset, pid()));
      }
      return out;
    } catch (NotFoundException e) {
      throw new Refusal(e.getMessage());
    }
  }

  /** {@return the index of the {@code +} of {@code FUNCTION+OFFSET}, or -1; a C++ {@code operator+} is no offset} */
  private static int plusOffset(String target) {
    int plus = target.lastIndexOf('+');
    if (plus <= 0 || plus == target.length() - 1) return -1;
    String off = target.substring(plus + 1);
    return off.matches("(0x[0-9a-fA-F]+|\\d+)") && !target.substring(0, plus).endsWith("operator") ? plus : -1;
  }

  private List<Attach> usdt(AttachPoint ap) throws Refusal {
    List<String> p = ap.parts();
    String usage = "usdt probe must be usdt:BINARY:PROVIDER:NAME, usdt:BINARY:NAME, or with -p or -c usdt:PROVIDER:NAME";
    List<String> files = new ArrayList<>();
    String provider, name;
    if (p.size() == 4) {
      files.addAll(binaries(p.get(1)));
      provider = p.get(2);
      name = p.get(3);
    } else if (p.size() == 3 && looksLikeFile(p.get(1))) {
      files.addAll(binaries(p.get(1)));
      provider = "*";
      name = p.get(2);
    } else if (p.size() == 3 || p.size() == 2) {
      KernelInfo.Target t = kernel.target().orElseThrow(() -> new Refusal(usage));
      if (t.program() != null) files.addAll(binaries(t.program()));
      else files.addAll(kernel.mappedFiles(t.pid()));
      provider = p.size() == 3 ? p.get(1) : "*";
      name = p.getLast();
    } else {
      throw new Refusal(usage);
    }
    if (provider.isEmpty() || name.isEmpty()) throw new Refusal(usage);
    Pattern prov = Pattern.compile(globAll(provider)), nm = Pattern.compile(globAll(name));
    List<Attach> out = new ArrayList<>();
    String written = p.size() == 4 || (p.size() == 3 && looksLikeFile(p.get(1))) ? p.get(1) : null;
    for (String file : files) {
      List<UsdtProbe> probes;
      try {
        probes = kernel.usdtProbes(file);
      } catch (NotFoundException e) {
        if (written != null) throw new Refusal(e.getMessage());
        continue;   // a mapped file that went away or cannot be read has no probes for us
      }
      String shown = written != null ? shown(written, file) : shown("", file);
      for (UsdtProbe u : probes) {
        if (!prov.matcher(u.provider()).matches() || !nm.matcher(u.name()).matches()) continue;
        out.add(new Attach.Usdt(file, shown, u.provider(), u.name(), u.fileOffset(), u.semaphoreOffset(), u.address(), u.arguments(), pid()));
      }
    }
    if (out.isEmpty() && !hasWildcard(provider) && !hasWildcard(name))
      throw new Refusal("usdt probe not found: " + (provider.equals("*") ? "" : provider + ":") + name + " in " + String.join(", ", files));
    return out;
  }

  /**
   * {@return how a probe name shows file {@code path} that {@code written} named: as written if that was a path,
   * else the path found, as the traced process sees it (without {@code /proc/PID/root})}
   */
  public static String shown(String written, String path) {
    if (written.contains("/") && !hasWildcard(written)) return written;
    return path.replaceFirst("^/proc/\\d+/root(?=/)", "");
  }

  private boolean looksLikeFile(String part) {
    if (part.contains("/")) return true;
    if (kernel.target().isPresent()) return false;
    try {
      kernel.binaries(part, 0);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  // ---- watchpoints -----------------------------------------------------------------------------------------

  private Attach watchpoint(AttachPoint ap, ProbeType type) throws Refusal {
    List<String> p = ap.parts();
    String kind = type.canonical();
    if (p.size() != 4) throw new Refusal(kind + " probe must be " + kind + ":ADDRESS:LENGTH:MODE or " + kind + ":FUNCTION+argN:LENGTH:MODE");
    long length = number(p.get(2), kind + " length");
    if (length != 1 && length != 2 && length != 4 && length != 8) throw new Refusal(kind + " length must be 1, 2, 4 or 8 bytes, not " + p.get(2));
    String mode = mode(p.get(3), kind);
    String spec = String.join(":", p.subList(1, 4));
    String where = p.get(1);
    int plus = where.indexOf("+arg");
    if (plus > 0) {
      int arg;
      try {
        arg = Integer.parseInt(where.substring(plus + 4));
      } catch (NumberFormatException e) {
        throw new Refusal("Invalid argument of " + kind + " probe: " + where.substring(plus + 1) + " (expected argN)");
      }
      if (arg < 0 || arg > 5) throw new Refusal(kind + " on a function argument takes arg0 to arg5, not arg" + arg);
      String function = where.substring(0, plus);
      if (kernel.target().isEmpty()) throw new Refusal(kind + " on a function argument needs the process: -p PID or -c CMD");
      String program = targetProgram(kind);
      List<Attach.Uprobe> sites = uprobesIn(ProbeType.UPROBE, binaries(program).getFirst(), program, function);
      if (sites.size() != 1) throw new Refusal(kind + " function " + function + " names " + sites.size() + " functions; name exactly one");
      return new Attach.Watchpoint(type, spec, 0, (int) length, mode, function, arg, sites.getFirst(), pid());
    }
    if (type == ProbeType.ASYNCWATCHPOINT) throw new Refusal("asyncwatchpoint probes watch a function's argument: asyncwatchpoint:FUNCTION+argN:LENGTH:MODE");
    long address = number(where, kind + " address");
    if (address == 0) throw new Refusal(kind + " address must not be 0");
    return new Attach.Watchpoint(type, spec, address, (int) length, mode, null, 0, null, pid());
  }

  /** {@return {@code r}, {@code w}, {@code rw} or {@code x}: the modes a hardware breakpoint can have} */
  private static String mode(String m, String kind) throws Refusal {
    boolean r = false, w = false, x = false;
    for (char c : m.toCharArray()) {
      switch (c) {
        case 'r' -> { if (r) throw new Refusal("Invalid " + kind + " mode: " + m); r = true; }
        case 'w' -> { if (w) throw new Refusal("Invalid " + kind + " mode: " + m); w = true; }
        case 'x' -> { if (x) throw new Refusal("Invalid " + kind + " mode: " + m); x = true; }
        default -> throw new Refusal("Invalid " + kind + " mode: " + m + " (use r, w, rw or x)");
      }
    }
    if (!r && !w && !x) throw new Refusal("Invalid " + kind + " mode: empty (use r, w, rw or x)");
    if (x && (r || w)) throw new Refusal("Invalid " + kind + " mode: " + m + " (hardware cannot watch execution together with reads or writes)");
    return (r ? "r" : "") + (w ? "w" : "") + (x ? "x" : "");
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private static long number(String s, String what) throws Refusal {
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) return Long.parseUnsignedLong(s.substring(2), 16);
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new Refusal("Invalid " + what + ": " + s);
    }
  }

  /** {@return whether {@code s} has a shell wildcard} */
  public static boolean hasWildcard(String s) { return s.indexOf('*') >= 0 || s.indexOf('?') >= 0; }

  /** {@return a regular expression matching what the shell-style {@code glob} matches within one part of a probe} */
  public static String glob(String glob) { return glob(glob, "[^:]"); }

  /** {@return a regular expression matching what {@code glob} matches, where {@code *} may also match colons} */
  public static String globAll(String glob) { return glob(glob, "."); }

  private static String glob(String glob, String any) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> b.append(any).append('*');
        case '?' -> b.append(any);
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
