package jbpf.symbols;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import jbpf.elf.DebugLink;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfFormatException;
import jbpf.elf.ElfSegment;
import jbpf.elf.ElfSymbol;
import org.tukaani.xz.XZInputStream;

/**
 * The function symbols of one ELF file, in its link-time virtual address space: from {@code .symtab} and
 * {@code .dynsym}, and when the file is stripped, from its separate debug file ({@code .gnu_debuglink} or build id,
 * looked up as gdb does) or its MiniDebugInfo ({@code .gnu_debugdata}, an xz-compressed ELF file).
 */
public final class ElfSymbols {
  private static final long MAX_MINI_DEBUG_INFO = 256L << 20;

  private final String path;
  private final SymbolTable table;
  private final List<ElfSegment> loads;
  private final String debugFile;

  private ElfSymbols(String path, SymbolTable table, List<ElfSegment> loads, String debugFile) {
    this.path = path;
    this.table = table;
    this.loads = loads;
    this.debugFile = debugFile;
  }

  /**
   * {@return the symbols of the ELF file at {@code file}}
   * @param root the root directory debug files are looked up under: {@code /}, or {@code /proc/PID/root} for a
   *     process in another mount namespace
   * @throws IOException if the file cannot be read
   * @throws ElfFormatException if it is not a well-formed ELF64 file
   */
  public static ElfSymbols load(Path file, Path root) throws IOException {
    try (ElfFile elf = ElfFile.open(file)) {
      return of(elf, file, root);
    }
  }

  /** {@return the symbols of {@code elf}, which was opened from {@code file}} */
  public static ElfSymbols of(ElfFile elf, Path file, Path root) {
    SymbolTable.Builder syms = new SymbolTable.Builder(elf.symbols().size() + elf.dynamicSymbols().size());
    addFunctions(elf.symbols(), syms, 0);
    String debug = null;
    if (elf.symbols().isEmpty()) {
      Optional<Path> d = findDebugFile(elf, file, root);
      if (d.isPresent()) {
        try (ElfFile de = ElfFile.open(d.get())) {
          addFunctions(de.symbols(), syms, 1);
          debug = d.get().toString();
        } catch (IOException | ElfFormatException e) {
          // an unreadable debug file is as good as none: fall back to what the binary has
        }
      }
      if (debug == null) {
        Optional<ElfFile> mini = miniDebugInfo(elf);
        if (mini.isPresent()) {
          addFunctions(mini.get().symbols(), syms, 1);
          debug = file + "[.gnu_debugdata]";
        }
      }
    }
    addFunctions(elf.dynamicSymbols(), syms, 2);
    List<ElfSegment> loads = new ArrayList<>();
    for (ElfSegment s : elf.segments()) if (s.type() == ElfSegment.PT_LOAD) loads.add(s);
    return new ElfSymbols(file.toString(), syms.build(), List.copyOf(loads), debug);
  }

  /**
   * Adds the defined functions of {@code from}, best name first where several share an address (as perf chooses):
   * global before weak before local, then fewer leading underscores, so libc's {@code malloc} wins over its alias
   * {@code __libc_malloc}. Tables added earlier win over later ones.
   */
  private static void addFunctions(List<ElfSymbol> from, SymbolTable.Builder to, int table) {
    for (ElfSymbol s : from)
      if (s.isFunction() && s.value() != 0 && !s.name().isEmpty())
        to.add(s.name(), s.value(), s.size(), (table << 16) | (bindingRank(s) << 8) | Math.min(255, leadingUnderscores(s.name())));
  }

  private static int bindingRank(ElfSymbol s) {
    return switch (s.binding()) {
      case ElfSymbol.STB_GLOBAL -> 0;
      case ElfSymbol.STB_WEAK -> 1;
      default -> 2;
    };
  }

  private static int leadingUnderscores(String name) {
    int n = 0;
    while (n < name.length() && name.charAt(n) == '_') n++;
    return n;
  }

  /**
   * {@return the separate debug file of {@code elf}, searched as gdb does:
   * {@code /usr/lib/debug/.build-id/ab/cdef….debug}, then by {@code .gnu_debuglink} name next to the file, in its
   * {@code .debug} directory and under {@code /usr/lib/debug}; a debug-link candidate must match the recorded CRC}
   */
  public static Optional<Path> findDebugFile(ElfFile elf, Path file, Path root) {
    Path debugRoot = root.resolve("usr/lib/debug");
    Optional<String> id = elf.buildId();
    if (id.isPresent() && id.get().length() > 2) {
      Path p = debugRoot.resolve(".build-id").resolve(id.get().substring(0, 2)).resolve(id.get().substring(2) + ".debug");
      if (Files.isRegularFile(p) && buildIdMatches(p, id.get())) return Optional.of(p);
    }
    Optional<DebugLink> link = elf.debugLink();
    if (link.isEmpty()) return Optional.empty();
    Path dir = file.toAbsolutePath().getParent();
    String rel = dir == null ? "" : relativeToRoot(dir, root);
    List<Path> candidates = new ArrayList<>();
    if (dir != null) {
      candidates.add(dir.resolve(link.get().fileName()));
      candidates.add(dir.resolve(".debug").resolve(link.get().fileName()));
    }
    candidates.add(debugRoot.resolve(rel).resolve(link.get().fileName()));
    for (Path c : candidates) {
      if (c.equals(file) || !Files.isRegularFile(c)) continue;
      if (crc32(c) == link.get().crc32()) return Optional.of(c);
    }
    return Optional.empty();
  }

  private static String relativeToRoot(Path dir, Path root) {
    Path abs = dir.toAbsolutePath();
    Path r = root.toAbsolutePath();
    String s = abs.startsWith(r) ? r.relativize(abs).toString() : abs.toString();
    return s.startsWith("/") ? s.substring(1) : s;
  }

  private static boolean buildIdMatches(Path p, String id) {
    try (ElfFile d = ElfFile.open(p)) {
      return d.buildId().map(id::equals).orElse(true);
    } catch (IOException | ElfFormatException e) {
      return false;
    }
  }

  private static int crc32(Path p) {
    CRC32 crc = new CRC32();
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
      while (ch.read(buf.clear()) > 0) crc.update(buf.flip());
    } catch (IOException e) {
      return ~0;
    }
    return (int) crc.getValue();
  }

  /** {@return the ELF file compressed into {@code .gnu_debugdata}, decompressed} */
  public static Optional<ElfFile> miniDebugInfo(ElfFile elf) {
    Optional<ByteBuffer> data = elf.miniDebugInfo();
    if (data.isEmpty()) return Optional.empty();
    ByteBuffer b = data.get();
    byte[] xz = new byte[b.remaining()];
    b.get(0, xz);
    try (InputStream in = new XZInputStream(new java.io.ByteArrayInputStream(xz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(xz.length * 4);
      byte[] chunk = new byte[1 << 16];
      int n;
      while ((n = in.read(chunk)) > 0) {
        out.write(chunk, 0, n);
        if (out.size() > MAX_MINI_DEBUG_INFO) return Optional.empty();
      }
      return Optional.of(ElfFile.of(elf.name() + "[.gnu_debugdata]", out.toByteArray()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();   // corrupt MiniDebugInfo: symbolize with what else there is
    }
  }

  /** {@return the file these symbols came from} */
  public String path() { return path; }

  /** {@return the debug file or MiniDebugInfo the symbols came from, if the file itself had no {@code .symtab}} */
  public Optional<String> debugFile() { return Optional.ofNullable(debugFile); }

  /** {@return the function symbols by link-time virtual address} */
  public SymbolTable table() { return table; }

  /** {@return the link-time virtual address of file offset {@code offset}, from the {@code PT_LOAD} segments} */
  public OptionalLong virtualAddress(long offset) {
    for (ElfSegment s : loads) if (s.containsOffset(offset)) return OptionalLong.of(offset - s.offset() + s.virtualAddress());
    return OptionalLong.empty();
  }

  /** {@return the symbol containing link-time virtual address {@code address}} */
  public Optional<Symbol> lookup(long address) { return table.lookup(address); }
}
