package jbpf.lang.probe;

import java.util.List;
import java.util.Objects;
import jbpf.elf.UsdtArgument;

/**
 * One concrete place a probe attaches to, after aliases and wildcards are resolved. {@link #name()} is the
 * full probe name bpftrace shows for it, e.g. {@code tracepoint:syscalls:sys_enter_openat}.
 *
 * <p>Each record holds everything the runtime needs to attach there, resolved against the running system (file
 * offsets of uprobes, USDT argument locations, perf counter numbers), so that attaching does no lookups.
 */
public sealed interface Attach {
  /** {@return the full probe name} */
  String name();

  /** {@return the probe type} */
  ProbeType type();

  /**
   * {@return the function {@code a} is in, the value of the {@code func} builtin: a kprobe's, kfunc's or uprobe's
   * function, or the hex address of a kprobe at an address; {@code null} for other probe types}
   */
  static String functionOf(Attach a) {
    return switch (a) {
      case Kprobe k -> k.function() != null ? k.function() : "0x" + Long.toHexString(k.address());
      case Kfunc k -> k.function();
      case Uprobe u -> u.function();
      default -> null;
    };
  }

  /** {@code BEGIN} or {@code END}: run once, in userspace's order. */
  record Special(ProbeType type) implements Attach {
    @Override public String name() { return type.canonical(); }
  }

  /** {@code tracepoint:CATEGORY:EVENT}. */
  record Tracepoint(String category, String event) implements Attach {
    @Override public String name() { return "tracepoint:" + category + ":" + event; }
    @Override public ProbeType type() { return ProbeType.TRACEPOINT; }
  }

  /**
   * {@code interval:UNIT:N} or {@code profile:UNIT:N}: a timer firing every {@code periodNanos}, or
   * {@code hz} times a second when {@code hz > 0}; interval runs on one CPU, profile on every CPU.
   *
   * @param spec the unit and count as written after the provider, for the full name
   */
  record Timer(ProbeType type, String spec, long periodNanos, long hz) implements Attach {
    @Override public String name() { return type.canonical() + ":" + spec; }
  }

  /** {@code rawtracepoint:NAME}: the tracepoint itself, before tracefs's record is built. */
  record RawTracepoint(String tracepoint) implements Attach {
    @Override public String name() { return "rawtracepoint:" + tracepoint; }
    @Override public ProbeType type() { return ProbeType.RAWTRACEPOINT; }
  }

  /**
   * {@code kprobe:FUNCTION[+OFFSET]} or {@code kretprobe:FUNCTION}, or a kprobe at a kernel address.
   *
   * @param module the module named in the probe ({@code kprobe:MODULE:FUNCTION}), or {@code null}
   * @param function the kernel function, or {@code null} for an address probe
   * @param offset bytes into the function
   * @param address the kernel address of an address probe, else 0
   */
  record Kprobe(ProbeType type, String module, String function, long offset, long address) implements Attach {
    public Kprobe {
      if (type != ProbeType.KPROBE && type != ProbeType.KRETPROBE) throw new IllegalArgumentException("kprobe of type " + type);
      if (function == null && address == 0) throw new IllegalArgumentException("kprobe without function or address");
    }

    /** {@return whether this fires on return} */
    public boolean ret() { return type == ProbeType.KRETPROBE; }

    @Override public String name() {
      if (function == null) return type.canonical() + ":0x" + Long.toHexString(address);
      return type.canonical() + ":" + (module != null ? module + ":" : "") + function + (offset != 0 ? "+" + offset : "");
    }
  }

  /**
   * {@code kfunc:FUNCTION} or {@code kretfunc:FUNCTION}: a BPF trampoline on a kernel function, whose arguments
   * are typed from BTF.
   *
   * @param module the module named in the probe, or {@code null}
   */
  record Kfunc(ProbeType type, String module, String function) implements Attach {
    public Kfunc {
      if (type != ProbeType.KFUNC && type != ProbeType.KRETFUNC) throw new IllegalArgumentException("kfunc of type " + type);
      Objects.requireNonNull(function);
    }

    /** {@return whether this fires on return} */
    public boolean ret() { return type == ProbeType.KRETFUNC; }

    @Override public String name() { return type.canonical() + ":" + (module != null ? module + ":" : "") + function; }
  }

  /**
   * {@code uprobe:BINARY:FUNCTION[+OFFSET]}, {@code uprobe:BINARY:ADDRESS} or {@code uretprobe:BINARY:FUNCTION}.
   *
   * @param path the file as the kernel opens it
   * @param shownPath the file as the probe name shows it: as written, or resolved for a library name
   * @param label what the probe name shows after the file: the function (demangled for C++), or the address
   * @param function the function the probe is in, the {@code func} builtin; the hex address if no symbol covers it
   * @param offset bytes into the function, for {@code FUNCTION+OFFSET}
   * @param fileOffset where in the file the kernel places the probe
   * @param pid the only process to fire for ({@code -p}, {@code -c}), or 0 for every process mapping the file
   */
  record Uprobe(ProbeType type, String path, String shownPath, String label, String function, long offset, long fileOffset,
                int pid) implements Attach {
    public Uprobe {
      if (type != ProbeType.UPROBE && type != ProbeType.URETPROBE) throw new IllegalArgumentException("uprobe of type " + type);
      Objects.requireNonNull(path);
      Objects.requireNonNull(label);
    }

    /** {@return whether this fires on return} */
    public boolean ret() { return type == ProbeType.URETPROBE; }

    @Override public String name() { return type.canonical() + ":" + shownPath + ":" + label + (offset != 0 ? "+" + offset : ""); }
  }

  /**
   * {@code usdt:BINARY:PROVIDER:NAME} at one of the probe's locations (a probe may be compiled into several
   * places, each with its own argument locations).
   *
   * @param path the file as the kernel opens it
   * @param shownPath the file as the probe name shows it
   * @param fileOffset where in the file the kernel places the uprobe
   * @param semaphoreOffset the file offset of the probe's semaphore, which the kernel increments while the probe
   *     is attached ({@code ref_ctr_offset}), or 0
   * @param address the link-time address of the probe, for operands relative to {@code %rip}
   * @param arguments where each argument is at this location
   * @param pid the only process to fire for, or 0
   */
  record Usdt(String path, String shownPath, String provider, String probe, long fileOffset, long semaphoreOffset, long address,
              List<UsdtArgument> arguments, int pid) implements Attach {
    public Usdt { arguments = List.copyOf(arguments); }

    @Override public String name() { return "usdt:" + shownPath + ":" + provider + ":" + probe; }
    @Override public ProbeType type() { return ProbeType.USDT; }
  }

  /**
   * {@code software:EVENT[:COUNT]} or {@code hardware:EVENT[:COUNT]}: a perf counter sampled every {@code period}
   * events on every CPU.
   *
   * @param spec the event and count as written after the provider, for the full name
   */
  record PerfCounter(ProbeType type, String spec, PerfCounters.Counter counter, long period) implements Attach {
    public PerfCounter {
      if (type != ProbeType.SOFTWARE && type != ProbeType.HARDWARE) throw new IllegalArgumentException("perf counter of type " + type);
      if (period <= 0) throw new IllegalArgumentException("sample period must be positive");
    }

    @Override public String name() { return type.canonical() + ":" + spec; }
  }

  /**
   * {@code watchpoint:ADDRESS:LENGTH:MODE}, or {@code watchpoint:FUNCTION+argN:LENGTH:MODE}, which watches the
   * address a function's argument holds from the moment the function is called; {@code asyncwatchpoint} is the
   * same without stopping the process while the watchpoint is set.
   *
   * @param spec what the probe was written with after the provider, for the full name
   * @param address the address to watch, or 0 when a function's argument gives it
   * @param length bytes to watch: 1, 2, 4 or 8
   * @param mode some of {@code r}, {@code w} and {@code x}, in that order
   * @param function the function whose argument gives the address, or {@code null}
   * @param argument the number of that argument
   * @param setup where the function is, for the uprobe that reads the argument; {@code null} for an address
   * @param pid the process whose accesses fire the probe, or 0 for every process
   */
  record Watchpoint(ProbeType type, String spec, long address, int length, String mode, String function, int argument,
                    Uprobe setup, int pid) implements Attach {
    public Watchpoint {
      if (type != ProbeType.WATCHPOINT && type != ProbeType.ASYNCWATCHPOINT) throw new IllegalArgumentException("watchpoint of type " + type);
      if (length != 1 && length != 2 && length != 4 && length != 8) throw new IllegalArgumentException("watchpoint length " + length);
    }

    @Override public String name() { return type.canonical() + ":" + spec; }
  }
}
