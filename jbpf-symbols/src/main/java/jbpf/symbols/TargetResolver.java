package jbpf.symbols;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the file a uprobe or USDT target names, as bpftrace does: a path (which may contain wildcards) is taken as
 * is; a bare name is looked up as a program on {@code PATH}, then as a library: {@code libc} and {@code c} both mean
 * the first {@code libc.so*} the dynamic linker's cache lists for this machine, then the default library
 * directories. With a pid, the libraries the process has mapped come first, through its root directory.
 */
public final class TargetResolver {
  private static final List<String> DEFAULT_LIBRARY_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
      "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib");

  private final String pathVariable;
  private final LdSoCache cache;

  /**
   * @param pathVariable the {@code PATH} to search for programs, e.g. {@code System.getenv("PATH")}
   * @param cache the linker cache, or {@code null} to search only the default directories
   */
  public TargetResolver(String pathVariable, LdSoCache cache) {
    this.pathVariable = pathVariable == null ? "" : pathVariable;
    this.cache = cache;
  }

  /** {@return a resolver using this process's {@code PATH} and {@code /etc/ld.so.cache}, if readable} */
  public static TargetResolver system() {
    LdSoCache c;
    try {
      c = LdSoCache.load();
    } catch (IOException e) {
      c = null;
    }
    return new TargetResolver(System.getenv("PATH"), c);
  }

  /**
   * {@return the files {@code target} names; several if it is a path with wildcards}
   * @param pid the process the probe is for, or 0 for none
   * @throws IOException naming the target if nothing matches: {@code uprobe target libfoo: no program on PATH and no
   *     library called libfoo.so* in /etc/ld.so.cache or /lib, /usr/lib…}
   */
  public List<Path> resolve(String target, int pid) throws IOException {
    if (target.contains("/")) {
      List<Path> found = Wildcard.isWildcard(target) ? glob(target) : List.of(Path.of(target));
      List<Path> existing = new ArrayList<>();
      for (Path p : found) if (Files.isRegularFile(p)) existing.add(p);
      if (existing.isEmpty()) throw new IOException("uprobe target " + target + ": no such file");
      return existing;
    }
    if (pid > 0) {
      Optional<Path> mapped = mappedLibrary(target, pid);
      if (mapped.isPresent()) return List.of(mapped.get());
    }
    Optional<Path> program = program(target);
    if (program.isPresent()) return List.of(program.get());
    Optional<Path> lib = library(target);
    if (lib.isPresent()) return List.of(lib.get());
    throw new IOException("uprobe target " + target + ": no program called " + target + " on PATH and no library called "
        + soPrefix(target) + "* in " + (cache == null ? "" : "/etc/ld.so.cache or ") + String.join(", ", DEFAULT_LIBRARY_DIRS));
  }

  /** {@return the executable called {@code name} in the first {@code PATH} directory holding one} */
  public Optional<Path> program(String name) {
    for (String dir : pathVariable.split(":")) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** {@return the library {@code name} ({@code c}, {@code libc}, {@code libc.so.6}) as the dynamic linker would find it} */
  public Optional<Path> library(String name) {
    String prefix = soPrefix(name);
    if (cache != null)
      for (LdSoCache.Entry e : cache.entries())
        if ((e.x8664() || e.aarch64()) && e.name().startsWith(prefix) && Files.isRegularFile(Path.of(e.path())))
          return Optional.of(Path.of(e.path()));
    for (String dir : DEFAULT_LIBRARY_DIRS) {
      Path exact = Path.of(dir, name);
      if (name.contains(".so") && Files.isRegularFile(exact)) return Optional.of(exact);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(dir), prefix + "*")) {
        List<Path> hits = new ArrayList<>();
        for (Path p : ds) if (Files.isRegularFile(p)) hits.add(p);
        hits.sort(null);
        if (!hits.isEmpty()) return Optional.of(hits.getFirst());
      } catch (IOException e) {
        // no such directory
      }
    }
    return Optional.empty();
  }

  /** {@return the file name prefix a library name stands for: {@code c} and {@code libc} → {@code libc.so}} */
  static String soPrefix(String name) {
    if (name.contains(".so")) return name;
    return (name.startsWith("lib") ? name : "lib" + name) + ".so";
  }

  private Optional<Path> mappedLibrary(String name, int pid) {
    String prefix = soPrefix(name);
    try {
      for (Mapping m : Mapping.read(pid)) {
        if (!m.isFile()) continue;
        String file = m.path().substring(m.path().lastIndexOf('/') + 1);
        if (file.startsWith(prefix)) return Optional.of(Processes.root(pid).resolve(m.path().substring(1)));
      }
    } catch (IOException e) {
      // the process is gone: resolve as without a pid
    }
    return Optional.empty();
  }

  private static List<Path> glob(String pattern) throws IOException {
    String[] parts = pattern.split("/");
    List<Path> current = List.of(Path.of(pattern.startsWith("/") ? "/" : "."));
    for (String part : parts) {
      if (part.isEmpty()) continue;
      List<Path> next = new ArrayList<>();
      for (Path dir : current) {
        if (!Wildcard.isWildcard(part)) {
          next.add(dir.resolve(part));
          continue;
        }
        if (!Files.isDirectory(dir)) continue;
        Wildcard w = Wildcard.compile(part);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path p : ds) if (w.matches(p.getFileName().toString())) next.add(p);
        }
      }
      next.sort(null);
      current = next;
    }
    return current;
  }
}
