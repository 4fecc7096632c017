package jbpf.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One {@code struct bpf_func_info} (include/uapi/linux/bpf.h) for {@code BPF_PROG_LOAD}: the function that starts at
 * an instruction. A program passes one per subprogram, in instruction order, the first at instruction 0, together
 * with the fd of the loaded BTF ({@code prog_btf_fd}), {@code func_info_cnt} and {@code func_info_rec_size}
 * ({@link #SIZE}).
 *
 * <p>The kernel needs them only when the program takes the address of a subprogram ({@code ld_imm64} with
 * {@code BPF_PSEUDO_FUNC}, the callbacks of {@code bpf_loop}, {@code bpf_for_each_map_elem} and timers): the
 * verifier's {@code check_ld_imm} rejects that with "missing btf func_info" otherwise, and the callback's
 * {@code FUNC} must have static linkage. Plain bpf-to-bpf calls work without them, but then subprograms may not
 * use tail calls or {@code LD_ABS}.
 *
 * @param insnOff the index of the subprogram's first instruction (in instructions, not bytes)
 * @param typeId the id of its {@code BTF_KIND_FUNC}
 */
public record FuncInfo(int insnOff, int typeId) {
  /** {@code func_info_rec_size}: the size of one record in bytes. */
  public static final int SIZE = 8;

  public FuncInfo {
    if (insnOff < 0) throw new IllegalArgumentException("negative instruction offset " + insnOff);
    if (typeId <= 0) throw new IllegalArgumentException("func info needs a FUNC type id, got " + typeId);
  }

  /** {@return the records as the kernel reads them, in this machine's byte order} */
  public static byte[] encode(List<FuncInfo> infos) {
    ByteBuffer b = ByteBuffer.allocate(SIZE * infos.size()).order(ByteOrder.nativeOrder());
    int prev = -1;
    for (FuncInfo f : infos) {
      if (f.insnOff <= prev) throw new IllegalArgumentException("func infos must be in increasing instruction order: " + f.insnOff + " after " + prev);
      if (prev < 0 && f.insnOff != 0) throw new IllegalArgumentException("the first func info must be at instruction 0, not " + f.insnOff);
      prev = f.insnOff;
      b.putInt(f.insnOff).putInt(f.typeId);
    }
    return b.array();
  }
}
