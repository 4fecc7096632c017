package jbpf.elf;

/**
 * A section header ({@code Elf64_Shdr}).
 *
 * @param index the section's index in the section header table
 * @param name the name from the section header string table
 * @param type {@code sh_type}, e.g. {@link #SHT_SYMTAB}
 * @param flags {@code sh_flags}, e.g. {@link #SHF_EXECINSTR}
 * @param address the virtual address the section is loaded at, 0 if it is not loaded
 * @param offset the file offset of its contents
 * @param size the size of its contents (no bytes in the file for {@link #SHT_NOBITS})
 * @param link {@code sh_link}: for a symbol table its string table, for relocations their symbol table
 * @param info {@code sh_info}: for relocations the section they apply to
 * @param entrySize {@code sh_entsize}
 */
public record ElfSection(int index, String name, int type, long flags, long address, long offset, long size, int link, int info,
                         long alignment, long entrySize) {
  public static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOTE = 7, SHT_NOBITS = 8,
      SHT_REL = 9, SHT_DYNSYM = 11;
  public static final long SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4, SHF_COMPRESSED = 0x800;

  /** {@return whether {@code address} lies in this section's loaded range} */
  public boolean containsAddress(long address) {
    return (flags & SHF_ALLOC) != 0 && Long.compareUnsigned(address - this.address, size) < 0;
  }
}
