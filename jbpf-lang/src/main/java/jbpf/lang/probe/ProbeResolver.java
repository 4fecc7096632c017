package jbpf.lang.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.types.KernelInfo;
import jbpf.source.Diagnostic;

/** Turns an attach point as written into the concrete places it names, expanding wildcards. */
public final class ProbeResolver {
  private final KernelInfo kernel;

  public ProbeResolver(KernelInfo kernel) { this.kernel = kernel; }

  /** The places an attach point names, or the diagnostic saying why it names none. */
  public record Result(List<Attach> attaches, Diagnostic error) {
    static Result of(List<Attach> a) { return new Result(List.copyOf(a), null); }
    static Result error(Diagnostic d) { return new Result(List.of(), d); }
  }

  /** {@return the concrete attach points of {@code ap}} */
  public Result resolve(AttachPoint ap) {
    ProbeType type = ProbeType.ofProvider(ap.provider());
    if (type == null) return Result.error(Diagnostic.error(ap.span(), "Invalid probe type: " + ap.provider()));
    List<String> p = ap.parts();
    return switch (type) {
      case BEGIN, END -> p.size() == 1 ? Result.of(List.of(new Attach.Special(type)))
          : Result.error(Diagnostic.error(ap.span(), type.canonical() + " probes take no arguments"));
      case TRACEPOINT -> tracepoint(ap);
      case INTERVAL, PROFILE -> timer(ap, type);
      case RAWTRACEPOINT, KPROBE, KRETPROBE, UPROBE, URETPROBE, USDT, SOFTWARE, HARDWARE, WATCHPOINT,
           ASYNCWATCHPOINT, KFUNC, KRETFUNC, ITER ->
          Result.error(Diagnostic.error(ap.span(), type.canonical() + " probes are not supported yet"));
    };
  }

  private Result tracepoint(AttachPoint ap) {
    List<String> p = ap.parts();
    if (p.size() != 3 || p.get(1).isEmpty() || p.get(2).isEmpty())
      return Result.error(Diagnostic.error(ap.span(), "tracepoint probe must have 2 arguments: tracepoint:CATEGORY:EVENT"));
    String cat = p.get(1), ev = p.get(2);
    List<Attach> out = new ArrayList<>();
    if (!hasWildcard(cat) && !hasWildcard(ev)) {
      if (kernel.tracepointFormat(cat, ev).isEmpty())
        return Result.error(Diagnostic.error(ap.span(), "tracepoint not found: " + cat + ":" + ev));
      out.add(new Attach.Tracepoint(cat, ev));
      return Result.of(out);
    }
    Pattern pat = Pattern.compile(glob(cat) + ":" + glob(ev));
    for (String tp : kernel.tracepoints()) {
      if (!pat.matcher(tp).matches()) continue;
      int colon = tp.indexOf(':');
      out.add(new Attach.Tracepoint(tp.substring(0, colon), tp.substring(colon + 1)));
    }
    if (out.isEmpty()) return Result.error(Diagnostic.error(ap.span(), "No probes matched: " + ap.raw()));
    return Result.of(out);
  }

  private static Result timer(AttachPoint ap, ProbeType type) {
    List<String> p = ap.parts();
    String unit;
    String count;
    if (p.size() == 3) {
      unit = p.get(1);
      count = p.get(2);
    } else if (p.size() == 2) {
      var m = Pattern.compile("(\\d+)([a-z]+)").matcher(p.get(1));
      if (!m.matches()) return Result.error(Diagnostic.error(ap.span(), type.canonical() + " probe must be " + type.canonical() + ":UNIT:N, e.g. " + type.canonical() + ":s:1"));
      count = m.group(1);
      unit = m.group(2);
    } else {
      return Result.error(Diagnostic.error(ap.span(), type.canonical() + " probe must be " + type.canonical() + ":UNIT:N, e.g. " + type.canonical() + ":s:1"));
    }
    long n;
    try {
      n = Long.parseLong(count);
    } catch (NumberFormatException e) {
      return Result.error(Diagnostic.error(ap.span(), "Invalid rate of " + type.canonical() + " probe: " + count));
    }
    if (n <= 0) return Result.error(Diagnostic.error(ap.span(), type.canonical() + " rate must be positive: " + count));
    long nanos = switch (unit) {
      case "s" -> n * 1_000_000_000L;
      case "ms" -> n * 1_000_000L;
      case "us" -> n * 1_000L;
      case "ns" -> n;
      case "hz" -> 0;
      default -> -1;
    };
    if (nanos < 0) return Result.error(Diagnostic.error(ap.span(), "Invalid time unit of " + type.canonical() + " probe: " + unit));
    String spec = p.size() == 3 ? unit + ":" + count : p.get(1);
    return Result.of(List.of(new Attach.Timer(type, spec, nanos, unit.equals("hz") ? n : 0)));
  }

  /** {@return whether {@code s} has a shell wildcard} */
  public static boolean hasWildcard(String s) { return s.indexOf('*') >= 0 || s.indexOf('?') >= 0; }

  /** {@return a regular expression matching what the shell-style {@code glob} matches} */
  public static String glob(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> b.append("[^:]*");
        case '?' -> b.append("[^:]");
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
