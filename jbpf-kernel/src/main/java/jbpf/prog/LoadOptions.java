package jbpf.prog;

import jbpf.spec.AttachType;
import jbpf.sys.Fd;

/**
 * Settings of a program load that depend on the machine rather than on the program.
 *
 * @param expectedAttachType the attach type fixed at load time, or {@code null} for the spec's
 * @param attachBtfId for fentry/fexit programs, the BTF id of the kernel function; 0 to look up the spec's
 *     {@code attachTo} in the vmlinux BTF
 * @param attachBtfObjFd the BTF object (a kernel module's) {@code attachBtfId} belongs to, or {@code null} for vmlinux
 * @param kernelVersion {@code kern_version}, which kprobe programs needed before Linux 5.0; 0 for the running kernel's
 * @param flags {@code BPF_F_*} program flags, e.g. {@code BPF_F_SLEEPABLE}
 * @param log how much verifier log to ask for
 * @param btf the program's own BTF, needed for callbacks ({@code bpf_loop}); {@code null} for none
 */
public record LoadOptions(AttachType expectedAttachType, int attachBtfId, Fd attachBtfObjFd, int kernelVersion, int flags,
                          VerifierLog log, ProgramBtf btf) {
  public LoadOptions {
    if (log == null) log = VerifierLog.ON_FAILURE;
  }

  /** {@return no overrides, logs on failure only} */
  public static LoadOptions defaults() { return new LoadOptions(null, 0, null, 0, 0, VerifierLog.ON_FAILURE, null); }

  /** {@return these options with {@code type} as the expected attach type} */
  public LoadOptions withExpectedAttachType(AttachType type) {
    return new LoadOptions(type, attachBtfId, attachBtfObjFd, kernelVersion, flags, log, btf);
  }

  /** {@return these options attaching to BTF type {@code id} of the vmlinux BTF ({@code objFd} null) or of a module's} */
  public LoadOptions withAttachBtfId(int id, Fd objFd) {
    return new LoadOptions(expectedAttachType, id, objFd, kernelVersion, flags, log, btf);
  }

  /** {@return these options with {@code kern_version} set to {@code code}, a {@code KERNEL_VERSION(a, b, c)}} */
  public LoadOptions withKernelVersion(int code) {
    return new LoadOptions(expectedAttachType, attachBtfId, attachBtfObjFd, code, flags, log, btf);
  }

  /** {@return these options with program flags {@code flags}} */
  public LoadOptions withFlags(int flags) {
    return new LoadOptions(expectedAttachType, attachBtfId, attachBtfObjFd, kernelVersion, flags, log, btf);
  }

  /** {@return these options loading the program with its BTF} */
  public LoadOptions withBtf(ProgramBtf btf) {
    return new LoadOptions(expectedAttachType, attachBtfId, attachBtfObjFd, kernelVersion, flags, log, btf);
  }

  /** {@return these options asking for {@code log}} */
  public LoadOptions withLog(VerifierLog log) {
    return new LoadOptions(expectedAttachType, attachBtfId, attachBtfObjFd, kernelVersion, flags, log, btf);
  }
}
