package jbpf.prog;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jbpf.kernel.internal.BpfCall;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr.BtfLoad;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.Fd;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/**
 * Type information (BTF) loaded into the kernel ({@code BPF_BTF_LOAD}) for a program's functions: the verifier
 * needs it for programs with callbacks ({@code bpf_loop}, {@code bpf_for_each_map_elem}), named by
 * {@link ProgramBtf}. See https://docs.kernel.org/bpf/btf.html.
 */
public final class BtfObject implements AutoCloseable {
  private final Fd fd;

  private BtfObject(Fd fd) { this.fd = fd; }

  /**
   * Loads {@code data}, a complete BTF blob (header, types, strings).
   *
   * @throws SyscallException if the kernel rejects it; the message ends with the kernel's reason from its log
   */
  public static BtfObject load(byte[] data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment blob = arena.allocate(data.length, 8);
      MemorySegment.copy(data, 0, blob, JAVA_BYTE, 0, data.length);
      MemorySegment attr = arena.allocate(BtfLoad.LAYOUT);
      MemorySegment state = Sys.callState(arena);
      attr.set(JAVA_LONG, BtfLoad.btf, blob.address());
      attr.set(JAVA_INT, BtfLoad.btf_size, data.length);
      long fd = Sys.bpf(state, Bpf.BPF_BTF_LOAD, attr);
      if (fd < 0) {
        Errno first = Errno.from(state);
        if (first == Errno.EPERM) throw BpfCall.error("load BTF", first, "loading BTF", Capability.CAP_BPF);
        // Load again with a log for the reason.
        MemorySegment log = arena.allocate(64 * 1024);
        attr.set(JAVA_LONG, BtfLoad.btf_log_buf, log.address());
        attr.set(JAVA_INT, BtfLoad.btf_log_size, (int) log.byteSize());
        attr.set(JAVA_INT, BtfLoad.btf_log_level, 1);
        fd = Sys.bpf(state, Bpf.BPF_BTF_LOAD, attr);
        if (fd < 0) {
          String[] lines = log.getString(0).strip().split("\n");
          String reason = lines.length == 0 || lines[lines.length - 1].isBlank() ? "" : ": " + lines[lines.length - 1].strip();
          throw new SyscallException("load BTF" + reason, Errno.from(state));
        }
      }
      return new BtfObject(Fd.adopt((int) fd, "bpf btf"));
    }
  }

  /** {@return the BTF object's fd} */
  public Fd fd() { return fd; }

  @Override public void close() { fd.close(); }
}
