package jbpf.elf;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * An ELF64 little-endian file. Opening reads only the file header; segments, sections, symbols and notes are read
 * from the mapped file the first time they are asked for, so that large libraries open in microseconds.
 *
 * <p>Malformed or truncated input makes any method throw {@link ElfFormatException}, never another runtime
 * exception. An instance is safe for use by several threads.
 */
public final class ElfFile implements AutoCloseable {
  public static final int ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
  public static final int EM_X86_64 = 62, EM_AARCH64 = 183, EM_BPF = 247;
  private static final int NT_GNU_BUILD_ID = 3, NT_STAPSDT = 3;

  private final String name;
  private final FileChannel channel;     // null for an in-memory file
  private final ByteBuffer memory;       // the whole file, when in memory
  private final long length;
  private final int type, machine;
  private final long entry, phoff, shoff;
  private final int phentsize, phnum, shentsize;
  private final int shnumField, shstrndxField;

  private volatile List<ElfSegment> segments;
  private volatile List<ElfSection> sections;
  private volatile List<ElfSymbol> symtab, dynsym;
  private volatile List<UsdtProbe> usdt;

  private ElfFile(String name, FileChannel channel, ByteBuffer memory, long length) {
    this.name = name;
    this.channel = channel;
    this.memory = memory;
    this.length = length;
    ByteBuffer h = region(0, 64, "read ELF header");
    if (h.getInt(0) != 0x464c457f) throw error("not an ELF file (bad magic)");
    if (h.get(4) != 2) throw error("not a 64-bit ELF file (class " + h.get(4) + ")");
    if (h.get(5) != 1) throw error("not a little-endian ELF file (data encoding " + h.get(5) + ")");
    type = Short.toUnsignedInt(h.getShort(16));
    machine = Short.toUnsignedInt(h.getShort(18));
    entry = h.getLong(24);
    phoff = h.getLong(32);
    shoff = h.getLong(40);
    phentsize = Short.toUnsignedInt(h.getShort(54));
    phnum = Short.toUnsignedInt(h.getShort(56));
    shentsize = Short.toUnsignedInt(h.getShort(58));
    shnumField = Short.toUnsignedInt(h.getShort(60));
    shstrndxField = Short.toUnsignedInt(h.getShort(62));
    if (phnum > 0 && phentsize < 56) throw error("program header entry size " + phentsize + " is below 56");
    if ((shnumField > 0 || shoff != 0) && shentsize < 64) throw error("section header entry size " + shentsize + " is below 64");
  }

  /**
   * Opens and maps {@code path}.
   *
   * @throws IOException if the file cannot be opened
   * @throws ElfFormatException if it is not an ELF64 little-endian file
   */
  public static ElfFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new ElfFile(path.toString(), ch, null, ch.size());
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Reads an ELF file held in memory, e.g. one decompressed from {@code .gnu_debugdata}.
   *
   * @param name the name used in error messages
   * @throws ElfFormatException if it is not an ELF64 little-endian file
   */
  public static ElfFile of(String name, ByteBuffer bytes) {
    ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    return new ElfFile(name, null, b, b.remaining());
  }

  /** {@return an in-memory ELF file of {@code bytes}} */
  public static ElfFile of(String name, byte[] bytes) { return of(name, ByteBuffer.wrap(bytes)); }

  @Override public void close() throws IOException {
    if (channel != null) channel.close();
  }

  /** {@return the name this file was opened under} */
  public String name() { return name; }

  /** {@return the file's size in bytes} */
  public long length() { return length; }

  /** {@return {@code e_type}: {@link #ET_REL}, {@link #ET_EXEC}, {@link #ET_DYN}…} */
  public int type() { return type; }

  /** {@return {@code e_machine}, e.g. {@link #EM_X86_64}} */
  public int machine() { return machine; }

  /** {@return the entry point's virtual address} */
  public long entry() { return entry; }

  // ---- raw access -------------------------------------------------------------------------------------------

  /**
   * {@return a little-endian buffer over {@code len} bytes at file offset {@code off}}
   * @param what what is being read, for the error message
   */
  ByteBuffer region(long off, long len, String what) {
    if (off < 0 || len < 0 || off > length || len > length - off)
      throw error(what + ": bytes " + Long.toUnsignedString(off) + "+" + Long.toUnsignedString(len) + " lie outside the file (" + length + " bytes)");
    if (len > Integer.MAX_VALUE) throw error(what + ": " + len + " bytes is too large to map");
    if (memory != null) return memory.slice((int) off, (int) len).order(ByteOrder.LITTLE_ENDIAN);
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, off, len).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new ElfFormatException(name + ": " + what + ": " + e.getMessage(), e);
    }
  }

  ElfFormatException error(String what) { return new ElfFormatException(name + ": " + what); }

  // ---- segments and sections -------------------------------------------------------------------------------

  /** {@return the program headers, in file order} */
  public List<ElfSegment> segments() {
    List<ElfSegment> s = segments;
    if (s == null) segments = s = readSegments();
    return s;
  }

  private List<ElfSegment> readSegments() {
    if (phnum == 0) return List.of();
    ByteBuffer b = region(phoff, (long) phnum * phentsize, "read program headers");
    List<ElfSegment> out = new ArrayList<>(phnum);
    for (int i = 0; i < phnum; i++) {
      int p = i * phentsize;
      out.add(new ElfSegment(b.getInt(p), b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16), b.getLong(p + 32),
          b.getLong(p + 40), b.getLong(p + 48)));
    }
    return Collections.unmodifiableList(out);
  }

  /** {@return the section headers in index order (index 0 is the null section), empty if the file has none} */
  public List<ElfSection> sections() {
    List<ElfSection> s = sections;
    if (s == null) sections = s = readSections();
    return s;
  }

  private List<ElfSection> readSections() {
    if (shoff == 0) return List.of();
    ByteBuffer first = region(shoff, 64, "read section header 0");
    long count = shnumField != 0 ? shnumField : first.getLong(32);   // extended numbering: count in section 0's sh_size
    int strndx = shstrndxField != 0xffff ? shstrndxField : first.getInt(40);
    if (count <= 0) return List.of();
    if (count > length / 64) throw error("section count " + count + " exceeds the file size");
    ByteBuffer b = region(shoff, count * shentsize, "read section headers");
    int n = (int) count;
    long[][] raw = new long[n][];
    for (int i = 0; i < n; i++) {
      int p = i * shentsize;
      raw[i] = new long[] {Integer.toUnsignedLong(b.getInt(p)), b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16),
          b.getLong(p + 24), b.getLong(p + 32), b.getInt(p + 40), b.getInt(p + 44), b.getLong(p + 48), b.getLong(p + 56)};
    }
    ByteBuffer names = null;
    if (strndx > 0 && strndx < n) {
      long[] sh = raw[strndx];
      names = region(sh[4], sh[5], "read section name table");
    } else if (strndx != 0) throw error("section name table index " + strndx + " is out of range (" + n + " sections)");
    List<ElfSection> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long[] sh = raw[i];
      String nm = names == null ? "" : string(names, sh[0], "section " + i + " name");
      out.add(new ElfSection(i, nm, (int) sh[1], sh[2], sh[3], sh[4], sh[5], (int) sh[6], (int) sh[7], sh[8], sh[9]));
    }
    return Collections.unmodifiableList(out);
  }

  /** {@return the first section called {@code name}} */
  public Optional<ElfSection> section(String name) {
    for (ElfSection s : sections()) if (s.name().equals(name)) return Optional.of(s);
    return Optional.empty();
  }

  /** {@return the section at {@code index}} */
  public ElfSection section(int index) {
    List<ElfSection> all = sections();
    if (index < 0 || index >= all.size()) throw error("section index " + index + " is out of range (" + all.size() + " sections)");
    return all.get(index);
  }

  /**
   * {@return the contents of {@code section}, decompressed if it is {@link ElfSection#SHF_COMPRESSED} with zlib;
   * empty for {@link ElfSection#SHT_NOBITS}}
   */
  public ByteBuffer contents(ElfSection section) {
    if (section.type() == ElfSection.SHT_NOBITS) return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer b = region(section.offset(), section.size(), "read section " + section.name());
    if ((section.flags() & ElfSection.SHF_COMPRESSED) == 0) return b;
    if (b.remaining() < 24) throw error("section " + section.name() + ": compression header truncated");
    int chType = b.getInt(0);
    long size = b.getLong(8);
    if (chType != 1) throw error("section " + section.name() + ": unsupported compression type " + chType);
    if (size < 0 || size > Integer.MAX_VALUE - 8) throw error("section " + section.name() + ": bad uncompressed size " + size);
    Inflater inf = new Inflater();
    try {
      inf.setInput(b.slice(24, b.remaining() - 24));
      byte[] out = new byte[(int) size];
      int n = 0;
      while (n < out.length && !inf.finished()) {
        int k = inf.inflate(out, n, out.length - n);
        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
        n += k;
      }
      if (n != out.length) throw error("section " + section.name() + ": compressed data truncated");
      return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    } catch (DataFormatException e) {
      throw error("section " + section.name() + ": corrupt compressed data: " + e.getMessage());
    } finally {
      inf.end();
    }
  }

  // ---- symbols ----------------------------------------------------------------------------------------------

  /** {@return the entries of {@code .symtab} in index order (entry 0 is the null symbol), empty if stripped} */
  public List<ElfSymbol> symbols() {
    List<ElfSymbol> s = symtab;
    if (s == null) symtab = s = readSymbols(ElfSection.SHT_SYMTAB);
    return s;
  }

  /** {@return the entries of {@code .dynsym} in index order (entry 0 is the null symbol)} */
  public List<ElfSymbol> dynamicSymbols() {
    List<ElfSymbol> s = dynsym;
    if (s == null) dynsym = s = readSymbols(ElfSection.SHT_DYNSYM);
    return s;
  }

  private List<ElfSymbol> readSymbols(int shType) {
    for (ElfSection s : sections()) if (s.type() == shType) return symbolTable(s);
    return List.of();
  }

  /** {@return the entries of the symbol table {@code section} in index order} */
  public List<ElfSymbol> symbolTable(ElfSection section) {
    if (section.type() == ElfSection.SHT_NOBITS) return List.of();
    ElfSection strs = section(section.link());
    byte[] names = bytes(contents(strs));
    ByteBuffer b = contents(section);
    int n = b.remaining() / 24;
    List<ElfSymbol> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int p = i * 24;
      int info = b.get(p + 4) & 0xff;
      String nm = string(names, Integer.toUnsignedLong(b.getInt(p)), i);
      out.add(new ElfSymbol(nm, b.getLong(p + 8), b.getLong(p + 16), info & 0xf, info >>> 4, b.get(p + 5) & 3,
          Short.toUnsignedInt(b.getShort(p + 6))));
    }
    return Collections.unmodifiableList(out);
  }

  /** {@return the relocations of a {@code SHT_REL} or {@code SHT_RELA} section} */
  public List<ElfRelocation> relocations(ElfSection section) {
    boolean rela = section.type() == ElfSection.SHT_RELA;
    if (!rela && section.type() != ElfSection.SHT_REL) throw error("section " + section.name() + " holds no relocations");
    int size = rela ? 24 : 16;
    ByteBuffer b = contents(section);
    int n = b.remaining() / size;
    List<ElfRelocation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int p = i * size;
      long info = b.getLong(p + 8);
      out.add(new ElfRelocation(b.getLong(p), (int) info, (int) (info >>> 32), rela ? b.getLong(p + 16) : 0));
    }
    return out;
  }

  // ---- notes --------------------------------------------------------------------------------------------------

  /** A note ({@code Elf64_Nhdr} with its name and descriptor). */
  public record Note(String owner, int type, ByteBuffer descriptor) {}

  /** {@return the notes of every {@code SHT_NOTE} section, or of the {@code PT_NOTE} segments when there are no sections} */
  public List<Note> notes() {
    List<Note> out = new ArrayList<>();
    if (!sections().isEmpty()) {
      for (ElfSection s : sections()) if (s.type() == ElfSection.SHT_NOTE) readNotes(contents(s), s.name(), out);
    } else {
      for (ElfSegment s : segments())
        if (s.type() == ElfSegment.PT_NOTE) readNotes(region(s.offset(), s.fileSize(), "read note segment"), "PT_NOTE", out);
    }
    return out;
  }

  private void readNotes(ByteBuffer b, String where, List<Note> out) {
    int p = 0, end = b.remaining();
    while (end - p >= 12) {
      long namesz = Integer.toUnsignedLong(b.getInt(p)), descsz = Integer.toUnsignedLong(b.getInt(p + 4));
      int type = b.getInt(p + 8);
      long nameOff = p + 12L, descOff = nameOff + align4(namesz), next = descOff + align4(descsz);
      if (descOff > end || descOff + descsz > end) throw error(where + ": note at offset " + p + " is truncated");
      int nlen = (int) namesz;
      while (nlen > 0 && b.get((int) nameOff + nlen - 1) == 0) nlen--;
      byte[] owner = new byte[nlen];
      b.get((int) nameOff, owner);
      out.add(new Note(new String(owner, StandardCharsets.UTF_8), type, b.slice((int) descOff, (int) descsz).order(ByteOrder.LITTLE_ENDIAN)));
      if (next > end) break;
      p = (int) next;
    }
  }

  private static long align4(long v) { return (v + 3) & ~3L; }

  /** {@return the GNU build id ({@code NT_GNU_BUILD_ID}) as lowercase hex} */
  public Optional<String> buildId() {
    for (Note n : notes())
      if (n.owner().equals("GNU") && n.type() == NT_GNU_BUILD_ID && n.descriptor().remaining() > 0) {
        byte[] id = new byte[n.descriptor().remaining()];
        n.descriptor().get(0, id);
        return Optional.of(HexFormat.of().formatHex(id));
      }
    return Optional.empty();
  }

  /** {@return the {@code .gnu_debuglink} section's file name and CRC} */
  public Optional<DebugLink> debugLink() {
    Optional<ElfSection> s = section(".gnu_debuglink");
    if (s.isEmpty()) return Optional.empty();
    ByteBuffer b = contents(s.get());
    int nul = 0;
    while (nul < b.remaining() && b.get(nul) != 0) nul++;
    if (nul == 0 || nul >= b.remaining()) throw error(".gnu_debuglink: no NUL-terminated file name");
    int crcAt = (nul + 4) & ~3;
    if (crcAt + 4 > b.remaining()) throw error(".gnu_debuglink: CRC missing");
    byte[] nm = new byte[nul];
    b.get(0, nm);
    return Optional.of(new DebugLink(new String(nm, StandardCharsets.UTF_8), b.getInt(crcAt)));
  }

  /** {@return the xz-compressed MiniDebugInfo ELF file in {@code .gnu_debugdata}, still compressed} */
  public Optional<ByteBuffer> miniDebugInfo() {
    return section(".gnu_debugdata").map(this::contents);
  }

  /**
   * {@return the USDT probes of the {@code .note.stapsdt} notes, in note order, with addresses adjusted for
   * {@code .stapsdt.base} and translated to file offsets}
   */
  public List<UsdtProbe> usdtProbes() {
    List<UsdtProbe> u = usdt;
    if (u == null) usdt = u = readUsdt();
    return u;
  }

  private List<UsdtProbe> readUsdt() {
    Optional<ElfSection> notes = section(".note.stapsdt");
    if (notes.isEmpty()) return List.of();
    long base = section(".stapsdt.base").map(ElfSection::address).orElse(0L);
    List<Note> all = new ArrayList<>();
    readNotes(contents(notes.get()), ".note.stapsdt", all);
    List<UsdtProbe> out = new ArrayList<>();
    for (Note n : all) {
      if (!n.owner().equals("stapsdt") || n.type() != NT_STAPSDT) continue;
      ByteBuffer d = n.descriptor();
      if (d.remaining() < 24) throw error(".note.stapsdt: descriptor of " + d.remaining() + " bytes is shorter than 24");
      long pc = d.getLong(0), noteBase = d.getLong(8), sem = d.getLong(16);
      int[] pos = {24};
      String provider = cString(d, pos, "USDT provider"), probe = cString(d, pos, "USDT name"), args = cString(d, pos, "USDT arguments");
      if (base != 0 && noteBase != 0) {
        pc += base - noteBase;
        if (sem != 0) sem += base - noteBase;
      }
      long off = fileOffset(pc).orElseThrow(() -> error("USDT " + provider + ":" + probe + ": address 0x" + Long.toHexString(d.getLong(0)) + " is in no loaded segment"));
      long semOff = 0;
      if (sem != 0) {
        long s = sem;
        semOff = fileOffset(sem).orElseThrow(() -> error("USDT " + provider + ":" + probe + ": semaphore 0x" + Long.toHexString(s) + " is in no loaded segment"));
      }
      List<UsdtArgument> parsed;
      try {
        parsed = UsdtArgument.parseAll(args);
      } catch (ElfFormatException e) {
        throw error("USDT " + provider + ":" + probe + ": " + e.getMessage());
      }
      out.add(new UsdtProbe(provider, probe, pc, off, noteBase, sem, semOff, args, parsed));
    }
    return Collections.unmodifiableList(out);
  }

  private String cString(ByteBuffer d, int[] pos, String what) {
    int p = pos[0];
    int q = p;
    while (q < d.remaining() && d.get(q) != 0) q++;
    if (q >= d.remaining()) throw error(".note.stapsdt: " + what + " is not NUL-terminated");
    byte[] s = new byte[q - p];
    d.get(p, s);
    pos[0] = q + 1;
    return new String(s, StandardCharsets.UTF_8);
  }

  // ---- addresses ----------------------------------------------------------------------------------------------

  /**
   * {@return the file offset holding virtual address {@code address}, from the {@code PT_LOAD} segment containing
   * it (then from the section containing it); empty if no loaded, file-backed range contains it}
   * This is the offset a uprobe attaches at, for executables and for PIE and shared objects alike.
   */
  public OptionalLong fileOffset(long address) {
    for (ElfSegment s : segments())
      if (s.type() == ElfSegment.PT_LOAD && s.containsAddress(address)) return OptionalLong.of(address - s.virtualAddress() + s.offset());
    for (ElfSection s : sections())
      if (s.type() != ElfSection.SHT_NOBITS && s.containsAddress(address)) return OptionalLong.of(address - s.address() + s.offset());
    return OptionalLong.empty();
  }

  /** {@return the virtual address that file offset {@code offset} is loaded at, from the {@code PT_LOAD} segments} */
  public OptionalLong virtualAddress(long offset) {
    for (ElfSegment s : segments())
      if (s.type() == ElfSegment.PT_LOAD && s.containsOffset(offset)) return OptionalLong.of(offset - s.offset() + s.virtualAddress());
    return OptionalLong.empty();
  }

  // ---- strings ------------------------------------------------------------------------------------------------

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(0, out);
    return out;
  }

  /** Reads a symbol name from a string table copied to the heap: symbol tables have tens of thousands of names. */
  private String string(byte[] table, long off, int symbol) {
    int n = table.length;
    if (off < 0 || off >= n) {
      if (off == 0 && n == 0) return "";
      throw error("symbol " + symbol + " name: string offset " + off + " is outside the string table (" + n + " bytes)");
    }
    int p = (int) off, q = p;
    boolean ascii = true;
    byte c;
    while (q < n && (c = table[q]) != 0) {
      if (c < 0) ascii = false;
      q++;
    }
    if (q >= n) throw error("symbol " + symbol + " name: string at offset " + off + " is not NUL-terminated");
    return new String(table, p, q - p, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private String string(ByteBuffer table, long off, String what) {
    int n = table.remaining();
    if (off < 0 || off >= n) {
      if (off == 0 && n == 0) return "";
      throw error(what + ": string offset " + off + " is outside the string table (" + n + " bytes)");
    }
    int p = (int) off, q = p;
    boolean ascii = true;
    byte c;
    while (q < n && (c = table.get(q)) != 0) {
      if (c < 0) ascii = false;
      q++;
    }
    if (q >= n) throw error(what + ": string at offset " + off + " is not NUL-terminated");
    byte[] s = new byte[q - p];
    try {
      table.get(p, s);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw error(what + ": string table truncated");
    }
    return new String(s, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  @Override public String toString() { return "ElfFile[" + name + "]"; }
}
