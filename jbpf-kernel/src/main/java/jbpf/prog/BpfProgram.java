package jbpf.prog;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import jbpf.kernel.internal.BpfCall;
import jbpf.kernel.internal.VmlinuxBtf;
import jbpf.map.BpfMap;
import jbpf.spec.AttachType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr.ProgLoad;
import jbpf.sys.BpfAttr.TestRun;
import jbpf.sys.BpfException;
import jbpf.sys.BpfInfo;
import jbpf.sys.BpfObjects;
import jbpf.sys.Capabilities;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.Memlock;
import jbpf.sys.NotSupportedException;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;
import jbpf.sys.VerifierException;

/**
 * A program loaded into the kernel from a {@link ProgramSpec}: verified, JIT-compiled, and ready to attach with
 * {@code jbpf.link.Link} or to run once with {@link #testRun}. It stays loaded while its fd or an attachment
 * holds it.
 */
public final class BpfProgram implements AutoCloseable {
  private static final int MIN_LOG = 64 * 1024;
  private static final int MAX_LOG = Integer.MAX_VALUE >>> 2; // UINT_MAX >> 2 is the kernel's limit (Linux 5.2+)

  private final ProgramSpec spec;
  private final Fd fd;
  private final AttachType expectedAttachType;
  private final String verifierLog;

  private BpfProgram(ProgramSpec spec, Fd fd, AttachType expectedAttachType, String verifierLog) {
    this.spec = spec;
    this.fd = fd;
    this.expectedAttachType = expectedAttachType;
    this.verifierLog = verifierLog;
  }

  /** {@return the program {@code spec} describes, loaded with default options; see {@link #load(ProgramSpec, MapResolver, LoadOptions)}} */
  public static BpfProgram load(ProgramSpec spec, Map<String, BpfMap> maps) {
    return load(spec, maps::get, LoadOptions.defaults());
  }

  /** {@return the program {@code spec} describes, which references no maps, loaded with default options} */
  public static BpfProgram load(ProgramSpec spec) { return load(spec, name -> null, LoadOptions.defaults()); }

  /**
   * Loads the program {@code spec} describes: map references become the fds {@code maps} resolves, and the
   * verifier checks the result. A failed load that the verifier explains is repeated with a log (or a larger
   * log, on {@code ENOSPC}) so that the exception carries it.
   *
   * @throws VerifierException if the verifier rejects the program; it has the log and the failing instruction
   * @throws jbpf.sys.PermissionException if this process may not load programs
   * @throws NotSupportedException if the kernel lacks the program type or attach target, e.g. fentry
   * @throws SyscallException for other refusals
   * @throws IllegalArgumentException if the program refers to a map {@code maps} does not know
   */
  public static BpfProgram load(ProgramSpec spec, MapResolver maps, LoadOptions options) {
    return load(spec, maps, options, options.log() == VerifierLog.FULL ? 16 * MIN_LOG : MIN_LOG);
  }

  /** {@link #load(ProgramSpec, MapResolver, LoadOptions)} starting with a log buffer of {@code logSize} bytes. */
  static BpfProgram load(ProgramSpec spec, MapResolver maps, LoadOptions options, int initialLogSize) {
    Objects.requireNonNull(spec);
    Objects.requireNonNull(options);
    String operation = "load program " + spec.name();
    byte[] code = spec.code().encode(n -> {
      BpfMap m = maps.resolve(n);
      if (m == null) throw new IllegalArgumentException("program " + spec.name() + " refers to map " + n + ", which was not given");
      return m.fd().get();
    });
    AttachType attachType = options.expectedAttachType() != null ? options.expectedAttachType() : spec.expectedAttachType();
    int btfId = options.attachBtfId();
    if (spec.type() == ProgramType.TRACING && btfId == 0) btfId = resolveBtfId(spec, operation);
    Memlock.ensureRaised();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment insns = arena.allocate(code.length, 8);
      MemorySegment.copy(code, 0, insns, JAVA_BYTE, 0, code.length);
      MemorySegment license = arena.allocateFrom(spec.license());
      MemorySegment attr = arena.allocate(ProgLoad.LAYOUT);
      MemorySegment state = Sys.callState(arena);
      attr.set(JAVA_INT, ProgLoad.prog_type, spec.type().value());
      attr.set(JAVA_INT, ProgLoad.insn_cnt, code.length / 8);
      attr.set(JAVA_LONG, ProgLoad.insns, insns.address());
      attr.set(JAVA_LONG, ProgLoad.license, license.address());
      attr.set(JAVA_INT, ProgLoad.kern_version,
          options.kernelVersion() != 0 ? options.kernelVersion() : KernelVersion.current().code());
      attr.set(JAVA_INT, ProgLoad.prog_flags, options.flags());
      BpfCall.putName(attr, ProgLoad.prog_name, spec.name());
      if (attachType != null) attr.set(JAVA_INT, ProgLoad.expected_attach_type, attachType.value());
      attr.set(JAVA_INT, ProgLoad.attach_btf_id, btfId);
      if (options.attachBtfObjFd() != null) attr.set(JAVA_INT, ProgLoad.attach_btf_obj_fd, options.attachBtfObjFd().get());
      if (options.btf() != null) {
        ProgramBtf btf = options.btf();
        attr.set(JAVA_INT, ProgLoad.prog_btf_fd, btf.btf().fd().get());
        attr.set(JAVA_INT, ProgLoad.func_info_rec_size, ProgramBtf.FUNC_INFO_SIZE);
        attr.set(JAVA_LONG, ProgLoad.func_info, in(arena, btf.funcInfo()).address());
        attr.set(JAVA_INT, ProgLoad.func_info_cnt, btf.funcInfo().length / ProgramBtf.FUNC_INFO_SIZE);
        if (btf.lineInfo().length > 0) {
          attr.set(JAVA_INT, ProgLoad.line_info_rec_size, ProgramBtf.LINE_INFO_SIZE);
          attr.set(JAVA_LONG, ProgLoad.line_info, in(arena, btf.lineInfo()).address());
          attr.set(JAVA_INT, ProgLoad.line_info_cnt, btf.lineInfo().length / ProgramBtf.LINE_INFO_SIZE);
        }
      }

      int level = options.log().level();
      int logSize = initialLogSize;
      while (true) {
        MemorySegment log = level == 0 ? MemorySegment.NULL : arena.allocate(logSize);
        attr.set(JAVA_INT, ProgLoad.log_level, level);
        attr.set(JAVA_INT, ProgLoad.log_size, level == 0 ? 0 : logSize);
        attr.set(JAVA_LONG, ProgLoad.log_buf, log.address());
        attr.set(JAVA_INT, ProgLoad.log_true_size, 0);
        long fd = Sys.bpf(state, Bpf.BPF_PROG_LOAD, attr);
        String logText = level == 0 ? "" : log.getString(0);
        if (fd >= 0) return new BpfProgram(spec, Fd.adopt((int) fd, "bpf program " + spec.name()), attachType, logText);
        Errno e = Errno.from(state);
        if (e == Errno.ENOSPC && level != 0 && logSize < MAX_LOG) {
          // The log did not fit. Linux 6.4+ says how large it must be; older kernels make us guess.
          int needed = attr.get(JAVA_INT, ProgLoad.log_true_size);
          logSize = (int) Math.min(MAX_LOG, Math.max((long) needed + 1, 4L * logSize));
          continue;
        }
        if ((e == Errno.EACCES || e == Errno.EINVAL) && (level & (Bpf.BPF_LOG_LEVEL1 | Bpf.BPF_LOG_LEVEL2)) == 0) {
          // Rejected without an instruction log: load again with one, for the exception.
          level |= Bpf.BPF_LOG_LEVEL1;
          continue;
        }
        throw loadError(spec, operation, e, logText, attachType, code.length / 8);
      }
    }
  }

  private static int resolveBtfId(ProgramSpec spec, String operation) {
    if (spec.attachTo() == null)
      throw new IllegalArgumentException("program " + spec.name() + " is a tracing program but names no kernel function (attachTo)");
    OptionalInt id = VmlinuxBtf.findFunction(spec.attachTo());
    if (id.isPresent()) return id.getAsInt();
    if (!java.nio.file.Files.exists(VmlinuxBtf.VMLINUX))
      throw Feature.BTF.notSupported(KernelVersion.current(), VmlinuxBtf.VMLINUX + " is missing").withContext(operation);
    throw new SyscallException(operation + ": kernel function " + spec.attachTo() + " is not in the vmlinux BTF", Errno.ENOENT);
  }

  private static BpfException loadError(ProgramSpec spec, String operation, Errno e, String log, AttachType attachType, int insns) {
    boolean tracing = spec.type() == ProgramType.TRACING;
    if (tracing && (e == Errno.ENOTSUPP || e == Errno.EOPNOTSUPP || log.contains("trampoline")))
      return Feature.FENTRY.notSupported(KernelVersion.current(), "BPF trampolines: " + e.describe()).withContext(operation);
    // EPERM for a tracing program although the capabilities are there: the kernel refuses the program type
    // itself, not this process (observed on Linux 6.18 in lockdown integrity mode: before the verifier runs,
    // so the log stays empty).
    if (tracing && e == Errno.EPERM && Capabilities.grants(Capabilities.effective(), Capabilities.needed(KernelVersion.current(),
        java.util.EnumSet.of(Capability.CAP_BPF, Capability.CAP_PERFMON))))
      return Feature.FENTRY.notSupported(KernelVersion.current(), "the kernel refuses tracing programs with EPERM").withContext(operation);
    if (!log.isBlank() && (e == Errno.EACCES || e == Errno.EINVAL || e == Errno.E2BIG || e == Errno.ENOTSUPP))
      return VerifierException.fromLog(operation, e, log);
    if (e == Errno.E2BIG && log.isBlank())
      return new SyscallException(operation + ": " + insns + " instructions are more than the kernel takes", e);
    if (e == Errno.EINVAL && attachType != null)
      return new SyscallException(operation + " (" + Bpf.progTypeName(spec.type().value()) + ", expected attach type "
          + attachType + ")", e);
    if (e == Errno.EINVAL) return new SyscallException(operation + " (" + Bpf.progTypeName(spec.type().value()) + ")", e);
    return BpfCall.error(operation, e, "loading BPF programs", Capability.CAP_BPF, Capability.CAP_PERFMON);
  }

  /** {@return the blueprint} */
  public ProgramSpec spec() { return spec; }

  /** {@return the name given in the spec} */
  public String name() { return spec.name(); }

  /** {@return the program type} */
  public ProgramType type() { return spec.type(); }

  /** {@return the attach type fixed at load time, or {@code null}} */
  public AttachType expectedAttachType() { return expectedAttachType; }

  /** {@return the program's fd} */
  public Fd fd() { return fd; }

  /** {@return the verifier log of the successful load, empty unless {@link LoadOptions#log()} asked for one} */
  public String verifierLog() { return verifierLog; }

  /** {@return the return value of one test run on {@code context}}; see {@link #testRun(jbpf.prog.TestRun)} */
  public int testRun(byte[] context) { return testRun(jbpf.prog.TestRun.withContext(context)).retval(); }

  /**
   * Runs the program once in the kernel ({@code BPF_PROG_TEST_RUN}) without attaching it, e.g. a raw tracepoint
   * program that stands for a {@code BEGIN} probe (Linux 5.10+). Its side effects on maps are real.
   *
   * @throws NotSupportedException if the kernel cannot test-run programs of this type
   */
  public TestRunResult testRun(jbpf.prog.TestRun run) {
    String operation = "test-run program " + name();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(TestRun.LAYOUT);
      MemorySegment state = Sys.callState(arena);
      attr.set(JAVA_INT, TestRun.prog_fd, fd.get());
      MemorySegment ctxIn = in(arena, run.context()), dataIn = in(arena, run.data());
      MemorySegment ctxOut = run.contextOutSize() == 0 ? MemorySegment.NULL : arena.allocate(run.contextOutSize(), 8);
      MemorySegment dataOut = run.dataOutSize() == 0 ? MemorySegment.NULL : arena.allocate(run.dataOutSize(), 8);
      attr.set(JAVA_INT, TestRun.ctx_size_in, run.context().length);
      attr.set(JAVA_LONG, TestRun.ctx_in, ctxIn.address());
      attr.set(JAVA_INT, TestRun.data_size_in, run.data().length);
      attr.set(JAVA_LONG, TestRun.data_in, dataIn.address());
      attr.set(JAVA_INT, TestRun.ctx_size_out, run.contextOutSize());
      attr.set(JAVA_LONG, TestRun.ctx_out, ctxOut.address());
      attr.set(JAVA_INT, TestRun.data_size_out, run.dataOutSize());
      attr.set(JAVA_LONG, TestRun.data_out, dataOut.address());
      attr.set(JAVA_INT, TestRun.repeat, run.repeat());
      if (run.cpu() >= 0) {
        attr.set(JAVA_INT, TestRun.flags, Bpf.BPF_F_TEST_RUN_ON_CPU);
        attr.set(JAVA_INT, TestRun.cpu, run.cpu());
      }
      if (Sys.bpf(state, Bpf.BPF_PROG_TEST_RUN, attr) < 0) {
        Errno e = Errno.from(state);
        boolean rawTp = type() == ProgramType.RAW_TRACEPOINT || type() == ProgramType.RAW_TRACEPOINT_WRITABLE;
        if (rawTp && !KernelVersion.current().atLeast(5, 10))
          throw Feature.RAW_TP_TEST_RUN.notSupported(KernelVersion.current(), null).withContext(operation);
        if (e == Errno.ENOTSUPP || e == Errno.EOPNOTSUPP)
          throw new SyscallException(operation + ": the kernel cannot test-run " + Bpf.progTypeName(type().value()) + " programs", e);
        throw BpfCall.error(operation, e, "running BPF programs", Capability.CAP_BPF, Capability.CAP_PERFMON);
      }
      byte[] dOut = run.dataOutSize() == 0 ? new byte[0]
          : dataOut.asSlice(0, Math.min(run.dataOutSize(), attr.get(JAVA_INT, TestRun.data_size_out))).toArray(JAVA_BYTE);
      byte[] cOut = run.contextOutSize() == 0 ? new byte[0]
          : ctxOut.asSlice(0, Math.min(run.contextOutSize(), attr.get(JAVA_INT, TestRun.ctx_size_out))).toArray(JAVA_BYTE);
      return new TestRunResult(attr.get(JAVA_INT, TestRun.retval), Integer.toUnsignedLong(attr.get(JAVA_INT, TestRun.duration)), dOut, cOut);
    }
  }

  private static MemorySegment in(Arena arena, byte[] bytes) {
    if (bytes.length == 0) return MemorySegment.NULL;
    MemorySegment s = arena.allocate(bytes.length, 8);
    MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
    return s;
  }

  /** {@return what the kernel reports about this program} */
  public ProgramInfo info() { return infoOf(fd); }

  static ProgramInfo infoOf(Fd fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment first = BpfObjects.info(fd, BpfInfo.Prog.LAYOUT, arena);
      int nMaps = first.get(JAVA_INT, BpfInfo.Prog.nr_map_ids);
      MemorySegment ids = arena.allocate(JAVA_INT, Math.max(1, nMaps));
      MemorySegment i = nMaps == 0 ? first : BpfObjects.info(fd, BpfInfo.Prog.LAYOUT, arena, s -> {
        s.set(JAVA_INT, BpfInfo.Prog.nr_map_ids, nMaps);
        s.set(JAVA_LONG, BpfInfo.Prog.map_ids, ids.address());
      });
      List<Integer> mapIds = new ArrayList<>();
      for (int k = 0; k < Math.min(nMaps, i.get(JAVA_INT, BpfInfo.Prog.nr_map_ids)); k++) mapIds.add(ids.getAtIndex(JAVA_INT, k));
      return new ProgramInfo(i.get(JAVA_INT, BpfInfo.Prog.id), BpfObjects.cString(i, BpfInfo.Prog.name, 16),
          Bpf.progTypeName(i.get(JAVA_INT, BpfInfo.Prog.type)),
          HexFormat.of().formatHex(i.asSlice(BpfInfo.Prog.tag, Bpf.BPF_TAG_SIZE).toArray(JAVA_BYTE)),
          i.get(JAVA_LONG, BpfInfo.Prog.run_time_ns), i.get(JAVA_LONG, BpfInfo.Prog.run_cnt),
          i.get(JAVA_INT, BpfInfo.Prog.xlated_prog_len), i.get(JAVA_INT, BpfInfo.Prog.jited_prog_len),
          i.get(JAVA_INT, BpfInfo.Prog.verified_insns), mapIds);
    }
  }

  /** {@return every program loaded in the kernel, by any process} (needs {@code CAP_SYS_ADMIN}) */
  public static List<ProgramInfo> loaded() {
    List<ProgramInfo> out = new ArrayList<>();
    for (int id : BpfObjects.ids(BpfObjects.Kind.PROGRAM)) {
      try (Fd fd = BpfObjects.open(BpfObjects.Kind.PROGRAM, id)) {
        out.add(infoOf(fd));
      } catch (SyscallException e) {
        if (e.errno() != Errno.ENOENT) throw e;
      }
    }
    return out;
  }

  /** Closes the program's fd; the kernel unloads it once no attachment holds it. */
  @Override public void close() { fd.close(); }

  @Override public String toString() { return "program " + name() + " (" + Bpf.progTypeName(type().value()) + ", " + fd + ")"; }
}
