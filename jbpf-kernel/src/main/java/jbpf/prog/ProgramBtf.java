package jbpf.prog;

import java.util.Objects;

/**
 * The BTF a program is loaded with: the object holding its types, and the records that map instructions to
 * them ({@code struct bpf_func_info}: u32 insn_off, u32 type_id; {@code struct bpf_line_info}: u32 insn_off,
 * u32 file_name_off, u32 line_off, u32 line_col), little-endian, sorted by instruction.
 *
 * @param btf the loaded types
 * @param funcInfo one record per function (the main program at instruction 0 included), 8 bytes each
 * @param lineInfo line records, 16 bytes each, or an empty array
 */
public record ProgramBtf(BtfObject btf, byte[] funcInfo, byte[] lineInfo) {
  /** The size of {@code struct bpf_func_info}. */
  public static final int FUNC_INFO_SIZE = 8;
  /** The size of {@code struct bpf_line_info}. */
  public static final int LINE_INFO_SIZE = 16;

  public ProgramBtf {
    Objects.requireNonNull(btf);
    if (funcInfo == null) funcInfo = new byte[0];
    if (lineInfo == null) lineInfo = new byte[0];
    if (funcInfo.length % FUNC_INFO_SIZE != 0 || lineInfo.length % LINE_INFO_SIZE != 0)
      throw new IllegalArgumentException("func_info/line_info must be whole records");
  }
}
