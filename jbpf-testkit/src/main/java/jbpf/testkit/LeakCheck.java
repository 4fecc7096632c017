package jbpf.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jbpf.sys.BpfObjects;
import jbpf.sys.Fd;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves kernel objects behind: an fd of a BPF object, perf event, epoll set or eventfd
 * ({@code anon_inode} in {@code /proc/self/fd}) that was not open before the class ran, or a BPF program, map or
 * link created meanwhile that this process still holds. Objects the kernel frees after a grace period get two
 * seconds to go. With {@code -Djbpf.fd.trace=true} the report says where each leaked {@link Fd} was opened.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

  /** Creates the extension; JUnit does, for {@link RequiresKernel}. */
  public LeakCheck() {}

  private record Snapshot(Map<Integer, String> fds, List<Fd.Opened> traced, Map<BpfObjects.Kind, Set<Integer>> ids) {}

  @Override public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("before", snapshot());
  }

  @Override public void afterAll(ExtensionContext context) throws Exception {
    Snapshot before = context.getStore(NS).remove("before", Snapshot.class);
    if (before == null) return;
    List<String> leaks = List.of();
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (true) {
      leaks = compare(before, snapshot());
      if (leaks.isEmpty() || System.nanoTime() > deadline) break;
      Thread.sleep(50);
    }
    if (!leaks.isEmpty())
      throw new AssertionError(context.getDisplayName() + " leaked kernel objects:\n  " + String.join("\n  ", leaks));
  }

  private static Snapshot snapshot() {
    Map<BpfObjects.Kind, Set<Integer>> ids = new HashMap<>();
    for (BpfObjects.Kind k : BpfObjects.Kind.values()) {
      try {
        ids.put(k, new HashSet<>(BpfObjects.ids(k)));
      } catch (jbpf.sys.PermissionException e) {
        ids.put(k, Set.of()); // listing needs CAP_SYS_ADMIN; the fd check still runs
      }
    }
    return new Snapshot(anonFds(), Fd.openFds(), ids);
  }

  private static List<String> compare(Snapshot before, Snapshot after) {
    List<String> out = new ArrayList<>();
    Map<Integer, Fd.Opened> traced = new HashMap<>();
    Set<Fd.Opened> tracedBefore = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    tracedBefore.addAll(before.traced());
    for (Fd.Opened o : after.traced()) if (!tracedBefore.contains(o)) traced.put(o.fd(), o);
    Map<String, String> owned = ownedBpfIds();
    for (Map.Entry<Integer, String> e : after.fds().entrySet()) {
      boolean old = e.getValue().equals(before.fds().get(e.getKey())) && !traced.containsKey(e.getKey());
      if (old) continue;
      Fd.Opened o = traced.get(e.getKey());
      out.add("fd " + e.getKey() + " (" + e.getValue() + (o != null ? ", " + o.what() : "") + ") is still open"
          + (o != null ? "; opened at " + site(o.site()) : Fd.tracing() ? "" : " (run with -Djbpf.fd.trace=true to see where it was opened)"));
    }
    for (BpfObjects.Kind k : BpfObjects.Kind.values()) {
      for (int id : after.ids().get(k)) {
        if (before.ids().get(k).contains(id)) continue;
        String holder = owned.get(k + ":" + id);
        if (holder != null) out.add(BpfObjects.describe(k, id).map(Object::toString).orElse(k.noun() + " " + id) + " is still loaded, held by " + holder);
      }
    }
    return out;
  }

  private static String site(Throwable t) {
    for (StackTraceElement e : t.getStackTrace()) {
      String c = e.getClassName();
      if (!c.startsWith("jbpf.sys.") && !c.startsWith("java.")) return e.toString();
    }
    return t.getStackTrace().length > 0 ? t.getStackTrace()[0].toString() : "?";
  }

  /** {@return this process's fds that are kernel objects without a file: fd number to link target} */
  private static Map<Integer, String> anonFds() {
    Map<Integer, String> out = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : dir) {
        try {
          String target = Files.readSymbolicLink(p).toString();
          if (target.startsWith("anon_inode:")) out.put(Integer.parseInt(p.getFileName().toString()), target);
        } catch (IOException | NumberFormatException e) {
          // closed meanwhile (the directory stream's own fd, for one)
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("list /proc/self/fd", e);
    }
    return out;
  }

  /**
   * {@return the BPF objects this process's fds hold, keyed by kind and id}, from the {@code prog_id:},
   * {@code map_id:} and {@code link_id:} lines of {@code /proc/self/fdinfo}.
   */
  private static Map<String, String> ownedBpfIds() {
    Map<String, String> out = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fdinfo"))) {
      for (Path p : dir) {
        String text;
        try {
          text = Files.readString(p);
        } catch (IOException e) {
          continue;
        }
        for (String line : text.split("\n")) {
          BpfObjects.Kind k = line.startsWith("prog_id:") ? BpfObjects.Kind.PROGRAM : line.startsWith("map_id:") ? BpfObjects.Kind.MAP
              : line.startsWith("link_id:") ? BpfObjects.Kind.LINK : null;
          if (k == null) continue;
          try {
            int id = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            out.put(k + ":" + id, "fd " + p.getFileName());
          } catch (NumberFormatException e) {
            // not an id line after all
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("list /proc/self/fdinfo", e);
    }
    return out;
  }
}
