package jbpf.features;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jbpf.asm.Reg.R0;
import static jbpf.asm.Reg.R1;
import static jbpf.asm.Reg.R2;
import static jbpf.asm.Reg.R3;
import static jbpf.asm.Reg.R4;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.kernel.internal.MiniBtf;
import jbpf.kernel.internal.VmlinuxBtf;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.perf.HardwareEvent;
import jbpf.perf.PerfEvent;
import jbpf.perf.Sampling;
import jbpf.perf.Target;
import jbpf.perf.Tracefs;
import jbpf.prog.BpfProgram;
import jbpf.prog.BtfObject;
import jbpf.prog.ProgramBtf;
import jbpf.prog.LoadOptions;
import jbpf.prog.TestRun;
import jbpf.spec.AttachType;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr.LinkCreate;
import jbpf.sys.Errno;
import jbpf.sys.Feature;
import jbpf.sys.FeatureProbe;
import jbpf.sys.KernelVersion;
import jbpf.sys.NotSupportedException;
import jbpf.sys.PermissionException;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;
import jbpf.sys.VerifierException;

/**
 * What the running kernel and machine can do, found by small experiments (load a tiny program, create a tiny
 * map, look for a PMU) the first time each question is asked, then remembered. Each probe costs at most a few
 * system calls, except {@link Feature#FENTRY}, which reads the vmlinux BTF.
 *
 * <p>A probe that cannot run for lack of privileges throws {@link PermissionException} and is not remembered.
 */
public final class Features {
  private Features() {}

  /** A probe's finding: supported, or not with what it found. */
  private record Result(boolean supported, String detail) {
    static final Result YES = new Result(true, null);

    static Result no(String detail) { return new Result(false, detail); }
  }

  private static final Map<Feature, Result> CACHE = new EnumMap<>(Feature.class);

  /** {@return the running kernel's version} */
  public static KernelVersion kernel() { return KernelVersion.current(); }

  /** {@return whether the running kernel and machine have {@code feature}} */
  public static boolean has(Feature feature) { return result(feature).supported(); }

  /** {@return empty if {@code feature} is available, else the exception explaining why not} */
  public static Optional<NotSupportedException> check(Feature feature) {
    Result r = result(feature);
    return r.supported() ? Optional.empty() : Optional.of(feature.notSupported(kernel(), r.detail()));
  }

  /** Does nothing if {@code feature} is available. @throws NotSupportedException explaining why it is not */
  public static void require(Feature feature) {
    Optional<NotSupportedException> e = check(feature);
    if (e.isPresent()) throw e.get();
  }

  /** {@return whether {@code BPF_MAP_TYPE_RINGBUF} maps can be created} */
  public static boolean ringBuffers() { return has(Feature.RINGBUF); }

  /** {@return whether programs attach to perf events through BPF links (with cookies)} */
  public static boolean perfLinks() { return has(Feature.PERF_LINK); }

  /** {@return whether programs may call {@code bpf_get_attach_cookie}} */
  public static boolean attachCookie() { return has(Feature.ATTACH_COOKIE); }

  /** {@return whether kprobes can be created through the kprobe PMU} */
  public static boolean kprobes() { return has(Feature.KPROBES); }

  /** {@return whether uprobes can be created through the uprobe PMU} */
  public static boolean uprobes() { return has(Feature.UPROBES); }

  /** {@return whether fentry programs load and attach} */
  public static boolean fentry() { return has(Feature.FENTRY); }

  /** {@return whether kprobe_multi links exist} */
  public static boolean kprobeMulti() { return has(Feature.KPROBE_MULTI); }

  /** {@return whether uprobe_multi links exist} */
  public static boolean uprobeMulti() { return has(Feature.UPROBE_MULTI); }

  /** {@return whether this machine has hardware performance counters} */
  public static boolean hardwarePmu() { return has(Feature.HARDWARE_PMU); }

  /** {@return whether raw tracepoint programs can be test-run, as BEGIN and END probes are} */
  public static boolean rawTracepointTestRun() { return has(Feature.RAW_TP_TEST_RUN); }

  /** {@return whether the verifier accepts bounded loops} */
  public static boolean boundedLoops() { return has(Feature.BOUNDED_LOOPS); }

  /** {@return whether programs may call {@code bpf_loop}} */
  public static boolean bpfLoop() { return has(Feature.BPF_LOOP); }

  /** {@return whether the kernel describes itself in BTF ({@code /sys/kernel/btf/vmlinux})} */
  public static boolean btf() { return has(Feature.BTF); }

  private static Result result(Feature feature) {
    synchronized (CACHE) {
      Result r = CACHE.get(feature);
      if (r != null) return r;
    }
    Result r = probe(feature);
    synchronized (CACHE) {
      CACHE.putIfAbsent(feature, r);
      return CACHE.get(feature);
    }
  }

  private static Result probe(Feature feature) {
    return switch (feature) {
      case RINGBUF -> ringBufferProbe();
      case PERF_LINK -> perfLinkProbe();
      case ATTACH_COOKIE -> loads(ProgramType.TRACEPOINT, null, Insn.call(Helper.GET_ATTACH_COOKIE), Alu.MOV.imm(R0, 0), Insn.exit());
      case KPROBES -> pmuProbe("kprobe", Files.exists(Tracefs.TRACING.resolve("kprobe_events"))
          ? "no kprobe PMU in /sys/bus/event_source/devices; it needs Linux >= 4.17" : "CONFIG_KPROBES is not set");
      case UPROBES -> pmuProbe("uprobe", "CONFIG_UPROBE_EVENTS is not set");
      case BREAKPOINTS -> pmuProbe("breakpoint", "CONFIG_HAVE_HW_BREAKPOINT is not set");
      case FENTRY -> fentryProbe();
      case KPROBE_MULTI -> multiLinkProbe(AttachType.TRACE_KPROBE_MULTI);
      case UPROBE_MULTI -> multiLinkProbe(AttachType.TRACE_UPROBE_MULTI);
      case HARDWARE_PMU -> hardwareProbe();
      case RAW_TP_TEST_RUN -> testRunProbe();
      case BOUNDED_LOOPS -> boundedLoopProbe();
      case BPF_LOOP -> bpfLoopProbe();
      case BATCH_OPS -> batchProbe();
      case RUN_STATS -> kernel().atLeast(5, 8) ? Result.YES : Result.no(null);
      case BTF -> Files.isReadable(VmlinuxBtf.VMLINUX) ? Result.YES : Result.no(VmlinuxBtf.VMLINUX + " is missing");
      case TRACEFS -> tracefsProbe();
      // The kernel offers the helper to kprobe programs only when built with CONFIG_BPF_KPROBE_OVERRIDE.
      case OVERRIDE_RETURN -> loads(ProgramType.KPROBE, null, Alu.MOV.imm(R2, 0), Insn.call(Helper.OVERRIDE_RETURN), Alu.MOV.imm(R0, 0),
          Insn.exit()).supported() ? Result.YES : Result.no(null);
    };
  }

  /**
   * {@return whether programs of {@code type} may call {@code helper}}, found as bpftool finds it: a program calling
   * it with arguments of zero is loaded, and only a verifier log naming the function unknown or not allowed says no
   * (other complaints are about the arguments).
   */
  public static boolean helper(ProgramType type, Helper helper) {
    InsnList code = new InsnList();
    for (jbpf.asm.Reg r : List.of(R1, R2, R3, R4, jbpf.asm.Reg.R5)) code.add(Alu.MOV.imm(r, 0));
    code.add(Insn.call(helper), Alu.MOV.imm(R0, 0), Insn.exit());
    ProgramSpec spec = new ProgramSpec("probe", type, null, null, code.resolve(), "GPL");
    try (BpfProgram _ = BpfProgram.load(spec)) {
      return true;
    } catch (VerifierException e) {
      String log = String.join("\n", e.log());
      return !(log.contains("invalid func ") || log.contains("unknown func ") || log.contains("cannot call helper")
          || log.contains("not allowed") || log.contains("program of this type cannot use helper"));
    } catch (SyscallException e) {
      return false;
    }
  }

  /** {@return whether this kernel creates maps of {@code type}}, tried with a small map */
  public static boolean mapType(MapType type) {
    MapSpec spec = switch (type) {
      case RINGBUF -> MapSpec.ringBuffer("probe", (int) Sys.pageSize());
      case STACK_TRACE -> new MapSpec("probe", type, 4, 8 * 8, 1);
      case PERF_EVENT_ARRAY -> new MapSpec("probe", type, 4, 4, 1);
      case ARRAY, PERCPU_ARRAY -> new MapSpec("probe", type, 4, 8, 1);
      default -> new MapSpec("probe", type, 8, 8, 1);
    };
    try (BpfMap _ = BpfMap.create(spec)) {
      return true;
    } catch (NotSupportedException | SyscallException e) {
      return false;
    }
  }

  // ---- probes -------------------------------------------------------------------------------------------------

  private static Result ringBufferProbe() {
    try (BpfMap _ = BpfMap.create(MapSpec.ringBuffer("probe_ringbuf", (int) Sys.pageSize()))) {
      return Result.YES;
    } catch (NotSupportedException e) {
      return Result.no(null);
    } catch (SyscallException e) {
      return Result.no("create map: " + e.errno().name());
    }
  }

  private static Result pmuProbe(String pmu, String missing) {
    return Files.exists(Path.of("/sys/bus/event_source/devices", pmu, "type")) ? Result.YES : Result.no(missing);
  }

  /** Links a tracepoint program to fd -1: a kernel with perf-event links checks the fd (EBADF), an older one the attach type (EINVAL). */
  private static Result perfLinkProbe() {
    try (BpfProgram p = tiny(ProgramType.TRACEPOINT, null); Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(LinkCreate.LAYOUT);
      attr.set(JAVA_INT, LinkCreate.prog_fd, p.fd().get());
      attr.set(JAVA_INT, LinkCreate.target_fd, -1);
      attr.set(JAVA_INT, LinkCreate.attach_type, Bpf.BPF_PERF_EVENT);
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_LINK_CREATE, attr);
      if (fd >= 0) throw new IllegalStateException("a perf-event link to fd -1 was created");
      Errno e = Errno.from(state);
      return e == Errno.EBADF ? Result.YES : Result.no("link create: " + e.name());
    }
  }

  /**
   * Creates a multi link with arguments the kernel must refuse: one that has such links checks them (EBADF for a
   * directory as the binary, ESRCH or similar for an unknown symbol), one without says EOPNOTSUPP or EINVAL.
   */
  private static Result multiLinkProbe(AttachType type) {
    boolean kprobe = type == AttachType.TRACE_KPROBE_MULTI;
    if (!kernel().atLeast(kprobe ? 5 : 6, kprobe ? 18 : 6)) return Result.no(null);
    BpfProgram p;
    try {
      p = tiny(ProgramType.KPROBE, type);
    } catch (SyscallException e) {
      return Result.no("load program: " + e.errno().name());
    }
    try (p; Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(LinkCreate.LAYOUT);
      attr.set(JAVA_INT, LinkCreate.prog_fd, p.fd().get());
      attr.set(JAVA_INT, LinkCreate.attach_type, type.value());
      MemorySegment offsets = arena.allocate(JAVA_LONG, 1);
      if (kprobe) {
        MemorySegment syms = arena.allocate(JAVA_LONG, 1);
        syms.set(JAVA_LONG, 0, arena.allocateFrom("jbpf_no_such_function").address());
        attr.set(JAVA_INT, LinkCreate.kprobe_multi_cnt, 1);
        attr.set(JAVA_LONG, LinkCreate.kprobe_multi_syms, syms.address());
      } else {
        attr.set(JAVA_LONG, LinkCreate.uprobe_multi_path, arena.allocateFrom("/").address());
        attr.set(JAVA_LONG, LinkCreate.uprobe_multi_offsets, offsets.address());
        attr.set(JAVA_INT, LinkCreate.uprobe_multi_cnt, 1);
      }
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, Bpf.BPF_LINK_CREATE, attr);
      if (fd >= 0) {
        try (Arena c = Arena.ofConfined()) {
          Sys.close(Sys.callState(c), (int) fd);
        }
        return Result.YES;
      }
      Errno e = Errno.from(state);
      if (e == Errno.EOPNOTSUPP || e == Errno.ENOTSUPP)
        return Result.no((kprobe ? "CONFIG_FPROBE" : "CONFIG_UPROBES") + " is not set");
      if (e == Errno.EINVAL) return Result.no("link create: EINVAL");
      return Result.YES;
    }
  }

  private static Result fentryProbe() {
    if (!kernel().atLeast(5, 5)) return Result.no(null);
    // First a load naming BTF type 1, which is no function: a kernel that takes tracing programs explains that in
    // the log (EINVAL); one that refuses them says so at once. This spares the BTF search in the second case.
    ProgramSpec bogus = new ProgramSpec("probe_fentry", ProgramType.TRACING, AttachType.TRACE_FENTRY, "-",
        Bytecode.of(List.of(Alu.MOV.imm(R0, 0), Insn.exit())), "GPL");
    try (BpfProgram _ = BpfProgram.load(bogus, n -> null, LoadOptions.defaults().withAttachBtfId(1, null))) {
      return Result.no("a tracing program loaded for BTF type 1");
    } catch (NotSupportedException e) {
      return Result.no(e.detail());
    } catch (VerifierException | SyscallException e) {
      // expected: go on with a real function
    }
    OptionalInt id = OptionalInt.empty();
    String target = null;
    for (String fn : List.of("bpf_fentry_test1", "do_nanosleep", "vfs_read")) {
      id = VmlinuxBtf.findFunction(fn);
      if (id.isPresent()) {
        target = fn;
        break;
      }
    }
    if (id.isEmpty()) return Result.no(Files.exists(VmlinuxBtf.VMLINUX) ? "no probe function in the vmlinux BTF" : "no vmlinux BTF");
    ProgramSpec spec = new ProgramSpec("probe_fentry", ProgramType.TRACING, AttachType.TRACE_FENTRY, target,
        Bytecode.of(List.of(Alu.MOV.imm(R0, 0), Insn.exit())), "GPL");
    try (BpfProgram p = BpfProgram.load(spec, n -> null, LoadOptions.defaults().withAttachBtfId(id.getAsInt(), null));
         Link _ = Link.tracing(p, 0)) {
      return Result.YES;
    } catch (NotSupportedException e) {
      return Result.no(e.detail());
    } catch (VerifierException e) {
      return Result.no("load: " + e.reason());
    } catch (SyscallException e) {
      return Result.no(e.getMessage());
    }
  }

  private static Result hardwareProbe() {
    try (PerfEvent _ = PerfEvent.hardware(HardwareEvent.CPU_CYCLES, Sampling.period(1_000_000), Target.process(0))) {
      return Result.YES;
    } catch (NotSupportedException e) {
      return Result.no(e.detail());
    }
  }

  private static Result testRunProbe() {
    try (BpfProgram p = tiny(ProgramType.RAW_TRACEPOINT, null)) {
      p.testRun(TestRun.withArgs(0));
      return Result.YES;
    } catch (NotSupportedException e) {
      return Result.no(null);
    } catch (SyscallException e) {
      return Result.no("test run: " + e.errno().name());
    }
  }

  private static Result boundedLoopProbe() {
    Label top = new Label("loop");
    InsnList l = new InsnList().add(Alu.MOV.imm(R0, 0)).bind(top).add(Alu.ADD.imm(R0, 1), Jmp.JLT.imm(R0, 4, top),
        Alu.MOV.imm(R0, 0), Insn.exit());
    return loads(ProgramType.TRACEPOINT, l.resolve());
  }

  /** Loads {@code bpf_loop(1, callback, 0, 0)}; a callback needs BTF, so the program brings the least there is. */
  private static Result bpfLoopProbe() {
    if (!kernel().atLeast(5, 17)) return Result.no(null);
    Label callback = new Label("callback");
    InsnList l = new InsnList().add(Alu.MOV.imm(R1, 1), Insn.ldFunc(R2, callback), Alu.MOV.imm(R3, 0), Alu.MOV.imm(R4, 0),
        Insn.call(Helper.LOOP), Alu.MOV.imm(R0, 0), Insn.exit()).bind(callback).add(Alu.MOV.imm(R0, 0), Insn.exit());
    Bytecode code = l.resolve();
    MiniBtf.Result btf = MiniBtf.of(List.of(new MiniBtf.Function("probe", 0), new MiniBtf.Function("callback", code.slots() - 2)));
    try (BtfObject types = BtfObject.load(btf.btf())) {
      ProgramSpec spec = new ProgramSpec("probe_loop", ProgramType.TRACEPOINT, code);
      try (BpfProgram _ = BpfProgram.load(spec, n -> null, LoadOptions.defaults().withBtf(new ProgramBtf(types, btf.funcInfo(), null)))) {
        return Result.YES;
      }
    } catch (VerifierException e) {
      return Result.no("verifier: " + e.reason());
    } catch (SyscallException e) {
      return Result.no(e.getMessage());
    }
  }

  private static Result batchProbe() {
    try (BpfMap m = BpfMap.create(new MapSpec("probe_batch", MapType.HASH, 4, 4, 1))) {
      int[] n = {0};
      m.update(new byte[4], new byte[4]);
      m.forEach((k, v) -> n[0]++);
      return kernel().atLeast(5, 6) ? Result.YES : Result.no(null);
    }
  }

  private static Result tracefsProbe() {
    try {
      Tracefs.get();
      return Result.YES;
    } catch (NotSupportedException e) {
      return Result.no(e.detail());
    }
  }

  private static Result loads(ProgramType type, AttachType attachType, Insn... insns) {
    return loads(type, Bytecode.of(List.of(insns)), attachType);
  }

  private static Result loads(ProgramType type, Bytecode code) { return loads(type, code, null); }

  private static Result loads(ProgramType type, Bytecode code, AttachType attachType) {
    ProgramSpec spec = new ProgramSpec("probe", type, attachType, null, code, "GPL");
    try (BpfProgram _ = BpfProgram.load(spec)) {
      return Result.YES;
    } catch (VerifierException e) {
      return Result.no("verifier: " + e.reason());
    } catch (SyscallException e) {
      return Result.no("load: " + e.errno().name());
    }
  }

  private static BpfProgram tiny(ProgramType type, AttachType attachType) {
    ProgramSpec spec = new ProgramSpec("probe", type, attachType, null, Bytecode.of(List.of(Alu.MOV.imm(R0, 0), Insn.exit())), "GPL");
    return BpfProgram.load(spec);
  }

  /** The {@link FeatureProbe} service: {@link Features#check} for code that cannot depend on jbpf.kernel. */
  public static final class Probe implements FeatureProbe {
    /** Creates the service; the state lives in {@link Features}. */
    public Probe() {}

    @Override public Optional<NotSupportedException> check(Feature feature) { return Features.check(feature); }
  }
}
