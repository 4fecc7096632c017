package jbpf.perf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.Perf;
import jbpf.sys.PerfEventAttr;
import jbpf.sys.PermissionException;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/**
 * An open perf event ({@code perf_event_open(2)}): a tracepoint, a kprobe or uprobe created through its PMU, a
 * software or hardware counter, or a hardware breakpoint. A BPF program attaches to it with {@code jbpf.link.Link}.
 * Events open disabled; the link enables them once the program is attached, or {@link #enable()} does.
 *
 * <p>Tracepoints, kprobes and uprobes fire on every CPU whatever CPU the event was opened on, so one event per
 * probe suffices; counters and breakpoints count only their {@link Target}, so sampling every CPU takes one event
 * per CPU. kprobes and uprobes are created through the {@code kprobe} and {@code uprobe} PMUs
 * (/sys/bus/event_source/devices, Linux 4.17); the {@code kprobe_events} text files are never written.
 */
public final class PerfEvent implements AutoCloseable {
  /** What kind of event this is. */
  public enum Kind { TRACEPOINT, KPROBE, KRETPROBE, UPROBE, URETPROBE, SOFTWARE, HARDWARE, BREAKPOINT }

  private final Fd fd;
  private final Kind kind;
  private final String description;

  private PerfEvent(Fd fd, Kind kind, String description) {
    this.fd = fd;
    this.kind = kind;
    this.description = description;
  }

  /**
   * Opens tracepoint {@code category:name}, whose id is read from tracefs.
   *
   * @throws SyscallException with {@link Errno#ENOENT} if there is no such tracepoint
   */
  public static PerfEvent tracepoint(String category, String name) {
    String what = "tracepoint " + category + ":" + name;
    int id;
    try {
      id = Tracefs.get().eventId(category, name);
    } catch (SyscallException e) {
      throw e.withContext("open " + what);
    }
    return tracepoint(id, category + ":" + name);
  }

  /** Opens the tracepoint with tracefs id {@code id}; {@code name} ({@code category:name}) is for messages. */
  public static PerfEvent tracepoint(int id, String name) {
    return open(Kind.TRACEPOINT, "tracepoint " + name, Target.cpu(0), attr -> {
      attr.set(JAVA_INT, PerfEventAttr.type, Perf.PERF_TYPE_TRACEPOINT);
      attr.set(JAVA_LONG, PerfEventAttr.config, id);
      attr.set(JAVA_LONG, PerfEventAttr.sample_period, 1);
    });
  }

  /**
   * Opens a kprobe (or kretprobe) on kernel function {@code symbol} plus {@code offset} bytes.
   *
   * @throws jbpf.sys.NotSupportedException if the kernel cannot attach kprobes
   * @throws SyscallException e.g. with {@link Errno#ENOENT} if there is no such function
   */
  public static PerfEvent kprobe(String symbol, long offset, boolean retprobe) {
    Objects.requireNonNull(symbol);
    Pmu pmu = kprobePmu();
    String what = (retprobe ? "kretprobe " : "kprobe ") + symbol + (offset != 0 ? "+" + offset : "");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom(symbol);
      return open(retprobe ? Kind.KRETPROBE : Kind.KPROBE, what, Target.cpu(0), attr -> {
        attr.set(JAVA_INT, PerfEventAttr.type, pmu.type());
        if (retprobe) attr.set(JAVA_LONG, PerfEventAttr.config, 1L << pmu.configBit("retprobe", 0));
        attr.set(JAVA_LONG, PerfEventAttr.kprobe_func, name.address());
        attr.set(JAVA_LONG, PerfEventAttr.probe_offset, offset);
      });
    }
  }

  /** Opens a kprobe (or kretprobe) at kernel address {@code address}; see {@link #kprobe(String, long, boolean)}. */
  public static PerfEvent kprobe(long address, boolean retprobe) {
    Pmu pmu = kprobePmu();
    String what = (retprobe ? "kretprobe " : "kprobe ") + "0x" + Long.toHexString(address);
    return open(retprobe ? Kind.KRETPROBE : Kind.KPROBE, what, Target.cpu(0), attr -> {
      attr.set(JAVA_INT, PerfEventAttr.type, pmu.type());
      if (retprobe) attr.set(JAVA_LONG, PerfEventAttr.config, 1L << pmu.configBit("retprobe", 0));
      attr.set(JAVA_LONG, PerfEventAttr.kprobe_addr, address);
    });
  }

  private static Pmu kprobePmu() {
    return Pmu.find("kprobe").orElseThrow(() -> {
      // No PMU: either kprobes are compiled out, or the kernel predates the PMU (only kprobe_events exists).
      boolean textInterface = Files.exists(Tracefs.TRACING.resolve("kprobe_events"))
          || Files.exists(Tracefs.DEBUG_TRACING.resolve("kprobe_events"));
      KernelVersion k = KernelVersion.current();
      return Feature.KPROBES.notSupported(k, textInterface
          ? "no kprobe PMU in " + Pmu.DEVICES + "; it needs Linux >= 4.17"
          : "CONFIG_KPROBES is not set");
    });
  }

  /** Opens a uprobe (or uretprobe) at file offset {@code offset} of {@code binary}, for process {@code pid} or every process (-1). */
  public static PerfEvent uprobe(Path binary, long offset, boolean retprobe, int pid) {
    return uprobe(binary, offset, 0, retprobe, pid);
  }

  /**
   * Opens a uprobe (or uretprobe) at file offset {@code offset} of {@code binary}.
   *
   * @param refCtrOffset file offset of a USDT semaphore the kernel increments while the probe exists, or 0
   * @param pid the process to probe, or -1 for every process that maps the file
   * @throws jbpf.sys.NotSupportedException if the kernel cannot attach uprobes
   */
  public static PerfEvent uprobe(Path binary, long offset, long refCtrOffset, boolean retprobe, int pid) {
    Objects.requireNonNull(binary);
    Pmu pmu = Pmu.find("uprobe").orElseThrow(() -> Feature.UPROBES.notSupported(KernelVersion.current(), null));
    String what = (retprobe ? "uretprobe " : "uprobe ") + binary + ":0x" + Long.toHexString(offset) + (pid > 0 ? " pid " + pid : "");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment path = arena.allocateFrom(binary.toString());
      long config = (retprobe ? 1L << pmu.configBit("retprobe", 0) : 0) | (refCtrOffset << pmu.configBit("ref_ctr_offset", 32));
      return open(retprobe ? Kind.URETPROBE : Kind.UPROBE, what, pid > 0 ? Target.process(pid) : Target.cpu(0), attr -> {
        attr.set(JAVA_INT, PerfEventAttr.type, pmu.type());
        attr.set(JAVA_LONG, PerfEventAttr.config, config);
        attr.set(JAVA_LONG, PerfEventAttr.uprobe_path, path.address());
        attr.set(JAVA_LONG, PerfEventAttr.probe_offset, offset);
      });
    }
  }

  /** Opens a software counter that samples as {@code sampling} says, for {@code target}. */
  public static PerfEvent software(SoftwareEvent event, Sampling sampling, Target target) {
    return open(Kind.SOFTWARE, "software " + event.perfName() + " (" + sampling + ") on " + target, target, attr -> {
      attr.set(JAVA_INT, PerfEventAttr.type, Perf.PERF_TYPE_SOFTWARE);
      attr.set(JAVA_LONG, PerfEventAttr.config, event.config());
      sample(attr, sampling);
    });
  }

  /**
   * Opens a hardware counter that samples as {@code sampling} says, for {@code target}.
   *
   * @throws jbpf.sys.NotSupportedException if this machine has no hardware performance counters
   */
  public static PerfEvent hardware(HardwareEvent event, Sampling sampling, Target target) {
    return open(Kind.HARDWARE, "hardware " + event.perfName() + " (" + sampling + ") on " + target, target, attr -> {
      attr.set(JAVA_INT, PerfEventAttr.type, Perf.PERF_TYPE_HARDWARE);
      attr.set(JAVA_LONG, PerfEventAttr.config, event.config());
      sample(attr, sampling);
    });
  }

  /**
   * Opens counter {@code config} of perf type {@code perfType} ({@code PERF_TYPE_SOFTWARE}, {@code PERF_TYPE_HARDWARE}
   * or {@code PERF_TYPE_HW_CACHE}) that samples as {@code sampling} says, for {@code target}: the generic form of
   * {@link #software} and {@link #hardware}, for counters without an enum constant such as perf's generalized cache
   * events ({@code L1-dcache-load-misses}).
   *
   * @param name perf's name of the counter, for messages
   * @throws jbpf.sys.NotSupportedException if a processor counter is asked for and this machine has none
   */
  public static PerfEvent counter(int perfType, long config, String name, Sampling sampling, Target target) {
    Kind kind = switch (perfType) {
      case Perf.PERF_TYPE_SOFTWARE -> Kind.SOFTWARE;
      case Perf.PERF_TYPE_HARDWARE, Perf.PERF_TYPE_HW_CACHE -> Kind.HARDWARE;
      default -> throw new IllegalArgumentException("perf type " + perfType + " is no counter type");
    };
    String what = (kind == Kind.SOFTWARE ? "software " : "hardware ") + name + " (" + sampling + ") on " + target;
    return open(kind, what, target, attr -> {
      attr.set(JAVA_INT, PerfEventAttr.type, perfType);
      attr.set(JAVA_LONG, PerfEventAttr.config, config);
      sample(attr, sampling);
    });
  }

  /**
   * Opens a hardware breakpoint on {@code length} bytes at {@code address} (1, 2, 4 or 8, aligned; for
   * {@link BreakpointType#X} the length is that of a long) that fires on every access of {@code type} by
   * {@code target}.
   */
  public static PerfEvent breakpoint(BreakpointType type, long address, int length, Target target) {
    if (length != 1 && length != 2 && length != 4 && length != 8)
      throw new IllegalArgumentException("breakpoint length must be 1, 2, 4 or 8 bytes, not " + length);
    String what = "breakpoint " + type.name().toLowerCase(java.util.Locale.ROOT) + " 0x" + Long.toHexString(address) + "/" + length
        + " for " + target;
    return open(Kind.BREAKPOINT, what, target, attr -> {
      attr.set(JAVA_INT, PerfEventAttr.type, Perf.PERF_TYPE_BREAKPOINT);
      attr.set(JAVA_INT, PerfEventAttr.bp_type, type.bits());
      attr.set(JAVA_LONG, PerfEventAttr.bp_addr, address);
      attr.set(JAVA_LONG, PerfEventAttr.bp_len, type == BreakpointType.X ? 8 : length);
      attr.set(JAVA_LONG, PerfEventAttr.sample_period, 1);
    });
  }

  private static void sample(MemorySegment attr, Sampling s) {
    attr.set(JAVA_LONG, PerfEventAttr.sample_period, s.value());
    if (s.frequency()) attr.set(JAVA_LONG, PerfEventAttr.flags, attr.get(JAVA_LONG, PerfEventAttr.flags) | PerfEventAttr.FLAG_freq);
  }

  private static PerfEvent open(Kind kind, String what, Target target, java.util.function.Consumer<MemorySegment> fill) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(PerfEventAttr.LAYOUT);
      attr.set(JAVA_INT, PerfEventAttr.size, PerfEventAttr.PERF_ATTR_SIZE_VER8);
      attr.set(JAVA_LONG, PerfEventAttr.flags, PerfEventAttr.FLAG_disabled);
      fill.accept(attr);
      MemorySegment state = Sys.callState(arena);
      int fd = Sys.perfEventOpen(state, attr, target.pid(), target.cpu(), -1, Perf.PERF_FLAG_FD_CLOEXEC);
      if (fd < 0) throw openError(kind, what, Errno.from(state));
      return new PerfEvent(Fd.adopt(fd, "perf event " + what), kind, what);
    }
  }

  private static RuntimeException openError(Kind kind, String what, Errno e) {
    String operation = "open perf event for " + what;
    if (kind == Kind.HARDWARE && (e == Errno.ENOENT || e == Errno.EOPNOTSUPP || e == Errno.ENODEV))
      return Feature.HARDWARE_PMU.notSupported(KernelVersion.current(), "perf_event_open: " + e.name());
    if (kind == Kind.BREAKPOINT && (e == Errno.ENOENT || e == Errno.ENODEV))
      return Feature.BREAKPOINTS.notSupported(KernelVersion.current(), "perf_event_open: " + e.name());
    if (kind == Kind.BREAKPOINT && e == Errno.ENOSPC)
      return new SyscallException(operation + ": every hardware breakpoint slot is in use", e);
    if (e == Errno.EACCES || e == Errno.EPERM)
      return PermissionException.of("opening perf events", Capability.CAP_PERFMON).withContext(operation);
    if (e == Errno.ESRCH) return new SyscallException(operation + ": the process does not exist", e);
    return new SyscallException(operation, e);
  }

  /** Starts counting and sampling ({@code PERF_EVENT_IOC_ENABLE}). */
  public void enable() { ioctl(Perf.PERF_EVENT_IOC_ENABLE, "enable"); }

  /** Stops counting and sampling ({@code PERF_EVENT_IOC_DISABLE}). */
  public void disable() { ioctl(Perf.PERF_EVENT_IOC_DISABLE, "disable"); }

  private void ioctl(long request, String verb) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      if (Sys.ioctl(state, fd.get(), request, 0L) < 0) throw new SyscallException(verb + " perf event for " + description, Errno.from(state));
    }
  }

  /** {@return the counter's value, {@code read(2)} of the fd} */
  public long count() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment value = arena.allocate(JAVA_LONG);
      MemorySegment state = Sys.callState(arena);
      if (Sys.read(state, fd.get(), value) != 8) throw new SyscallException("read perf event for " + description, Errno.from(state));
      return value.get(JAVA_LONG, 0);
    }
  }

  /** {@return the fd} */
  public Fd fd() { return fd; }

  /** {@return the kind of event} */
  public Kind kind() { return kind; }

  /** {@return what the event is, e.g. {@code tracepoint syscalls:sys_enter_getpid}} */
  public String description() { return description; }

  /** {@return whether the fd is still open} */
  public boolean isOpen() { return fd.isOpen(); }

  /** Closes the event, detaching a program attached with {@code PERF_EVENT_IOC_SET_BPF}. */
  @Override public void close() { fd.close(); }

  @Override public String toString() { return description + " (" + fd + ")"; }
}
