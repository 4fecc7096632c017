package jbpf.elf;

/**
 * One relocation ({@code Elf64_Rel} or {@code Elf64_Rela}).
 *
 * @param offset where it applies: in a relocatable file, the offset in the target section
 * @param type the machine-specific relocation type, e.g. {@code R_BPF_64_64}
 * @param symbolIndex the index of the symbol in the linked symbol table
 * @param addend the explicit addend; 0 for {@code Elf64_Rel}
 */
public record ElfRelocation(long offset, int type, int symbolIndex, long addend) {}
