package jbpf.elf;

/**
 * A program header ({@code Elf64_Phdr}).
 *
 * @param type {@code p_type}, e.g. {@link #PT_LOAD}
 * @param flags {@code p_flags}: {@link #PF_X}, {@link #PF_W}, {@link #PF_R}
 * @param offset the file offset of the segment's first byte
 * @param virtualAddress the address of its first byte in memory, before any load bias
 * @param fileSize its size in the file
 * @param memorySize its size in memory (at least {@code fileSize})
 */
public record ElfSegment(int type, int flags, long offset, long virtualAddress, long fileSize, long memorySize, long alignment) {
  public static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_GNU_EH_FRAME = 0x6474e550;
  public static final int PF_X = 1, PF_W = 2, PF_R = 4;

  /** {@return whether {@code address} lies in the part of this segment that is backed by the file} */
  public boolean containsAddress(long address) { return Long.compareUnsigned(address - virtualAddress, fileSize) < 0; }

  /** {@return whether the file offset {@code fileOffset} lies in this segment} */
  public boolean containsOffset(long fileOffset) { return Long.compareUnsigned(fileOffset - offset, fileSize) < 0; }

  /** {@return whether the segment is executable} */
  public boolean executable() { return (flags & PF_X) != 0; }
}
