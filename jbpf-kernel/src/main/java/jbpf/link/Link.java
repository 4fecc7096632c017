package jbpf.link;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import jbpf.kernel.internal.BpfCall;
import jbpf.perf.PerfEvent;
import jbpf.prog.BpfProgram;
import jbpf.spec.AttachType;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr.LinkCreate;
import jbpf.sys.BpfAttr.RawTracepoint;
import jbpf.sys.BpfException;
import jbpf.sys.BpfInfo;
import jbpf.sys.BpfObjects;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.Perf;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/**
 * A program attached to a hook. The attachment lives exactly as long as the link's fd, so closing the link, the
 * process exiting or being killed with {@code SIGKILL} detaches it; nothing is left behind in the kernel.
 *
 * <p>Detaching is slow for perf-event attachments (tracepoints, kprobes, uprobes): each one waits for RCU grace
 * periods in the kernel. {@link #closeAll(Collection)} detaches many at once and lets them share the waits.
 */
public final class Link implements AutoCloseable {
  /** How the program is attached. */
  public enum Kind {
    /** A BPF link to a perf event ({@code BPF_LINK_CREATE} with {@code BPF_PERF_EVENT}, Linux 5.15), which carries a cookie. */
    PERF_EVENT,
    /** A perf event with the program set by {@code PERF_EVENT_IOC_SET_BPF}, on kernels without perf-event links. */
    PERF_EVENT_IOCTL,
    /** A raw tracepoint ({@code BPF_RAW_TRACEPOINT_OPEN}). */
    RAW_TRACEPOINT,
    /** An fentry, fexit or fmod_ret program on its BPF trampoline. */
    TRACING,
    /** A kprobe_multi link: one program on many kernel functions (Linux 5.18, {@code CONFIG_FPROBE}). */
    KPROBE_MULTI,
    /** A uprobe_multi link: one program on many offsets of one binary (Linux 6.6). */
    UPROBE_MULTI
  }

  private static volatile Boolean perfLinks;

  private final Kind kind;
  private final Fd fd;
  private final PerfEvent event;
  private final String description;

  private Link(Kind kind, Fd fd, PerfEvent event, String description) {
    this.kind = kind;
    this.fd = fd;
    this.event = event;
    this.description = description;
  }

  // ---- perf events ------------------------------------------------------------------------------------------

  /**
   * Attaches {@code program} to {@code event} and enables the event. The link owns the event from then on and
   * closes it when it is closed, also when attaching fails. {@code cookie} is what {@code bpf_get_attach_cookie}
   * returns in the program, so one program can serve many events.
   *
   * @throws jbpf.sys.NotSupportedException if {@code cookie} is not 0 and the kernel has no perf-event links
   * @throws SyscallException if the kernel refuses, e.g. {@code EINVAL} when the program type does not fit the event
   */
  public static Link perfEvent(BpfProgram program, PerfEvent event, long cookie) {
    Objects.requireNonNull(program);
    Objects.requireNonNull(event);
    String operation = "attach program " + program.name() + " to " + event.description();
    try {
      Link link = perfLink(program, event, cookie, operation);
      event.enable();
      return link;
    } catch (RuntimeException e) {
      event.close();
      throw e;
    }
  }

  private static Link perfLink(BpfProgram program, PerfEvent event, long cookie, String operation) {
    if (perfLinks != Boolean.FALSE) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment attr = arena.allocate(LinkCreate.LAYOUT);
        attr.set(JAVA_INT, LinkCreate.prog_fd, program.fd().get());
        attr.set(JAVA_INT, LinkCreate.target_fd, event.fd().get());
        attr.set(JAVA_INT, LinkCreate.attach_type, Bpf.BPF_PERF_EVENT);
        attr.set(JAVA_LONG, LinkCreate.perf_event_bpf_cookie, cookie);
        MemorySegment state = Sys.callState(arena);
        long fd = Sys.bpf(state, Bpf.BPF_LINK_CREATE, attr);
        if (fd >= 0) {
          perfLinks = Boolean.TRUE;
          return new Link(Kind.PERF_EVENT, Fd.adopt((int) fd, "bpf link " + event.description()), event, event.description());
        }
        Errno e = Errno.from(state);
        // Before Linux 5.15 BPF_LINK_CREATE knows no BPF_PERF_EVENT and says EINVAL; fall back to the ioctl.
        if (!(e == Errno.EINVAL && perfLinks == null && !KernelVersion.current().atLeast(5, 15)))
          throw attachError(operation, e, program);
        perfLinks = Boolean.FALSE;
      }
    }
    if (cookie != 0) throw Feature.PERF_LINK.notSupported(KernelVersion.current(), null).withContext(operation + " with a cookie");
    return perfEventByIoctl(program, event, operation);
  }

  /** Attaches with {@code PERF_EVENT_IOC_SET_BPF}, as kernels before 5.15 need; the event's fd holds the attachment. */
  static Link perfEventByIoctl(BpfProgram program, PerfEvent event, String operation) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      if (Sys.ioctl(state, event.fd().get(), Perf.PERF_EVENT_IOC_SET_BPF, program.fd().get()) < 0)
        throw attachError(operation, Errno.from(state), program);
    }
    return new Link(Kind.PERF_EVENT_IOCTL, event.fd(), event, event.description());
  }

  private static BpfException attachError(String operation, Errno e, BpfProgram program) {
    return switch (e) {
      case EINVAL -> new SyscallException(operation + ": a " + Bpf.progTypeName(program.type().value())
          + " program cannot attach there", e);
      case EEXIST -> new SyscallException(operation + ": a program is already attached to this event", e);
      case E2BIG -> new SyscallException(operation + ": too many programs on this hook", e);
      default -> BpfCall.error(operation, e, "attaching BPF programs", Capability.CAP_BPF, Capability.CAP_PERFMON);
    };
  }

  // ---- raw tracepoints and trampolines ------------------------------------------------------------------------

  /** Attaches a raw tracepoint program to raw tracepoint {@code name}, e.g. {@code sched_switch}. */
  public static Link rawTracepoint(BpfProgram program, String name) { return rawTracepoint(program, name, 0); }

  /**
   * Attaches a raw tracepoint program to raw tracepoint {@code name} with {@code cookie} (a non-zero cookie needs
   * Linux 6.10).
   *
   * @throws SyscallException with {@link Errno#ENOENT} if there is no such tracepoint
   */
  public static Link rawTracepoint(BpfProgram program, String name, long cookie) {
    Objects.requireNonNull(name);
    String operation = "attach program " + program.name() + " to raw tracepoint " + name;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(RawTracepoint.LAYOUT);
      attr.set(JAVA_LONG, RawTracepoint.name, arena.allocateFrom(name).address());
      attr.set(JAVA_INT, RawTracepoint.prog_fd, program.fd().get());
      attr.set(JAVA_LONG, RawTracepoint.cookie, cookie);
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_RAW_TRACEPOINT_OPEN, attr);
      if (fd < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.ENOENT) throw new SyscallException(operation + ": no such raw tracepoint", e);
        if (e == Errno.EINVAL && cookie != 0 && !KernelVersion.current().atLeast(6, 10))
          throw new SyscallException(operation + ": raw tracepoint cookies need Linux >= 6.10", e);
        throw attachError(operation, e, program);
      }
      return new Link(Kind.RAW_TRACEPOINT, Fd.adopt((int) fd, "bpf link raw tracepoint " + name), null, "raw tracepoint " + name);
    }
  }

  /**
   * Attaches an fentry, fexit or fmod_ret program to the kernel function it was loaded for, with {@code cookie}.
   *
   * @throws jbpf.sys.NotSupportedException if the kernel cannot attach such programs
   */
  public static Link tracing(BpfProgram program, long cookie) {
    AttachType type = program.expectedAttachType();
    String target = program.spec().attachTo() != null ? program.spec().attachTo() : "its target";
    String operation = "attach program " + program.name() + " to " + target;
    if (type == null) throw new IllegalArgumentException("program " + program.name() + " was loaded without an expected attach type");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(LinkCreate.LAYOUT);
      attr.set(JAVA_INT, LinkCreate.prog_fd, program.fd().get());
      attr.set(JAVA_INT, LinkCreate.attach_type, type.value());
      attr.set(JAVA_LONG, LinkCreate.tracing_cookie, cookie);
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_LINK_CREATE, attr);
      if (fd < 0 && Errno.from(state) == Errno.EINVAL && cookie == 0) {
        // Kernels before BPF_LINK_CREATE took tracing programs attach them with a nameless raw tracepoint open.
        MemorySegment raw = arena.allocate(RawTracepoint.LAYOUT);
        raw.set(JAVA_INT, RawTracepoint.prog_fd, program.fd().get());
        fd = Sys.bpf(state, Bpf.BPF_RAW_TRACEPOINT_OPEN, raw);
      }
      if (fd < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.ENOTSUPP || e == Errno.EOPNOTSUPP || e == Errno.ENODEV)
          throw Feature.FENTRY.notSupported(KernelVersion.current(), "BPF trampolines: " + e.describe()).withContext(operation);
        throw attachError(operation, e, program);
      }
      return new Link(Kind.TRACING, Fd.adopt((int) fd, "bpf link " + type + " " + target), null, type + " " + target);
    }
  }

  // ---- multi links ------------------------------------------------------------------------------------------

  /**
   * Attaches a kprobe program, loaded with expected attach type {@code TRACE_KPROBE_MULTI}, to every kernel function
   * in {@code symbols} in one link.
   *
   * @param cookies one cookie per symbol, or {@code null}
   * @param retprobe whether to fire on return rather than entry
   * @throws jbpf.sys.NotSupportedException if the kernel has no kprobe_multi links
   */
  public static Link kprobeMulti(BpfProgram program, List<String> symbols, long[] cookies, boolean retprobe) {
    if (symbols.isEmpty()) throw new IllegalArgumentException("kprobe_multi needs at least one symbol");
    if (cookies != null && cookies.length != symbols.size()) throw new IllegalArgumentException("one cookie per symbol");
    String what = (retprobe ? "kretprobe_multi " : "kprobe_multi ") + symbols.getFirst()
        + (symbols.size() > 1 ? " and " + (symbols.size() - 1) + " more" : "");
    String operation = "attach program " + program.name() + " to " + what;
    if (!KernelVersion.current().atLeast(5, 18)) throw Feature.KPROBE_MULTI.notSupported(KernelVersion.current(), null).withContext(operation);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment syms = arena.allocate(ADDRESS, symbols.size());
      for (int i = 0; i < symbols.size(); i++) syms.setAtIndex(ADDRESS, i, arena.allocateFrom(symbols.get(i)));
      MemorySegment attr = arena.allocate(LinkCreate.LAYOUT);
      attr.set(JAVA_INT, LinkCreate.prog_fd, program.fd().get());
      attr.set(JAVA_INT, LinkCreate.attach_type, Bpf.BPF_TRACE_KPROBE_MULTI);
      attr.set(JAVA_INT, LinkCreate.kprobe_multi_flags, retprobe ? Bpf.BPF_F_KPROBE_MULTI_RETURN : 0);
      attr.set(JAVA_INT, LinkCreate.kprobe_multi_cnt, symbols.size());
      attr.set(JAVA_LONG, LinkCreate.kprobe_multi_syms, syms.address());
      if (cookies != null) attr.set(JAVA_LONG, LinkCreate.kprobe_multi_cookies, longs(arena, cookies).address());
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_LINK_CREATE, attr);
      if (fd < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.EOPNOTSUPP || e == Errno.ENOTSUPP)
          throw Feature.KPROBE_MULTI.notSupported(KernelVersion.current(), "CONFIG_FPROBE is not set").withContext(operation);
        if (e == Errno.ESRCH || e == Errno.ENOENT) throw new SyscallException(operation + ": a function is not in available_filter_functions", e);
        throw attachError(operation, e, program);
      }
      return new Link(Kind.KPROBE_MULTI, Fd.adopt((int) fd, "bpf link " + what), null, what);
    }
  }

  /**
   * Attaches a uprobe program, loaded with expected attach type {@code TRACE_UPROBE_MULTI}, to file offsets
   * {@code offsets} of {@code binary} in one link.
   *
   * @param refCtrOffsets USDT semaphore offsets, one per offset, or {@code null}
   * @param cookies one cookie per offset, or {@code null}
   * @param pid the only process to fire for, or -1 for every process
   * @throws jbpf.sys.NotSupportedException if the kernel has no uprobe_multi links
   */
  public static Link uprobeMulti(BpfProgram program, Path binary, long[] offsets, long[] refCtrOffsets, long[] cookies,
                                 boolean retprobe, int pid) {
    if (offsets.length == 0) throw new IllegalArgumentException("uprobe_multi needs at least one offset");
    if (cookies != null && cookies.length != offsets.length) throw new IllegalArgumentException("one cookie per offset");
    if (refCtrOffsets != null && refCtrOffsets.length != offsets.length) throw new IllegalArgumentException("one ref_ctr_offset per offset");
    String what = (retprobe ? "uretprobe_multi " : "uprobe_multi ") + binary + " (" + offsets.length + " offsets)" + (pid > 0 ? " pid " + pid : "");
    String operation = "attach program " + program.name() + " to " + what;
    if (!KernelVersion.current().atLeast(6, 6)) throw Feature.UPROBE_MULTI.notSupported(KernelVersion.current(), null).withContext(operation);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(LinkCreate.LAYOUT);
      attr.set(JAVA_INT, LinkCreate.prog_fd, program.fd().get());
      attr.set(JAVA_INT, LinkCreate.attach_type, Bpf.BPF_TRACE_UPROBE_MULTI);
      attr.set(JAVA_LONG, LinkCreate.uprobe_multi_path, arena.allocateFrom(binary.toString()).address());
      attr.set(JAVA_LONG, LinkCreate.uprobe_multi_offsets, longs(arena, offsets).address());
      if (refCtrOffsets != null) attr.set(JAVA_LONG, LinkCreate.uprobe_multi_ref_ctr_offsets, longs(arena, refCtrOffsets).address());
      if (cookies != null) attr.set(JAVA_LONG, LinkCreate.uprobe_multi_cookies, longs(arena, cookies).address());
      attr.set(JAVA_INT, LinkCreate.uprobe_multi_cnt, offsets.length);
      attr.set(JAVA_INT, LinkCreate.uprobe_multi_flags, retprobe ? Bpf.BPF_F_UPROBE_MULTI_RETURN : 0);
      attr.set(JAVA_INT, LinkCreate.uprobe_multi_pid, Math.max(pid, 0));
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_LINK_CREATE, attr);
      if (fd < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.EOPNOTSUPP || e == Errno.ENOTSUPP)
          throw Feature.UPROBE_MULTI.notSupported(KernelVersion.current(), "CONFIG_UPROBES is not set").withContext(operation);
        if (e == Errno.ENOENT) throw new SyscallException(operation + ": " + binary + " does not exist", e);
        if (e == Errno.ESRCH) throw new SyscallException(operation + ": the process does not exist", e);
        throw attachError(operation, e, program);
      }
      return new Link(Kind.UPROBE_MULTI, Fd.adopt((int) fd, "bpf link " + what), null, what);
    }
  }

  private static MemorySegment longs(Arena arena, long[] values) {
    MemorySegment s = arena.allocate(JAVA_LONG, values.length);
    MemorySegment.copy(values, 0, s, JAVA_LONG, 0, values.length);
    return s;
  }

  // ---- the link ---------------------------------------------------------------------------------------------

  /** {@return how the program is attached} */
  public Kind kind() { return kind; }

  /** {@return what the program is attached to, e.g. {@code tracepoint syscalls:sys_enter_getpid}} */
  public String description() { return description; }

  /** {@return the fd that holds the attachment: the link's, or the perf event's for {@link Kind#PERF_EVENT_IOCTL}} */
  public Fd fd() { return fd; }

  /** {@return the perf event of a perf-event attachment, or {@code null}} */
  public PerfEvent event() { return event; }

  /** {@return whether the program is still attached through this link} */
  public boolean isOpen() { return fd.isOpen(); }

  /**
   * {@return what the kernel reports about this link}
   * @throws IllegalStateException for {@link Kind#PERF_EVENT_IOCTL}, which is no BPF link
   */
  public LinkInfo info() {
    if (kind == Kind.PERF_EVENT_IOCTL) throw new IllegalStateException(description + " is attached by ioctl, not a BPF link");
    try (Arena arena = Arena.ofConfined()) {
      return infoOf(BpfObjects.info(fd, BpfInfo.Link.LAYOUT, arena));
    }
  }

  private static LinkInfo infoOf(MemorySegment i) {
    return new LinkInfo(i.get(JAVA_INT, BpfInfo.Link.id), Bpf.linkTypeName(i.get(JAVA_INT, BpfInfo.Link.type)),
        i.get(JAVA_INT, BpfInfo.Link.prog_id));
  }

  /** {@return every BPF link in the kernel, of any process} (needs {@code CAP_SYS_ADMIN}) */
  public static List<LinkInfo> loaded() {
    List<LinkInfo> out = new ArrayList<>();
    for (int id : BpfObjects.ids(BpfObjects.Kind.LINK)) {
      try (Fd fd = BpfObjects.open(BpfObjects.Kind.LINK, id); Arena arena = Arena.ofConfined()) {
        out.add(infoOf(BpfObjects.info(fd, BpfInfo.Link.LAYOUT, arena)));
      } catch (SyscallException e) {
        if (e.errno() != Errno.ENOENT) throw e;
      }
    }
    return out;
  }

  /** Detaches the program: closes the link and its perf event. Closing twice does nothing. */
  @Override public void close() {
    fd.close();
    if (event != null) event.close();
  }

  /** Detaches the program and keeps the perf event open: the first half of {@link #close()}. */
  void detachProgram() {
    if (kind != Kind.PERF_EVENT_IOCTL) fd.close();
  }

  /**
   * Closes many links at once, much faster than one by one: every program is detached in parallel threads, which
   * share the kernel's grace-period waits, then the perf events are released. Equivalent to
   * {@code closeAll(links, Release.WAIT)}.
   */
  public static void closeAll(Collection<? extends Link> links) { Detacher.closeAll(links, Release.WAIT); }

  /**
   * Closes many links at once: detaches every program in parallel threads (360 tracepoints: about 0.5 s instead of
   * 11 s), then releases their perf events as {@code release} says. When it returns, every program is detached and
   * every link closed.
   */
  public static void closeAll(Collection<? extends Link> links, Release release) { Detacher.closeAll(links, release); }

  @Override public String toString() { return kind + " link to " + description + " (" + fd + ")"; }
}
