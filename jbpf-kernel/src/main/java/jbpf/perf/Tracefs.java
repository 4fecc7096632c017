package jbpf.perf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jbpf.sys.Capability;
import jbpf.sys.Errno;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.PermissionException;
import jbpf.sys.Sys;
import jbpf.sys.SyscallException;

/**
 * The kernel's tracing file system, where tracepoints are listed with their ids and record formats. It is found
 * at {@code /sys/kernel/tracing}, or {@code /sys/kernel/debug/tracing} on older systems, and mounted at the former
 * when nothing is mounted yet, as {@code perf} and {@code bpftrace} do. jbpf only reads it.
 */
public final class Tracefs {
  /** The mount point since Linux 4.1. */
  public static final Path TRACING = Path.of("/sys/kernel/tracing");
  /** The mount point under debugfs, older and still common. */
  public static final Path DEBUG_TRACING = Path.of("/sys/kernel/debug/tracing");

  private static volatile Tracefs instance;

  private final Path root;

  private Tracefs(Path root) { this.root = root; }

  /** {@return a tracefs at {@code root}, e.g. a copy of one for tests} */
  public static Tracefs at(Path root) { return new Tracefs(root); }

  /**
   * {@return the tracefs of this machine}, mounting it at {@link #TRACING} if neither mount point holds it.
   *
   * @throws PermissionException if it must be mounted and this process may not ({@code CAP_SYS_ADMIN})
   * @throws jbpf.sys.NotSupportedException if the kernel has no tracefs
   * @throws SyscallException if mounting fails otherwise
   */
  public static Tracefs get() {
    Tracefs t = instance;
    if (t != null) return t;
    synchronized (Tracefs.class) {
      if (instance == null) instance = new Tracefs(locate());
      return instance;
    }
  }

  private static Path locate() {
    for (Path p : List.of(TRACING, DEBUG_TRACING)) if (Files.exists(p.resolve("events"))) return p;
    if (!Files.isDirectory(TRACING))
      throw Feature.TRACEFS.notSupported(KernelVersion.current(), TRACING + " does not exist");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Sys.callState(arena);
      int r = Sys.mount(state, arena.allocateFrom("nodev"), arena.allocateFrom(TRACING.toString()),
          arena.allocateFrom("tracefs"), 0, MemorySegment.NULL);
      if (r < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.EPERM)
          throw PermissionException.of("mounting tracefs", Capability.CAP_SYS_ADMIN).withContext("mount tracefs at " + TRACING);
        if (e == Errno.ENODEV) throw Feature.TRACEFS.notSupported(KernelVersion.current(), "mount: " + e.name());
        throw new SyscallException("mount tracefs at " + TRACING, e);
      }
    }
    return TRACING;
  }

  /** {@return the mount point in use} */
  public Path root() { return root; }

  /**
   * {@return the id of tracepoint {@code category:name}, from {@code events/CATEGORY/NAME/id}}
   * @throws SyscallException with {@link Errno#ENOENT} if there is no such tracepoint
   */
  public int eventId(String category, String name) {
    Path file = eventDir(category, name).resolve("id");
    // Attaching hundreds of tracepoints reads hundreds of these files: a plain stream is much lighter than
    // Files.readString while the JIT has not warmed up yet (about 0.1 ms less per file).
    String text;
    try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
      text = new String(in.readNBytes(32), java.nio.charset.StandardCharsets.US_ASCII);
    } catch (java.io.FileNotFoundException e) {
      text = read(file, "read " + file);    // gives the error its errno
    } catch (IOException e) {
      throw new SyscallException("read " + file + " (" + e.getMessage() + ")", Errno.EIO);
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(file + " holds no number: " + text.strip());
    }
  }

  /**
   * {@return the record format of tracepoint {@code category:name}, the text of {@code events/CATEGORY/NAME/format}}:
   * <pre>
   * name: sys_enter_openat
   * ID: 648
   * format:
   * 	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
   * 	...
   * 	field:const char * filename;	offset:24;	size:8;	signed:0;
   * </pre>
   */
  public String format(String category, String name) {
    Path file = eventDir(category, name).resolve("format");
    return read(file, "read " + file);
  }

  /** {@return whether tracepoint {@code category:name} exists} */
  public boolean hasEvent(String category, String name) { return Files.exists(eventDir(category, name).resolve("id")); }

  /** {@return every tracepoint as {@code category:name}, from {@code available_events}} */
  public List<String> availableEvents() { return lines("available_events"); }

  /** {@return the kernel functions that ftrace-based probes can attach to, from {@code available_filter_functions}} */
  public List<String> availableFilterFunctions() { return lines("available_filter_functions"); }

  /** {@return whether {@code file} exists in this tracefs, e.g. {@code kprobe_events}} */
  public boolean has(String file) { return Files.exists(root.resolve(file)); }

  private Path eventDir(String category, String name) {
    if (category.contains("/") || name.contains("/") || category.startsWith(".") || name.startsWith("."))
      throw new IllegalArgumentException("bad tracepoint name " + category + ":" + name);
    return root.resolve("events").resolve(category).resolve(name);
  }

  private List<String> lines(String file) {
    String text = read(root.resolve(file), "read " + root.resolve(file));
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n")) if (!l.isBlank()) out.add(l.strip());
    return out;
  }

  private static String read(Path file, String operation) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SyscallException(operation, Errno.ENOENT);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new SyscallException(operation, Errno.EACCES);
    } catch (IOException e) {
      // Files reports the errno only as text, e.g. "Operation not permitted".
      for (Errno errno : Errno.values())
        if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).endsWith(errno.text()))
          throw new SyscallException(operation, errno);
      throw new SyscallException(operation + " (" + e.getMessage() + ")", Errno.EIO);
    }
  }
}
