package jbpf.elf;

/**
 * An entry of a symbol table ({@code Elf64_Sym}).
 *
 * @param name the symbol's name, without any {@code @VERSION} suffix
 * @param value its value: for functions and objects in executables and shared objects, a virtual address
 * @param size its size in bytes, 0 if unknown
 * @param type {@code STT_*}, e.g. {@link #STT_FUNC}
 * @param binding {@code STB_*}, e.g. {@link #STB_GLOBAL}
 * @param visibility {@code STV_*}
 * @param sectionIndex the index of the section it is defined in; {@link #SHN_UNDEF} for an undefined symbol
 */
public record ElfSymbol(String name, long value, long size, int type, int binding, int visibility, int sectionIndex) {
  public static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4, STT_TLS = 6,
      STT_GNU_IFUNC = 10;
  public static final int STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
  public static final int SHN_UNDEF = 0, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2;

  /** {@return whether this is a defined function (including GNU indirect functions)} */
  public boolean isFunction() { return (type == STT_FUNC || type == STT_GNU_IFUNC) && sectionIndex != SHN_UNDEF; }

  /** {@return whether the symbol is defined in this file} */
  public boolean isDefined() { return sectionIndex != SHN_UNDEF; }
}
