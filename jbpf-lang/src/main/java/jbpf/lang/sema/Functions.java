package jbpf.lang.sema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import jbpf.lang.ast.Expr;
import jbpf.lang.builtins.Function;
import jbpf.lang.builtins.Function.Clock;
import jbpf.lang.builtins.Function.Read;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.TExpr;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/**
 * Checks the functions that compute a value ({@code str}, {@code ksym}, {@code kstack}, {@code ntop}...) and
 * the statement functions that act in the kernel ({@code signal}, {@code override}), producing
 * {@link TExpr.Call} nodes, or constants for those bpftrace evaluates at compile time ({@code kaddr},
 * {@code uaddr}, {@code cgroupid}, {@code pton}'s bytes).
 */
final class Functions {
  /** The deepest stack a stack map can hold: the kernel's default {@code kernel.perf_event_max_stack}. */
  static final int DEFAULT_STACK_DEPTH = 127;
  /** The most frames bpftrace lets a script ask for. */
  static final int MAX_STACK_DEPTH = 1024;
  /** How many strings {@code join()} reads, and how long each may be (bpftrace's {@code join_argnum}/{@code join_argsize}). */
  static final int JOIN_ARGS = 16, JOIN_ARG_SIZE = 1024;
  static final int AF_INET = 2, AF_INET6 = 10;

  private static final Set<ProbeType> WITH_REGISTERS = EnumSet.of(ProbeType.KPROBE, ProbeType.KRETPROBE, ProbeType.UPROBE,
      ProbeType.URETPROBE, ProbeType.USDT, ProbeType.PROFILE, ProbeType.INTERVAL, ProbeType.SOFTWARE, ProbeType.HARDWARE,
      ProbeType.WATCHPOINT, ProbeType.ASYNCWATCHPOINT);
  private static final Set<ProbeType> SIGNAL = EnumSet.of(ProbeType.KPROBE, ProbeType.KRETPROBE, ProbeType.UPROBE,
      ProbeType.URETPROBE, ProbeType.USDT, ProbeType.TRACEPOINT, ProbeType.PROFILE, ProbeType.KFUNC, ProbeType.KRETFUNC,
      ProbeType.RAWTRACEPOINT);
  private static final Set<ProbeType> USER = EnumSet.of(ProbeType.UPROBE, ProbeType.URETPROBE, ProbeType.USDT);
  private static final Set<ProbeType> TRACING = EnumSet.of(ProbeType.KFUNC, ProbeType.KRETFUNC);

  /** struct pt_regs, arch/x86/include/asm/ptrace.h: byte offsets of the registers {@code reg()} names. */
  private static final Map<String, Integer> X86_64_REGISTERS = Map.ofEntries(
      Map.entry("r15", 0), Map.entry("r14", 8), Map.entry("r13", 16), Map.entry("r12", 24), Map.entry("bp", 32),
      Map.entry("bx", 40), Map.entry("r11", 48), Map.entry("r10", 56), Map.entry("r9", 64), Map.entry("r8", 72),
      Map.entry("ax", 80), Map.entry("cx", 88), Map.entry("dx", 96), Map.entry("si", 104), Map.entry("di", 112),
      Map.entry("orig_ax", 120), Map.entry("ip", 128), Map.entry("cs", 136), Map.entry("flags", 144), Map.entry("sp", 152),
      Map.entry("ss", 160));
  static final int PT_REGS_CS = 136;

  /** Signal numbers of x86-64 Linux, as {@code kill -l} names them. */
  private static final List<String> SIGNALS = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
      "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
      "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

  private final Analyzer an;

  Functions(Analyzer an) { this.an = an; }

  /** {@return whether {@code name} is a function this class checks} */
  static boolean handles(String name) {
    return switch (name) {
      case "str", "buf", "ksym", "usym", "kaddr", "uaddr", "ntop", "pton", "macaddr", "reg", "kstack", "ustack", "nsecs",
           "strftime", "cgroup_path", "cgroupid", "signal", "override", "strncmp", "strcontains", "bswap", "len", "path",
           "uptr", "kptr", "skboutput", "strerror" -> true;
      default -> false;
    };
  }

  /** {@return whether {@code name} is a function that returns nothing and so stands as a statement} */
  static boolean isStatement(String name) {
    return name.equals("signal") || name.equals("override");
  }

  /** {@return the typed call, or {@code null} after reporting an error} */
  TExpr call(Expr.Call c) {
    List<Expr> a = c.args();
    Span span = c.span();
    return switch (c.name()) {
      case "str" -> str(c);
      case "buf" -> buf(c);
      case "ksym", "usym" -> {
        if (!count(c, 1, 1)) yield null;
        TExpr x = an.expr(a.getFirst());
        if (x == null) yield null;
        if (!Analyzer.isIntegral(x.type()) && !(x.type() instanceof Type.Ptr)) {
          an.error(span, c.name() + "() expects an integer or pointer argument");
          yield null;
        }
        boolean user = c.name().equals("usym");
        yield new TExpr.Call(user ? Function.USYM : Function.KSYM, List.of(u64(x)), 0,
            new Type.Resolved(user ? Type.ResolvedKind.USYM : Type.ResolvedKind.KSYM), span);
      }
      case "kaddr" -> {
        String name = literal(c, 0);
        if (name == null) yield null;
        OptionalLong addr = an.kernel.kernelSymbol(name);
        if (addr.isEmpty()) {
          an.error(span, "Failed to resolve kernel symbol: " + name, "kaddr() looks names up in /proc/kallsyms");
          yield null;
        }
        yield new TExpr.Const(addr.getAsLong(), Type.UINT64, span);
      }
      case "uaddr" -> uaddr(c);
      case "ntop" -> ntop(c);
      case "pton" -> pton(c);
      case "macaddr" -> macaddr(c);
      case "reg" -> {
        String name = literal(c, 0);
        if (name == null || !allowed(c, WITH_REGISTERS)) yield null;
        Integer off = X86_64_REGISTERS.get(name);
        if (off == null) {
          an.error(span, "'" + name + "' is not a valid register on this architecture (x86_64)");
          yield null;
        }
        yield new TExpr.Call(Function.REG, List.of(), off, Type.UINT64, span);
      }
      case "kstack", "ustack" -> stack(c);
      case "nsecs" -> nsecs(c);
      case "strftime" -> {
        if (!count(c, 2, 2)) yield null;
        String fmt = literal(c, 0);
        TExpr ns = an.expr(a.get(1));
        if (fmt == null || ns == null) yield null;
        if (!Analyzer.isIntegral(ns.type())) {
          an.error(span, "strftime() only supports integer arguments (" + Functions.kindName(ns.type()) + " provided)");
          yield null;
        }
        yield new TExpr.Call(Function.STRFTIME, List.of(u64(ns)), 0, new Type.Resolved(Type.ResolvedKind.TIMESTAMP, fmt), span);
      }
      case "strerror" -> {
        if (!count(c, 1, 1)) yield null;
        TExpr n = an.expr(a.getFirst());
        if (n == null) yield null;
        if (!Analyzer.isIntegral(n.type())) {
          an.error(span, "strerror() only supports integer arguments (" + Functions.kindName(n.type()) + " provided)");
          yield null;
        }
        yield new TExpr.Call(Function.STRERROR, List.of(u64(n)), 0, new Type.Resolved(Type.ResolvedKind.ERRNO), span);
      }
      case "cgroup_path" -> {
        if (!count(c, 1, 2)) yield null;
        TExpr id = an.expr(a.getFirst());
        String filter = a.size() == 2 ? literal(c, 1) : "*";
        if (id == null || filter == null) yield null;
        if (!Analyzer.isIntegral(id.type())) {
          an.error(span, "cgroup_path() only supports integer arguments (" + Functions.kindName(id.type()) + " provided)");
          yield null;
        }
        yield new TExpr.Call(Function.CGROUP_PATH, List.of(u64(id)), 0, new Type.Resolved(Type.ResolvedKind.CGROUP_PATH, filter), span);
      }
      case "cgroupid" -> {
        String path = literal(c, 0);
        if (path == null) yield null;
        OptionalLong id = an.kernel.cgroupId(path);
        if (id.isEmpty()) {
          an.error(span, "Failed to get `cgroupid` for path: \"" + path + "\"",
              "cgroupid() takes the path of a cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice");
          yield null;
        }
        yield new TExpr.Const(id.getAsLong(), Type.UINT64, span);
      }
      case "signal" -> signal(c);
      case "override" -> {
        boolean ok = unsafe(c);
        ok &= count(c, 1, 1);
        if (!ok) yield null;
        for (Attach at : an.attaches) {
          if (at.type() != ProbeType.KPROBE) {
            an.error(span, "override can only be used with kprobes.");
            yield null;
          }
        }
        TExpr rc = an.expr(a.getFirst());
        if (rc == null) yield null;
        if (!Analyzer.isIntegral(rc.type())) {
          an.error(span, "override() only supports integer arguments (" + Functions.kindName(rc.type()) + " provided)");
          yield null;
        }
        yield new TExpr.Call(Function.OVERRIDE, List.of(u64(rc)), 0, Type.VOID, span);
      }
      case "strncmp" -> {
        if (!count(c, 3, 3)) yield null;
        TExpr l = an.expr(a.get(0)), r = an.expr(a.get(1));
        if (l == null || r == null) yield null;
        for (TExpr s : List.of(l, r)) {
          if (!(s.type() instanceof Type.Str)) {
            an.error(span, "strncmp() only supports string arguments (" + kindName(s.type()) + " provided)");
            yield null;
          }
        }
        // A literal, or anything that folds to one: a positional parameter ($1), an enum value, a #define.
        TExpr n = an.expr(a.get(2));
        if (!(n instanceof TExpr.Const(long len, Type nt, Span ns)) || len < 0) {
          an.error(span, "strncmp() expects a integer literal (" + (n == null ? "none" : kindName(n.type())) + " provided)");
          yield null;
        }
        yield new TExpr.Call(Function.STRNCMP, List.of(l, r), len, Type.UINT64, span);
      }
      case "strcontains" -> {
        if (!count(c, 2, 2)) yield null;
        TExpr h = an.expr(a.get(0)), n = an.expr(a.get(1));
        if (h == null || n == null) yield null;
        for (TExpr s : List.of(h, n)) {
          if (!(s.type() instanceof Type.Str)) {
            an.error(span, "strcontains() only supports string arguments (" + kindName(s.type()) + " provided)");
            yield null;
          }
        }
        yield new TExpr.Call(Function.STRCONTAINS, List.of(h, n), 0, Type.BOOL, span);
      }
      case "bswap" -> {
        if (!count(c, 1, 1)) yield null;
        TExpr x = an.expr(a.getFirst());
        if (x == null) yield null;
        if (!(x.type() instanceof Type.Int i)) {
          if (x.type() instanceof Type.Bool) yield x;
          an.error(span, "bswap() only supports integer arguments (" + Functions.kindName(x.type()) + " provided)");
          yield null;
        }
        Type.Int t = new Type.Int(i.bytes(), false);
        if (x instanceof TExpr.Const(long v, Type ct, Span cs)) yield new TExpr.Const(swap(v, i.bytes()), t, span);
        yield new TExpr.Call(Function.BSWAP, List.of(x), 0, t, span);
      }
      case "len" -> {
        if (!count(c, 1, 1)) yield null;
        if (a.getFirst() instanceof Expr.Map) {
          an.error(span, "len() of a map is not supported yet");
          yield null;
        }
        TExpr x = an.expr(a.getFirst());
        if (x == null) yield null;
        yield switch (x.type()) {
          case Type.Str s when x instanceof TExpr.StrConst(String v, Type.Str t, Span ss) ->
              new TExpr.Const(v.getBytes(StandardCharsets.UTF_8).length, Type.INT64, span);
          case Type.Str s -> new TExpr.Call(Function.STRLEN, List.of(x), 0, Type.INT64, span);
          case Type.Stack s when x instanceof TExpr.Call sc && (sc.function() == Function.KSTACK || sc.function() == Function.USTACK) ->
              new TExpr.Call(Function.STACKLEN, List.of(x), 0, Type.INT64, span);
          case Type.Stack s -> {
            an.error(span, "len() of a stored stack is not supported: the kernel does not let programs read stack maps",
                "call len() on kstack or ustack itself, e.g. @depth = len(ustack)");
            yield null;
          }
          default -> {
            an.error(span, "len() expects a map, a string or a stack (" + Analyzer.describe(x.type()) + " provided)");
            yield null;
          }
        };
      }
      case "path" -> {
        if (!count(c, 1, 2)) yield null;
        boolean ok = true;
        for (Attach at : an.attaches) {
          if (!TRACING.contains(at.type()) && at.type() != ProbeType.ITER) {
            an.error(span, "The path function can only be used with 'kfunc', 'kretfunc', 'iter' probes");
            ok = false;
            break;
          }
        }
        TExpr p = an.expr(a.getFirst());
        if (p == null || !ok) yield null;
        if (!(p.type() instanceof Type.Ptr) && !Analyzer.isIntegral(p.type())) {
          an.error(span, "path() expects a pointer to a struct path (" + Analyzer.describe(p.type()) + " provided)");
          yield null;
        }
        int size = an.settings.maxStrlen();
        if (a.size() == 2) {
          if (!(a.get(1) instanceof Expr.Int(long n, boolean u, Span ns)) || n < 1) {
            an.error(a.get(1).span(), "path() size must be a positive integer literal");
            yield null;
          }
          size = (int) Math.min(n, size);
        }
        yield new TExpr.Call(Function.PATH, List.of(u64(p)), 0, new Type.Str(size), span);
      }
      case "uptr", "kptr" -> {
        if (!count(c, 1, 1)) yield null;
        TExpr p = an.expr(a.getFirst());
        if (p == null) yield null;
        boolean user = c.name().equals("uptr");
        if (p.type() instanceof Type.Ptr(Type pointee, boolean u)) yield retype(p, new Type.Ptr(pointee, user));
        if (Analyzer.isIntegral(p.type())) yield new TExpr.Cast(u64(p), new Type.Ptr(Type.UINT8, user), span);
        an.error(span, c.name() + "() expects a pointer or an integer (" + Analyzer.describe(p.type()) + " provided)");
        yield null;
      }
      case "skboutput" -> skboutput(c);
      default -> throw new IllegalStateException("not a function of this class: " + c.name());
    };
  }

  // ---- strings and buffers -----------------------------------------------------------------------------

  private TExpr str(Expr.Call c) {
    List<Expr> a = c.args();
    if (a.isEmpty()) {
      an.error(c.span(), "str() requires at least 1 argument (0 provided)");
      return null;
    }
    if (a.size() > 2) {
      an.error(c.span(), "str() takes up to 2 arguments (" + a.size() + " provided)");
      return null;
    }
    int max = an.settings.maxStrlen();
    Long fixed = null;
    TExpr length = null;
    if (a.size() == 2) {
      length = an.expr(a.get(1));
      if (length == null) return null;
      if (!Analyzer.isIntegral(length.type())) {
        an.error(c.span(), "str() only supports integer lengths (" + Functions.kindName(length.type()) + " provided)");
        return null;
      }
      if (length instanceof TExpr.Const(long n, Type t, Span s)) {
        if (n < 0) {
          an.error(a.get(1).span(), "str() length must not be negative, got " + n);
          return null;
        }
        // str(s, n) keeps n characters, the terminator after them, within the string length (bpftrace 0.17).
        fixed = Math.min(n + 1, max);
      }
    }
    if (a.getFirst() instanceof Expr.Positional(int n, Span ps)) {
      String v = n == 0 ? Integer.toString(an.params.size()) : n <= an.params.size() ? an.params.get(n - 1) : "";
      byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
      int size = bytes.length + 1;
      if (a.size() == 2) {
        if (fixed == null) {
          an.error(a.get(1).span(), "str() of a positional parameter needs a constant length");
          return null;
        }
        size = (int) Math.max(1, Math.min(size, fixed));
        v = new String(java.util.Arrays.copyOf(bytes, size - 1), StandardCharsets.UTF_8);
      }
      return new TExpr.StrConst(v, new Type.Str(size), c.span());
    }
    TExpr src = an.expr(a.getFirst());
    if (src == null) return null;
    if (src.type() instanceof Type.Str s) {
      if (fixed == null || fixed >= s.size()) return src;
      Type.Str t = new Type.Str((int) Math.max(1, fixed));
      if (src instanceof TExpr.StrConst(String v, Type.Str st, Span ss))
        return new TExpr.StrConst(new String(java.util.Arrays.copyOf(v.getBytes(StandardCharsets.UTF_8), t.size() - 1), StandardCharsets.UTF_8), t, c.span());
      return new TExpr.Cast(src, t, c.span());
    }
    if (src.type() instanceof Type.Array arr && arr.element().size() == 1) {
      // A char array the program holds: its bytes up to the first NUL.
      long n = fixed == null ? arr.length() + 1 : Math.min(fixed, arr.length() + 1);  // fixed counts the terminator
      int size = (int) Math.max(1, Math.min(n, max));
      return new TExpr.Call(Function.STR, List.of(src, new TExpr.Const(size - 1, Type.UINT64, c.span())), 0, new Type.Str(size), c.span());
    }
    if (!Analyzer.isIntegral(src.type()) && !(src.type() instanceof Type.Ptr)) {
      an.error(c.span(), "str() expects an integer or a pointer type as first argument (" + Analyzer.describe(src.type()) + " provided)");
      return null;
    }
    long flags = addressSpace(src.type());
    int size;
    if (a.size() == 1) {
      // max_strlen bytes: a longer string keeps max_strlen - 1 characters, with no marker (bpftrace 0.17).
      size = max;
      length = new TExpr.Const(size, Type.UINT64, c.span());
    } else if (fixed != null) {
      size = (int) Math.max(1, (long) fixed);
      length = new TExpr.Const(size, Type.UINT64, c.span());
    } else {
      size = max;
      flags |= Read.DYNAMIC_LENGTH;
      length = u64(length);
    }
    return new TExpr.Call(Function.STR, List.of(u64(src), length), flags, new Type.Str(size), c.span());
  }

  private TExpr buf(Expr.Call c) {
    List<Expr> a = c.args();
    if (a.isEmpty() || a.size() > 2) {
      an.error(c.span(), "buf() takes 1 or 2 arguments (" + a.size() + " provided)");
      return null;
    }
    int max = an.settings.maxStrlen();
    TExpr src = an.expr(a.getFirst());
    if (src == null) return null;
    TExpr length = a.size() == 2 ? an.expr(a.get(1)) : null;
    if (a.size() == 2 && length == null) return null;
    if (length != null && !Analyzer.isIntegral(length.type())) {
      an.error(c.span(), "buf() only supports integer lengths (" + Functions.kindName(length.type()) + " provided)");
      return null;
    }
    Type st = src.type();
    if (st instanceof Type.Array || st instanceof Type.Str) {
      // The bytes of a value the program holds (a tracepoint's array field, a string): no read needed.
      int size = st.size();
      // A string is its storage: buf("ok_key", 8) has 8 bytes, the literal's 7 and a zero (as in bpftrace).
      int limit = st instanceof Type.Str ? max : size;
      if (length instanceof TExpr.Const(long n, Type t, Span s)) size = (int) Math.max(0, Math.min(n, limit));
      else if (length != null) {
        an.error(a.get(1).span(), "buf() of an array needs a constant length");
        return null;
      }
      return new TExpr.Call(Function.BUF, List.of(src, new TExpr.Const(size, Type.UINT64, c.span())), 0, new Type.Buf(size), c.span());
    }
    if (!Analyzer.isIntegral(st) && !(st instanceof Type.Ptr)) {
      an.error(c.span(), "buf() expects an integer or a pointer type as first argument (" + Analyzer.describe(st) + " provided)");
      return null;
    }
    if (length == null) {
      an.error(c.span(), "buf() expects a length argument for non-array type " + kindName(st));
      return null;
    }
    long flags = addressSpace(st);
    int capacity;
    if (length instanceof TExpr.Const(long n, Type t, Span s)) {
      if (n < 0) {
        an.error(a.get(1).span(), "buf() length must not be negative, got " + n);
        return null;
      }
      capacity = (int) Math.min(n, max);
      length = new TExpr.Const(capacity, Type.UINT64, length.span());
    } else {
      capacity = max;
      flags |= Read.DYNAMIC_LENGTH;
      length = u64(length);
    }
    return new TExpr.Call(Function.BUF, List.of(u64(src), length), flags, new Type.Buf(capacity), c.span());
  }

  /** {@return the {@link Read} address-space flag for reading through a value of type {@code t}} */
  private long addressSpace(Type t) {
    if (t instanceof Type.Ptr p) return p.user() ? Read.USER : Read.KERNEL;
    // An integer used as an address: user memory in user-space probes; elsewhere either (bpftrace 0.17's probe_read).
    boolean user = !an.attaches.isEmpty();
    for (Attach at : an.attaches) user &= USER.contains(at.type());
    return user ? Read.USER : 0;
  }

  // ---- addresses --------------------------------------------------------------------------------------

  private TExpr uaddr(Expr.Call c) {
    String name = literal(c, 0);
    if (name == null || !allowed(c, USER)) return null;
    String binary = null;
    for (Attach at : an.attaches) {
      // Full names are provider:binary:function (usdt: provider:binary:namespace:probe).
      String[] parts = at.name().split(":");
      String b = parts.length >= 3 ? parts[1] : null;
      if (binary != null && b != null && !binary.equals(b)) {
        an.error(c.span(), "uaddr() in a probe attached to several binaries: " + binary + " and " + b);
        return null;
      }
      binary = b;
    }
    if (binary == null) {
      an.error(c.span(), "Could not resolve symbol: " + name);
      return null;
    }
    var sym = an.kernel.userSymbol(binary, name);
    if (sym.isEmpty()) {
      an.error(c.span(), "Could not resolve symbol: " + binary + ":" + name);
      return null;
    }
    long size = sym.get().size();
    Type pointee = size == 1 ? Type.UINT8 : size == 2 ? Type.UINT16 : size == 4 ? Type.UINT32 : Type.UINT64;
    return new TExpr.Const(sym.get().address(), new Type.Ptr(pointee, true), c.span());
  }

  private TExpr ntop(Expr.Call c) {
    List<Expr> a = c.args();
    if (a.isEmpty() || a.size() > 2) {
      an.error(c.span(), "ntop() takes 1 or 2 arguments (" + a.size() + " provided)");
      return null;
    }
    TExpr af = null;
    if (a.size() == 2) {
      af = an.expr(a.getFirst());
      if (af == null) return null;
      if (!Analyzer.isIntegral(af.type())) {
        an.error(c.span(), "ntop() expects an integer address family (" + Analyzer.describe(af.type()) + " provided)");
        return null;
      }
    }
    TExpr addr = an.expr(a.getLast());
    if (addr == null) return null;
    int bytes = switch (addr.type()) {
      case Type.Int i -> 4;
      case Type.Array arr when arr.element().size() == 1 && (arr.length() == 4 || arr.length() == 16) -> arr.length();
      case Type.Str s when s.size() == 4 || s.size() == 16 -> s.size();
      default -> -1;
    };
    if (bytes < 0) {
      an.error(c.span(), "ntop() expects an integer or array argument, got " + Analyzer.describe(addr.type()));
      return null;
    }
    if (af == null) af = new TExpr.Const(bytes == 16 ? AF_INET6 : AF_INET, Type.INT64, c.span());
    if (addr.type() instanceof Type.Int) addr = an.convert(addr, Type.UINT32, addr.span(), "ntop");
    return new TExpr.Call(Function.NTOP, List.of(an.convert(af, Type.INT64, af.span(), "ntop"), addr), 0,
        new Type.Resolved(Type.ResolvedKind.INET), c.span());
  }

  private TExpr pton(Expr.Call c) {
    if (!count(c, 1, 1)) return null;
    if (!(c.args().getFirst() instanceof Expr.Str(String text, Span s))) {
      an.error(c.span(), "pton() expects an string argument of an IPv4/IPv6 address, got ");
      return null;
    }
    byte[] bytes = text.contains(":") ? ipv6(text) : ipv4(text);
    if (bytes == null) {
      an.error(c.span(), "pton() expects a valid IPv4/IPv6 address, got " + text);
      return null;
    }
    List<TExpr> words = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += 8) {
      long w = 0;
      for (int k = Math.min(bytes.length - i, 8) - 1; k >= 0; k--) w = w << 8 | (bytes[i + k] & 0xff);
      words.add(new TExpr.Const(w, Type.UINT64, c.span()));
    }
    return new TExpr.Call(Function.PTON, words, bytes.length, new Type.Array(Type.UINT8, bytes.length), c.span());
  }

  /** {@return the bytes of a dotted IPv4 address, or {@code null}} */
  static byte[] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(ch -> ch >= '0' && ch <= '9')) return null;
      int v = Integer.parseInt(parts[i]);
      if (v > 255) return null;
      out[i] = (byte) v;
    }
    return out;
  }

  /** {@return the bytes of an IPv6 address as inet_pton(3) reads it ({@code ::} and a dotted IPv4 tail allowed), or {@code null}} */
  static byte[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
    List<Integer> head = new ArrayList<>(), tail = new ArrayList<>();
    String left = gap >= 0 ? s.substring(0, gap) : s, right = gap >= 0 ? s.substring(gap + 2) : "";
    if (!groups(left, head, gap < 0 || right.isEmpty()) || !groups(right, tail, true)) return null;
    int total = head.size() + tail.size();
    if (gap < 0 ? total != 16 : total > 14) return null;
    byte[] out = new byte[16];
    for (int i = 0; i < head.size(); i++) out[i] = (byte) (int) head.get(i);
    for (int i = 0; i < tail.size(); i++) out[16 - tail.size() + i] = (byte) (int) tail.get(i);
    return out;
  }

  /** Appends the bytes of colon-separated hex groups, the last of which may be a dotted IPv4 address. */
  private static boolean groups(String s, List<Integer> out, boolean last) {
    if (s.isEmpty()) return true;
    String[] parts = s.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && last && p.contains(".")) {
        byte[] v4 = ipv4(p);
        if (v4 == null) return false;
        for (byte b : v4) out.add(b & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) return false;
      int v;
      try {
        v = Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        return false;
      }
      out.add(v >> 8);
      out.add(v & 0xff);
    }
    return true;
  }

  private TExpr macaddr(Expr.Call c) {
    if (!count(c, 1, 1)) return null;
    TExpr x = an.expr(c.args().getFirst());
    if (x == null) return null;
    Type t = x.type();
    if (t instanceof Type.Array arr && (arr.element().size() != 1 || arr.length() != 6)) {
      an.error(c.span(), "macaddr() argument must be 6 bytes in size");
      return null;
    }
    boolean held = t instanceof Type.Array || t instanceof Type.Str s && s.size() >= 6;
    if (held) return new TExpr.Call(Function.MACADDR, List.of(x), 0, new Type.Resolved(Type.ResolvedKind.MACADDR), c.span());
    if (t instanceof Type.Ptr || Analyzer.isIntegral(t))
      return new TExpr.Call(Function.MACADDR, List.of(u64(x)), addressSpace(t), new Type.Resolved(Type.ResolvedKind.MACADDR), c.span());
    an.error(c.span(), "macaddr() only supports array or pointer arguments (" + Functions.kindName(t) + " provided)");
    return null;
  }

  // ---- stacks and clocks -----------------------------------------------------------------------------

  /** {@return {@code kstack} or {@code ustack} with bpftrace's defaults} */
  TExpr stack(boolean user, Span span) {
    return new TExpr.Call(user ? Function.USTACK : Function.KSTACK, List.of(), 0,
        new Type.Stack(user, Type.StackMode.BPFTRACE, DEFAULT_STACK_DEPTH), span);
  }

  private TExpr stack(Expr.Call c) {
    List<Expr> a = c.args();
    boolean user = c.name().equals("ustack");
    if (a.size() > 2) {
      an.error(c.span(), c.name() + "() takes up to 2 arguments (" + a.size() + " provided)");
      return null;
    }
    Type.StackMode mode = Type.StackMode.BPFTRACE;
    int depth = DEFAULT_STACK_DEPTH;
    int i = 0;
    if (!a.isEmpty() && a.getFirst() instanceof Expr.Ident(String name, Span s)) {
      mode = switch (name) {
        case "bpftrace" -> Type.StackMode.BPFTRACE;
        case "perf" -> Type.StackMode.PERF;
        case "raw" -> Type.StackMode.RAW;
        default -> null;
      };
      if (mode == null) {
        an.error(s, "Unknown stack mode: '" + name + "'", "the modes are bpftrace, perf and raw, e.g. " + c.name() + "(perf, 10)");
        return null;
      }
      i = 1;
    } else if (a.size() == 2) {
      an.error(c.span(), c.name() + "() expects a stack mode literal (" + describeArg(a.getFirst()) + " provided)");
      return null;
    }
    if (i < a.size()) {
      if (!(a.get(i) instanceof Expr.Int(long n, boolean u, Span s))) {
        an.error(c.span(), c.name() + "() expects a integer literal (" + describeArg(a.get(i)) + " provided)");
        return null;
      }
      if (n > MAX_STACK_DEPTH) {
        an.error(c.span(), c.name() + "([int limit]): limit shouldn't exceed " + MAX_STACK_DEPTH + ", " + n + " given");
        return null;
      }
      if (n < 1) {
        an.error(c.span(), c.name() + "([int limit]): limit must be at least 1, " + n + " given");
        return null;
      }
      depth = (int) n;
    }
    return new TExpr.Call(user ? Function.USTACK : Function.KSTACK, List.of(), 0, new Type.Stack(user, mode, depth), c.span());
  }

  private TExpr nsecs(Expr.Call c) {
    List<Expr> a = c.args();
    if (a.isEmpty()) return new TExpr.Call(Function.NSECS, List.of(), Clock.BOOT.ordinal(), Type.UINT64, c.span());
    if (a.size() > 1 || !(a.getFirst() instanceof Expr.Ident(String name, Span s))) {
      an.error(c.span(), "nsecs() takes one clock: boot, monotonic, tai or sw_tai");
      return null;
    }
    Clock clock = switch (name) {
      case "boot" -> Clock.BOOT;
      case "monotonic" -> Clock.MONOTONIC;
      case "tai" -> Clock.TAI;
      case "sw_tai" -> Clock.SW_TAI;
      default -> null;
    };
    if (clock == null) {
      an.error(s, "Unknown clock: '" + name + "'", "the clocks are boot, monotonic, tai and sw_tai, e.g. nsecs(boot)");
      return null;
    }
    return new TExpr.Call(Function.NSECS, List.of(), clock.ordinal(), Type.UINT64, c.span());
  }

  /** {@return {@code usermode}: 1 in BEGIN/END, 0 where the probe has no user registers, else from the registers} */
  TExpr usermode(Span span) {
    boolean special = !an.attaches.isEmpty(), registers = !an.attaches.isEmpty();
    for (Attach at : an.attaches) {
      special &= at.type() == ProbeType.BEGIN || at.type() == ProbeType.END;
      registers &= WITH_REGISTERS.contains(at.type());
    }
    if (special) return new TExpr.Const(1, Type.UINT8, span);
    if (!registers) return new TExpr.Const(0, Type.UINT8, span);
    return new TExpr.Call(Function.USERMODE, List.of(), PT_REGS_CS, Type.UINT8, span);
  }

  // ---- actions ----------------------------------------------------------------------------------------

  private TExpr signal(Expr.Call c) {
    boolean ok = unsafe(c);
    ok &= allowed(c, SIGNAL);
    if (!count(c, 1, 1) || !ok) return null;
    Expr arg = c.args().getFirst();
    if (arg instanceof Expr.Str(String name, Span s)) {
      String n = name.startsWith("SIG") ? name.substring(3) : name;
      int sig = SIGNALS.indexOf(n) + 1;
      if (sig == 0) sig = realtime(n);
      if (sig <= 0) {
        an.error(c.span(), name + " is not a valid signal");
        return null;
      }
      return new TExpr.Call(Function.SIGNAL, List.of(new TExpr.Const(sig, Type.UINT32, s)), 0, Type.VOID, c.span());
    }
    TExpr sig = an.expr(arg);
    if (sig == null) return null;
    if (!Analyzer.isIntegral(sig.type())) {
      an.error(c.span(), "signal() only supports string literals or integer arguments (" + Functions.kindName(sig.type()) + " provided)");
      return null;
    }
    if (sig instanceof TExpr.Const(long v, Type t, Span s) && (v < 1 || v > 64)) {
      an.error(c.span(), v + " is not a valid signal, allowed range: [1,64]");
      return null;
    }
    return new TExpr.Call(Function.SIGNAL, List.of(an.convert(sig, Type.UINT32, sig.span(), "signal")), 0, Type.VOID, c.span());
  }

  /** {@return the number of {@code RTMIN}, {@code RTMIN+n} or {@code RTMAX-n}, or -1} */
  private static int realtime(String n) {
    try {
      if (n.equals("RTMIN")) return 34;
      if (n.equals("RTMAX")) return 64;
      if (n.startsWith("RTMIN+")) return 34 + Integer.parseInt(n.substring(6));
      if (n.startsWith("RTMAX-")) return 64 - Integer.parseInt(n.substring(6));
    } catch (NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private TExpr skboutput(Expr.Call c) {
    if (!count(c, 4, 4)) return null;
    for (Attach at : an.attaches) {
      if (!TRACING.contains(at.type())) {
        an.error(c.span(), "skboutput can not be used with \"" + at.type().canonical() + "\" probes",
            "skboutput() needs a kfunc/kretfunc probe: bpf_skb_output is only available to BPF_PROG_TYPE_TRACING programs");
        return null;
      }
    }
    an.error(c.span(), "skboutput() is not supported by jbpf", "capture packets with tcpdump, or print buf(skb->data, len) with %rx");
    return null;
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  /** Reports and returns false unless the script runs with {@code --unsafe}. */
  boolean unsafe(Expr.Call c) {
    if (an.settings.unsafe()) return true;
    an.error(c.span(), c.name() + "() is an unsafe function being used in safe mode", "run jbpf with --unsafe to allow it");
    return false;
  }

  /** Reports and returns false if a probe of this body has a type outside {@code allowed}. */
  private boolean allowed(Expr.Call c, Set<ProbeType> allowed) {
    for (Attach at : an.attaches) {
      if (!allowed.contains(at.type())) {
        an.error(c.span(), c.name() + " can not be used with \"" + at.type().canonical() + "\" probes");
        return false;
      }
    }
    return true;
  }

  private boolean count(Expr.Call c, int min, int max) {
    int n = c.args().size();
    if (n >= min && n <= max) return true;
    if (min == max) an.error(c.span(), c.name() + "() requires " + min + " argument" + (min == 1 ? "" : "s") + " (" + n + " provided)");
    else if (n > max) an.error(c.span(), c.name() + "() takes up to " + max + " arguments (" + n + " provided)");
    else an.error(c.span(), c.name() + "() requires at least " + min + " argument" + (min == 1 ? "" : "s") + " (" + n + " provided)");
    return false;
  }

  /** {@return argument {@code i} of {@code c}, which must be a string literal, or {@code null} after reporting} */
  String literal(Expr.Call c, int i) {
    if (c.args().size() <= i) {
      an.error(c.span(), c.name() + "() expects a string literal (none provided)");
      return null;
    }
    Expr e = c.args().get(i);
    if (e instanceof Expr.Str(String v, Span s)) return v;
    if (e instanceof Expr.Positional(int n, Span s) && n > 0 && n <= an.params.size()) return an.params.get(n - 1);
    an.error(c.span(), c.name() + "() expects a string literal (" + describeArg(e) + " provided)");
    return null;
  }

  private String describeArg(Expr e) {
    return switch (e) {
      case Expr.Int i -> "integer";
      case Expr.Str s -> "string";
      case Expr.Ident i -> "none";
      default -> {
        TExpr t = an.expr(e);
        yield t == null ? "none" : kindName(t.type());
      }
    };
  }

  /** {@return a type's kind as bpftrace's argument messages name it: {@code integer}, {@code string}...} */
  static String kindName(Type t) {
    return switch (t) {
      case Type.Int i -> "integer";
      case Type.Bool b -> "integer";
      case Type.Str s -> "string";
      case Type.Buf b -> "buffer";
      case Type.Tuple tt -> "tuple";
      default -> Analyzer.describe(t);
    };
  }

  private TExpr u64(TExpr e) {
    return Analyzer.isIntegral(e.type()) ? an.convert(e, Type.UINT64, e.span(), "argument") : e;
  }

  private static TExpr retype(TExpr e, Type t) {
    return new TExpr.Cast(e, t, e.span());
  }

  /** {@return the low {@code bytes} bytes of {@code v} in reverse order} */
  static long swap(long v, int bytes) {
    return switch (bytes) {
      case 2 -> Short.reverseBytes((short) v) & 0xffffL;
      case 4 -> Integer.reverseBytes((int) v) & 0xffff_ffffL;
      case 8 -> Long.reverseBytes(v);
      default -> v & 0xff;
    };
  }

}
