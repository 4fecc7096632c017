package jbpf.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import jbpf.demangle.Demangler;
import jbpf.elf.ElfFile;
import jbpf.elf.ElfFormatException;

/**
 * Symbolizes user-space addresses of one process: finds the mapping in {@code /proc/PID/maps}, turns the address
 * into a file offset and then into the ELF file's link-time address (which takes care of the load bias of PIE
 * executables and shared objects), and looks the symbol up. Files are read through {@code /proc/PID/root}, so
 * processes in containers work; deleted files through {@code /proc/PID/map_files}. JIT code in anonymous memory is
 * named from the process's perf map, which a HotSpot JVM can be asked to write.
 *
 * <p>Symbols of files are cached across processes by device, inode, size and modification time. An instance is not
 * safe for use by several threads at once.
 */
public final class UserSymbolizer {
  /**
   * Options.
   *
   * @param demangle whether C++ and Rust names are demangled (bpftrace prints them mangled)
   * @param requestJvmPerfMap whether a HotSpot JVM without a perf map is asked to write one when an address falls
   *     into its JIT code
   */
  public record Options(boolean demangle, boolean requestJvmPerfMap) {
    /** bpftrace's behaviour: mangled names, no JVM attach. */
    public static final Options BPFTRACE = new Options(false, false);
  }

  private static final Map<FileKey, Optional<ElfSymbols>> FILES = new LinkedHashMap<>(64, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<FileKey, Optional<ElfSymbols>> e) { return size() > 512; }
  };

  private record FileKey(Object device, Object inode, FileTime modified, long size) {}

  private final int pid;
  private final Options options;
  private final Path root;
  private Mapping[] maps;
  private long mapsReadAt;
  private final Map<String, String> demangled = new HashMap<>();
  private SymbolTable perfMap = SymbolTable.empty();
  private FileTime perfMapTime;
  private long perfMapSize = -1;
  private boolean jvmAsked;
  private String perfMapName;
  private Optional<ElfSymbols> vdso;
  private final Map<Mapping, Optional<ElfSymbols>> byMapping = new java.util.IdentityHashMap<>();

  private UserSymbolizer(int pid, Options options) {
    this.pid = pid;
    this.options = options;
    this.root = Processes.root(pid);
  }

  /**
   * {@return a symbolizer for process {@code pid}}
   * @throws IOException if the process's memory map cannot be read
   */
  public static UserSymbolizer of(int pid, Options options) throws IOException {
    UserSymbolizer s = new UserSymbolizer(pid, options);
    s.refresh();
    return s;
  }

  /** {@return the process this symbolizer is for} */
  public int pid() { return pid; }

  /** Re-reads the memory map, e.g. after the process loaded a library. */
  public void refresh() throws IOException {
    List<Mapping> list = Mapping.read(pid);
    Mapping[] a = list.toArray(Mapping[]::new);
    java.util.Arrays.sort(a, Comparator.comparingLong(Mapping::start));
    maps = a;
    mapsReadAt = System.nanoTime();
    byMapping.clear();
  }

  /** {@return the mappings last read} */
  public List<Mapping> mappings() { return List.of(maps); }

  /** {@return {@code address} as bpftrace prints a user stack frame: {@code main+22}, or {@code 0x…}} */
  public String format(long address) { return resolve(address).format(); }

  /** {@return {@code address} symbolized} */
  public Frame resolve(long address) {
    Mapping m = find(address);
    if (m == null && System.nanoTime() - mapsReadAt > 100_000_000L) {     // new mappings: at most ten re-reads a second
      try {
        refresh();
        m = find(address);
      } catch (IOException e) {
        // the process exited: symbolize with the map we have
      }
    }
    if (m == null) return fromPerfMap(address, null);
    if (m.path().equals("[vdso]")) return fromElf(address, m, vdso(m), "[vdso]");
    if (m.isFile()) {
      Optional<ElfSymbols> es = elfSymbols(m);
      // a file that is no ELF file (a memfd or /dev/zero holding JIT code) is named from the perf map
      return es.isPresent() ? fromElf(address, m, es, m.path()) : fromPerfMap(address, m);
    }
    return fromPerfMap(address, m);
  }

  private Mapping find(long address) {
    Mapping[] a = maps;
    int lo = 0, hi = a.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(a[mid].start(), address) <= 0) {
        if (a[mid].contains(address)) return a[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return null;
  }

  private Frame fromElf(long address, Mapping m, Optional<ElfSymbols> es, String module) {
    if (es.isEmpty()) return new Frame(address, null, 0, module);
    long fileOffset = address - m.start() + m.offset();
    OptionalLong vaddr = es.get().virtualAddress(fileOffset);
    if (vaddr.isEmpty()) return new Frame(address, null, 0, module);
    Optional<Symbol> s = es.get().lookup(vaddr.getAsLong());
    if (s.isEmpty()) return new Frame(address, null, 0, module);
    return new Frame(address, name(s.get().name()), vaddr.getAsLong() - s.get().address(), module);
  }

  private Frame fromPerfMap(long address, Mapping m) {
    SymbolTable t = perfMap();
    Optional<Symbol> s = t.lookup(address);
    if (s.isEmpty() && m != null && options.requestJvmPerfMap() && m.executable() && !jvmAsked && JvmAttach.isHotSpot(List.of(maps))) {
      jvmAsked = true;
      try {
        JvmAttach.writePerfMap(pid, Duration.ofSeconds(5));
        s = perfMap().lookup(address);
      } catch (IOException e) {
        // the JVM cannot be asked: its JIT frames stay unnamed, as without the option
      }
    }
    String module = m == null ? null : m.path().isEmpty() ? "[anon]" : m.path();
    if (s.isEmpty()) return new Frame(address, null, 0, module);
    return new Frame(address, s.get().name(), address - s.get().address(), perfMapName);
  }

  /** {@return the process's perf map, re-read when the file changed} */
  private SymbolTable perfMap() {
    try {
      String name = "/tmp/perf-" + Processes.namespacePid(pid) + ".map";
      perfMapName = name;
      Path p = root.resolve(name.substring(1));
      if (!Files.exists(p)) return perfMap;
      FileTime t = Files.getLastModifiedTime(p);
      long size = Files.size(p);
      if (size != perfMapSize || !t.equals(perfMapTime)) {
        perfMap = PerfMap.load(p);
        perfMapTime = t;
        perfMapSize = size;
      }
    } catch (IOException e) {
      // no readable perf map
    }
    return perfMap;
  }

  private String name(String raw) {
    if (!options.demangle()) return raw;
    return demangled.computeIfAbsent(raw, Demangler::demangleOrSelf);
  }

  private Optional<ElfSymbols> elfSymbols(Mapping m) {
    Optional<ElfSymbols> hit = byMapping.get(m);
    if (hit != null) return hit;
    Optional<ElfSymbols> es = load(m);
    byMapping.put(m, es);
    return es;
  }

  private Optional<ElfSymbols> load(Mapping m) {
    Path file = m.deleted()
        ? Path.of("/proc", Integer.toString(pid), "map_files", Long.toHexString(m.start()) + "-" + Long.toHexString(m.end()))
        : root.resolve(m.path().substring(1));
    return cached(file, root);
  }

  /** {@return the symbols of the ELF file at {@code file}, cached by identity and modification time} */
  static Optional<ElfSymbols> cached(Path file, Path root) {
    FileKey key;
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,lastModifiedTime,size");
      key = new FileKey(a.get("dev"), a.get("ino"), (FileTime) a.get("lastModifiedTime"), (Long) a.get("size"));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    synchronized (FILES) {
      Optional<ElfSymbols> hit = FILES.get(key);
      if (hit != null) return hit;
    }
    Optional<ElfSymbols> loaded;
    try {
      loaded = Optional.of(ElfSymbols.load(file, root));
    } catch (IOException | ElfFormatException e) {
      loaded = Optional.empty();
    }
    synchronized (FILES) {
      FILES.put(key, loaded);
    }
    return loaded;
  }

  /** The vDSO is an ELF image the kernel maps into every process; it is read from the process's memory. */
  private Optional<ElfSymbols> vdso(Mapping m) {
    if (vdso != null) return vdso;
    vdso = Optional.empty();
    long len = m.end() - m.start();
    if (len <= 0 || len > (16 << 20)) return vdso;
    try (FileChannel ch = FileChannel.open(Path.of("/proc", Integer.toString(pid), "mem"), StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) len);
      while (b.hasRemaining() && ch.read(b, m.start() + b.position()) > 0) {
        // read the whole image
      }
      b.flip();
      ElfFile elf = ElfFile.of("[vdso]", b);
      vdso = Optional.of(ElfSymbols.of(elf, Path.of("[vdso]"), root));
    } catch (IOException | ElfFormatException | IllegalArgumentException e) {
      // no readable vDSO: its frames stay unnamed
    }
    return vdso;
  }
}
