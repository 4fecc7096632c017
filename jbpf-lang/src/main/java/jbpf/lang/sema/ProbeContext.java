package jbpf.lang.sema;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jbpf.elf.UsdtArgument;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Probe;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeArgs;
import jbpf.lang.probe.ProbeType;
import jbpf.lang.typed.TExpr;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/**
 * What a probe's context offers a script, typed for the probe type: {@code args} (a tracepoint's record, a raw
 * tracepoint's or kfunc's BTF-typed arguments), {@code arg0}… (registers of x86-64's calling convention for kprobes
 * and uprobes, the note's operands for USDT probes, context slots for raw tracepoints), {@code sarg0}… (stack
 * arguments), {@code retval}, {@code func} and {@code cpid}.
 *
 * <p>On x86-64 the context of kprobe, uprobe and USDT programs is {@code struct pt_regs}
 * (arch/x86/include/asm/ptrace.h); the first six integer arguments are in rdi, rsi, rdx, rcx, r8 and r9, further
 * ones on the stack above the return address, and the return value in rax. The context of raw tracepoint and
 * kfunc programs is an array of u64, one (or, for a struct passed by value, more) per argument.
 */
final class ProbeContext {
  /** Offsets in {@code struct pt_regs} of the argument registers, and of rax, rip and rsp. */
  static final int[] ARG_REGS = {112, 104, 96, 88, 72, 64};
  static final int RAX = 80, RIP = 128, RSP = 152;

  private static final Pattern ARG = Pattern.compile("(s?)arg(\\d+)");

  private final Analyzer an;

  ProbeContext(Analyzer an) { this.an = an; }

  /** {@return whether {@code name} is a builtin this class resolves} */
  static boolean handles(String name) {
    return name.equals("args") || name.equals("retval") || name.equals("func") || name.equals("cpid") || ARG.matcher(name).matches();
  }

  /**
   * {@return whether the body of {@code p} must be checked once per attach point, because what it reads of the
   * context differs between them, or because the attach points are of different probe types}
   */
  static boolean perAttachPoint(Probe p, List<Attach> attaches) {
    if (attaches.size() < 2) return false;
    ProbeType first = attaches.getFirst().type();
    for (Attach a : attaches) if (a.type() != first) return true;
    boolean[] found = {false};
    boolean typedArgs = first == ProbeType.USDT || first == ProbeType.KFUNC || first == ProbeType.KRETFUNC;
    AstWalker.walk(p, e -> {
      if (e instanceof Expr.Ident(String n, Span s) && (n.equals("args")
          || (typedArgs && (n.equals("retval") || ARG.matcher(n).matches())))) found[0] = true;
    });
    return found[0];
  }

  /** {@return the value of builtin {@code name} in the current probe, or {@code null} after reporting an error} */
  TExpr ident(String name, Span span) {
    if (name.equals("cpid")) return cpid(span);
    if (an.attaches.isEmpty()) return null;
    Attach a = an.attaches.getFirst();
    if (name.equals("args")) {
      Type.Record r = args(a, span);
      return r == null ? null : new TExpr.Const(0, new Type.Ctx(r), span);
    }
    if (name.equals("retval")) return retval(a, span);
    if (name.equals("func")) return func(a, span);
    Matcher m = ARG.matcher(name);
    if (!m.matches()) throw new IllegalStateException(name + " is no probe builtin");
    int n;
    try {
      n = Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      an.error(span, "Unknown identifier: '" + name + "'");
      return null;
    }
    return m.group(1).isEmpty() ? arg(a, n, name, span) : stackArg(a, n, name, span);
  }

  private TExpr cpid(Span span) {
    Optional<KernelInfo.Target> t = an.kernel.target();
    if (t.isEmpty() || !t.get().child()) {
      an.error(span, "cpid cannot be used without child command", "start the command with -c 'CMD'");
      return null;
    }
    return new TExpr.Const(t.get().pid(), Type.UINT32, span);
  }

  // ---- args ------------------------------------------------------------------------------------------------

  /** {@return the record {@code args} points to in a probe at {@code a}, or {@code null} after reporting an error} */
  Type.Record args(Attach a, Span span) {
    return switch (a) {
      case Attach.Tracepoint(String cat, String ev) -> {
        TracepointFormat f = an.kernel.tracepointFormat(cat, ev).orElse(null);
        if (f == null) an.error(span, "tracepoint not found: " + cat + ":" + ev);
        yield f == null ? null : f.record();
      }
      case Attach.RawTracepoint rt -> {
        Optional<List<ProbeArgs.Arg>> args = btf(span, rt).flatMap(b -> ProbeArgs.rawTracepoint(b, rt.tracepoint()));
        if (args.isEmpty()) {
          if (an.btf().isPresent()) an.error(span, "The kernel's BTF does not describe the arguments of " + rt.name());
          yield null;
        }
        yield ProbeArgs.record("struct _rawtracepoint_" + rt.tracepoint(), args.get());
      }
      case Attach.Kfunc k -> {
        Optional<List<ProbeArgs.Arg>> args = btf(span, k).flatMap(b -> ProbeArgs.kfunc(b, k.function(), false));
        if (args.isEmpty()) {
          if (an.btf().isPresent()) an.error(span, "No BTF found for " + k.function());
          yield null;
        }
        yield ProbeArgs.record("struct _kfunc_" + k.function(), args.get());
      }
      case Attach.Uprobe u when !u.ret() -> {
        Optional<List<jbpf.elf.DwarfFunctions.Param>> params;
        try {
          params = an.kernel.userParameters(u.path(), u.fileOffset() - u.offset());
        } catch (KernelInfo.NotFoundException e) {
          an.error(span, e.getMessage());
          yield null;
        }
        if (params.isEmpty()) {
          an.error(span, "The args of " + u.name() + " are typed from DWARF debug information, which " + u.shownPath()
              + " has none of for " + u.function(), "compile it with -g, or use arg0, arg1, ...");
          yield null;
        }
        yield ProbeArgs.record("struct _uprobe_" + u.function(), ProbeArgs.uprobe(params.get()));
      }
      default -> {
        an.error(span, "The args builtin can only be used with tracepoint, rawtracepoint, kfunc and uprobe probes (" + a.name() + " used here)",
            a.type() == ProbeType.KPROBE || a.type() == ProbeType.USDT ? "use arg0, arg1, ... instead" : null);
        yield null;
      }
    };
  }

  private Optional<BtfTypes> btf(Span span, Attach a) {
    Optional<BtfTypes> b = an.btf();
    if (b.isEmpty()) an.error(span, "The arguments of " + a.type().canonical() + " probes are typed from the kernel's BTF, and /sys/kernel/btf/vmlinux is missing");
    return b;
  }

  // ---- arg0..argN, sarg0..sargN -----------------------------------------------------------------------------

  private TExpr arg(Attach a, int n, String name, Span span) {
    return switch (a) {
      case Attach.Kprobe k when !k.ret() -> register(n, false, name, span);
      case Attach.Uprobe u when !u.ret() -> register(n, true, name, span);
      case Attach.RawTracepoint rt -> {
        int max = an.btf().flatMap(b -> ProbeArgs.rawTracepoint(b, rt.tracepoint())).map(List::size).orElse(12);
        if (n >= max) {
          an.error(span, rt.name() + " has " + max + " argument" + (max == 1 ? "" : "s") + ": " + name + " does not exist");
          yield null;
        }
        yield new TExpr.CtxField(new Type.Field(name, Type.UINT64, n * 8), Type.UINT64, span);
      }
      case Attach.Usdt u -> usdtArg(u, n, name, span);
      default -> {
        an.error(span, "The " + name + " builtin can only be used with kprobe, uprobe, usdt and rawtracepoint probes ("
            + a.name() + " used here)", a instanceof Attach.Kfunc ? "kfunc probes name their arguments: args->NAME" : null);
        yield null;
      }
    };
  }

  /** argN of a function at its entry: a register, then the stack above the return address. */
  private static TExpr register(int n, boolean user, String name, Span span) {
    if (n < ARG_REGS.length) return new TExpr.CtxField(new Type.Field(name, Type.UINT64, ARG_REGS[n]), Type.UINT64, span);
    return new TExpr.CtxMemory(RSP, -1, 1, 8L * (n - ARG_REGS.length + 1), user, Type.UINT64, span);
  }

  private TExpr stackArg(Attach a, int n, String name, Span span) {
    boolean user;
    switch (a) {
      case Attach.Kprobe k when !k.ret() -> user = false;
      case Attach.Uprobe u when !u.ret() -> user = true;
      default -> {
        an.error(span, "The " + name + " builtin can only be used with kprobe and uprobe probes (" + a.name() + " used here)");
        return null;
      }
    }
    return new TExpr.CtxMemory(RSP, -1, 1, 8L * (n + 1), user, Type.UINT64, span);
  }

  private TExpr usdtArg(Attach.Usdt u, int n, String name, Span span) {
    if (n >= u.arguments().size()) {
      int k = u.arguments().size();
      an.error(span, u.name() + " has " + (k == 0 ? "no arguments" : k == 1 ? "1 argument" : k + " arguments")
          + (k == 0 ? "" : " (arg0" + (k > 1 ? " to arg" + (k - 1) : "") + ")") + ": " + name + " does not exist");
      return null;
    }
    UsdtArgument arg = u.arguments().get(n);
    Type.Int t = new Type.Int(arg.size(), arg.signed());
    return switch (arg.operand()) {
      case UsdtArgument.Constant(long v) -> new TExpr.Const(Analyzer.truncate(v, t), t, span);
      case UsdtArgument.Register r -> {
        int off = UsdtArgument.x86PtRegsOffset(r.name());
        if (off < 0) {
          an.error(span, u.name() + ": " + name + " is in register " + r.name() + ", which jbpf cannot read on x86-64");
          yield null;
        }
        // %ah, %bh, %ch and %dh are the second byte of their register
        if (r.name().length() == 2 && r.name().charAt(1) == 'h' && "abcd".indexOf(r.name().charAt(0)) >= 0) off += 1;
        yield new TExpr.CtxField(new Type.Field(name, t, off), t, span);
      }
      case UsdtArgument.Memory mem -> {
        int base = UsdtArgument.x86PtRegsOffset(mem.base());
        int index = mem.index() == null ? -1 : UsdtArgument.x86PtRegsOffset(mem.index());
        if (base < 0 || (mem.index() != null && index < 0)) {
          an.error(span, u.name() + ": " + name + " is addressed by registers jbpf cannot read on x86-64 (" + arg + ")");
          yield null;
        }
        long disp = mem.offset();
        if (mem.symbol() != null) {
          OptionalLong sym = an.kernel.symbolAddress(u.path(), mem.symbol());
          if (sym.isEmpty()) {
            an.error(span, u.name() + ": " + name + " refers to symbol " + mem.symbol() + ", which " + u.path() + " does not define");
            yield null;
          }
          // sym(%rip): rip is the probe's own address when the uprobe fires, so the distance is fixed at link time.
          disp += base == RIP ? sym.getAsLong() - u.address() : sym.getAsLong();
        } else if (base == RIP) {
          an.error(span, u.name() + ": " + name + " is addressed relative to %rip without a symbol (" + arg + "), which jbpf cannot resolve");
          yield null;
        }
        yield new TExpr.CtxMemory(base, index, mem.scale(), disp, true, t, span);
      }
    };
  }

  // ---- retval, func ----------------------------------------------------------------------------------------

  private TExpr retval(Attach a, Span span) {
    return switch (a) {
      case Attach.Kprobe k when k.ret() -> new TExpr.CtxField(new Type.Field("retval", Type.UINT64, RAX), Type.UINT64, span);
      case Attach.Uprobe u when u.ret() -> new TExpr.CtxField(new Type.Field("retval", Type.UINT64, RAX), Type.UINT64, span);
      case Attach.Kfunc k when k.ret() -> {
        Optional<List<ProbeArgs.Arg>> args = btf(span, k).flatMap(b -> ProbeArgs.kfunc(b, k.function(), true));
        if (args.isEmpty()) {
          if (an.btf().isPresent()) an.error(span, "No BTF found for " + k.function());
          yield null;
        }
        ProbeArgs.Arg last = args.get().isEmpty() ? null : args.get().getLast();
        if (last == null || !last.name().equals("retval")) {
          an.error(span, k.function() + " returns void: " + k.name() + " has no retval");
          yield null;
        }
        yield new TExpr.CtxField(new Type.Field("retval", last.type(), last.offset()), last.type(), span);
      }
      default -> {
        an.error(span, "The retval builtin can only be used with kretprobe, uretprobe and kretfunc probes (" + a.name() + " used here)");
        yield null;
      }
    };
  }

  /**
   * {@code func}: a constant for one attach point; for many, a string as long as the longest of their functions,
   * which the program looks up by its attach cookie.
   */
  private TExpr func(Attach a, Span span) {
    String f = Attach.functionOf(a);
    if (f == null) {
      an.error(span, "The func builtin can only be used with kprobe, uprobe and kfunc probes (" + a.name() + " used here)");
      return null;
    }
    if (an.attaches.size() == 1) return new TExpr.StrConst(f, new Type.Str(f.getBytes(StandardCharsets.UTF_8).length + 1), span);
    int longest = 0;
    for (Attach x : an.attaches) longest = Math.max(longest, Attach.functionOf(x).getBytes(StandardCharsets.UTF_8).length);
    return new TExpr.ProbeFunction(new Type.Str(longest + 1), span);
  }
}
