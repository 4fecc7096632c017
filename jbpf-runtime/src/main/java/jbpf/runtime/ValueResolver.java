package jbpf.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.types.Type;
import jbpf.map.BpfMap;
import jbpf.output.StackMode;
import jbpf.output.Strftime;
import jbpf.output.Value;
import jbpf.symbols.Frame;
import jbpf.symbols.KernelSymbols;
import jbpf.symbols.UserSymbolizer;
import jbpf.symbols.Wildcard;
import jbpf.sys.Errno;
import jbpf.sys.Sys;

/**
 * Turns the numbers programs store for stacks, symbols, user ids, network and MAC addresses, cgroups and times
 * into the text bpftrace prints for them. Kernel symbols come from {@code /proc/kallsyms}; user symbols from the
 * ELF files a process maps (read through {@code /proc/PID/root}) and its perf map, which a JVM is asked to write
 * when it has none. Not thread-safe: the event loop owns it.
 */
final class ValueResolver {
  /**
   * How to symbolize.
   *
   * @param userSymbols whether user addresses are symbolized ({@code BPFTRACE_NO_USER_SYMBOLS} turns it off)
   * @param demangle whether C++ and Rust names are demangled ({@code BPFTRACE_NO_CPP_DEMANGLE} turns it off)
   */
  record Options(boolean userSymbols, boolean demangle) {
    /** {@return the options bpftrace's environment variables ask for} */
    static Options fromEnvironment(Map<String, String> env) {
      return new Options(!"1".equals(env.get("BPFTRACE_NO_USER_SYMBOLS")), !"1".equals(env.get("BPFTRACE_NO_CPP_DEMANGLE")));
    }
  }

  private static final int AF_INET = 2, AF_INET6 = 10;
  private static final int MAX_PROCESSES = 64;

  private final Map<String, BpfMap> maps;
  private final Options options;
  private final int self = (int) ProcessHandle.current().pid();
  private KernelSymbols kernel;
  private boolean kernelFailed;
  private final Map<Integer, Optional<UserSymbolizer>> processes = new LinkedHashMap<>(16, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<Integer, Optional<UserSymbolizer>> e) { return size() > MAX_PROCESSES; }
  };
  private Map<Long, String> users;
  private long usersReadAt;
  private final Map<Long, List<String>> cgroupPaths = new HashMap<>();
  private Long bootEpochNanos;

  /** @param maps the script's maps by name, filled in when they are created */
  ValueResolver(Map<String, BpfMap> maps, Options options) {
    this.maps = maps;
    this.options = options;
  }

  // ---- stacks ------------------------------------------------------------------------------------------------

  /** {@return the stack {@code id} of the stack map for {@code t}'s depth; a user stack of process {@code pid}} */
  Value stack(Type.Stack t, long id, int pid) {
    StackMode mode = switch (t.mode()) {
      case BPFTRACE -> StackMode.BPFTRACE;
      case PERF -> StackMode.PERF;
      case RAW -> StackMode.RAW;
    };
    List<Value.Frame> frames = new ArrayList<>();
    for (long ip : addresses(t.depth(), id)) {
      Frame u = t.user() && t.mode() != Type.StackMode.RAW ? user(pid, ip) : null;
      String symbol = switch (t.mode()) {
        case RAW -> "";
        case BPFTRACE -> t.user() ? u.format() : kernelSymbols().map(k -> k.format(ip)).orElse(hex(ip));
        case PERF -> t.user() ? perf(u) : kernelSymbols().map(k -> k.format(ip)).orElse(hex(ip));
      };
      Value.FrameKind kind = !t.user() ? Value.FrameKind.KERNEL : u != null && isPerfMap(u.module()) ? Value.FrameKind.JIT : Value.FrameKind.USER;
      frames.add(new Value.Frame(ip, symbol, kind));
    }
    return new Value.Stack(mode, frames);
  }

  /** {@return the addresses of stack {@code id}, innermost first; none if the id is an error or unknown} */
  long[] addresses(int depth, long id) {
    BpfMap map = maps.get(CompiledScript.stackMap(depth));
    // A negative id is bpf_get_stackid's error: no stack was recorded (e.g. -EFAULT for a kernel thread's user stack).
    if (map == null || id < 0 || id > 0xffff_ffffL) return new long[0];
    byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) id).array();
    byte[] value = map.lookup(key);
    if (value == null) return new long[0];
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    int n = 0;
    while (n < value.length / 8 && b.getLong(8 * n) != 0) n++;
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = b.getLong(8 * i);
    return out;
  }

  /** {@return whether {@code module} is a perf map, where JIT compilers name the code they generate} */
  static boolean isPerfMap(String module) {
    return module != null && module.startsWith("/tmp/perf-") && module.endsWith(".map");
  }

  /** {@return a user frame as perf script shows it after the address: {@code main+12 (/usr/bin/prog)}, or {@code 0x… ([unknown])}} */
  static String perf(Frame f) {
    if (f.symbol() == null) return hex(f.address()) + " ([unknown])";
    return f.symbol() + "+" + f.offset() + " (" + (f.module() == null ? "[unknown]" : f.module()) + ")";
  }

  private Frame user(int pid, long ip) {
    Optional<UserSymbolizer> s = options.userSymbols() ? symbolizer(pid) : Optional.empty();
    return s.isPresent() ? s.get().resolve(ip) : new Frame(ip, null, 0, null);
  }

  private Optional<UserSymbolizer> symbolizer(int pid) {
    Optional<UserSymbolizer> s = processes.get(pid);
    if (s != null) return s;
    try {
      // jbpf's own JVM is not asked to write a perf map: it would have to attach to itself.
      s = Optional.of(UserSymbolizer.of(pid, new UserSymbolizer.Options(options.demangle(), pid != self)));
    } catch (IOException | RuntimeException e) {
      s = Optional.empty();  // the process is gone: its addresses stay numbers, as in bpftrace
    }
    processes.put(pid, s);
    return s;
  }

  private Optional<KernelSymbols> kernelSymbols() {
    if (kernel == null && !kernelFailed) {
      try {
        kernel = KernelSymbols.load();
      } catch (IOException e) {
        kernelFailed = true;
      }
    }
    return Optional.ofNullable(kernel);
  }

  // ---- symbols -------------------------------------------------------------------------------------------------

  /** {@return {@code ksym(addr)}: the kernel function containing the address, or the address in hex} */
  Value ksym(long addr) {
    return new Value.Sym(kernelSymbols().flatMap(k -> k.resolve(addr)).map(KernelSymbols.KernelSymbol::name).orElse(unresolved(addr)));
  }

  /** {@return {@code usym(addr)}: the function of process {@code pid} containing the address, or the address in hex} */
  Value usym(long addr, int pid) {
    Frame f = user(pid, addr);
    return new Value.Sym(f.symbol() != null ? f.symbol() : unresolved(addr));
  }

  static String hex(long addr) { return "0x" + Long.toHexString(addr); }

  /** {@return an address {@code ksym()}/{@code usym()} cannot name, as bpftrace writes a {@code void *}: {@code 0x1f}, but {@code 0}} */
  static String unresolved(long addr) { return addr == 0 ? "0" : hex(addr); }

  // ---- users, addresses, cgroups, times --------------------------------------------------------------------

  /** {@return {@code username}: the name {@code /etc/passwd} gives uid {@code uid}, or empty as in bpftrace} */
  Value username(long uid) {
    if (users == null || !users.containsKey(uid) && System.nanoTime() - usersReadAt > 1_000_000_000L) {
      users = readUsers(Path.of("/etc/passwd"));
      usersReadAt = System.nanoTime();
    }
    return Value.str(users.getOrDefault(uid, ""));
  }

  /** {@return uid to name from a passwd(5) file: {@code name:x:uid:gid:...} lines} */
  static Map<Long, String> readUsers(Path passwd) {
    Map<Long, String> out = new HashMap<>();
    try {
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length < 3) continue;
        try {
          out.putIfAbsent(Long.parseLong(f[2]), f[0]);
        } catch (NumberFormatException e) {
          // not a user line
        }
      }
    } catch (IOException e) {
      // no passwd file: every name is empty
    }
    return out;
  }

  /** {@return {@code ntop()}: the address as inet_ntop(3) writes it, empty for an unknown family} */
  static Value inet(long af, byte[] addr) {
    if (af == AF_INET) return new Value.Inet((addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff));
    if (af == AF_INET6) return new Value.Inet(ipv6(addr));
    return new Value.Inet("");
  }

  /**
   * {@return an IPv6 address as glibc's inet_ntop writes it: lower-case groups without leading zeros, the first
   * longest run of two or more zero groups as {@code ::}, and IPv4-compatible and -mapped addresses ending in dotted
   * quads}
   */
  static String ipv6(byte[] a) {
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) w[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) { i++; continue; }
      int j = i;
      while (j < 8 && w[j] == 0) j++;
      if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
      i = j;
    }
    if (bestLen < 2) bestStart = -1;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
        if (i == bestStart) b.append(':');
        continue;
      }
      if (i != 0) b.append(':');
      if (i == 6 && bestStart == 0 && (bestLen == 6 || bestLen == 5 && w[5] == 0xffff)) {
        b.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.').append(a[14] & 0xff).append('.').append(a[15] & 0xff);
        break;
      }
      b.append(Integer.toHexString(w[i]));
    }
    if (bestStart >= 0 && bestStart + bestLen == 8) b.append(':');
    return b.toString();
  }

  /** {@return {@code macaddr()}: {@code AA:BB:CC:DD:EE:FF}} */
  /** {@return {@code strerror(n)} as the C library words it: {@code Operation not permitted}, {@code Unknown error 4000}} */
  static Value strerror(long n) {
    if (n == 0) return Value.str("Success");
    Errno e = n > 0 && n < Integer.MAX_VALUE ? Errno.from((int) n) : Errno.UNKNOWN;
    if (e == Errno.UNKNOWN) return Value.str("Unknown error " + n);
    String t = e.text();
    return Value.str(Character.toUpperCase(t.charAt(0)) + t.substring(1));
  }

  static Value macaddr(byte[] mac) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      if (i > 0) b.append(':');
      b.append(String.format("%02X", mac[i] & 0xff));
    }
    return Value.str(b.toString());
  }

  /**
   * {@return {@code cgroup_path(id, filter)}: {@code hierarchy:path} for each mounted cgroup hierarchy whose name
   * matches {@code filter} and holds a cgroup with that id, joined by commas; cgroup v2 is named {@code unified}}
   */
  Value cgroupPath(long id, String filter) {
    List<String> cached = cgroupPaths.get(id);
    if (cached == null || !stillValid(cached, id)) {
      cached = findCgroup(id);
      cgroupPaths.put(id, cached);
    }
    Wildcard w = Wildcard.compile(filter);
    List<String> out = new ArrayList<>();
    for (String entry : cached) {
      // entry: name \0 mount point \0 path below it
      String[] p = entry.split("\0", -1);
      if (w.matches(p[0])) out.add(p[0] + ":" + p[2]);
    }
    return Value.str(String.join(",", out));
  }

  private static boolean stillValid(List<String> entries, long id) {
    for (String e : entries) {
      String[] p = e.split("\0", -1);
      if (inode(Path.of(p[1] + (p[2].equals("/") ? "" : p[2]))) != id) return false;
    }
    return !entries.isEmpty();
  }

  private static List<String> findCgroup(long id) {
    List<String> out = new ArrayList<>();
    for (String[] m : cgroupMounts()) {
      Path root = Path.of(m[1]);
      try (Stream<Path> dirs = Files.walk(root)) {
        dirs.filter(Files::isDirectory).filter(d -> inode(d) == id).findFirst().ifPresent(d -> {
          String rel = "/" + root.relativize(d).toString();
          out.add(m[0] + "\0" + m[1] + "\0" + (rel.equals("/") ? "/" : rel));
        });
      } catch (IOException | java.io.UncheckedIOException e) {
        // an unreadable hierarchy holds nothing we can name
      }
    }
    return out;
  }

  /**
   * {@return the mounted cgroup hierarchies as (name, mount point), from {@code /proc/self/mountinfo} lines like
   * {@code 30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw}; v1 hierarchies are named by their
   * controllers ({@code cpu,cpuacct}) or their {@code name=}, v2 is {@code unified}}
   */
  static List<String[]> cgroupMounts() {
    try {
      return cgroupMounts(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return List.of();  // no mount table: no hierarchies
    }
  }

  /** {@return the cgroup hierarchies of {@code mountinfo}'s lines, as {@link #cgroupMounts()}} */
  static List<String[]> cgroupMounts(List<String> mountinfo) {
    List<String[]> out = new ArrayList<>(), v1 = new ArrayList<>();
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      if (dash < 0) continue;
      String[] pre = line.substring(0, dash).split(" "), post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3) continue;
      String mount = pre[4].replace("\\040", " ");
      if (post[0].equals("cgroup2")) out.add(new String[] {"unified", mount});
      else if (post[0].equals("cgroup")) {
        List<String> names = new ArrayList<>();
        for (String o : post[2].split(",")) {
          if (o.startsWith("name=")) names.add(o.substring(5));
          else if (V1_CONTROLLERS.contains(o)) names.add(o);
        }
        v1.add(new String[] {String.join(",", names), mount});
      }
    }
    // bpftrace lists cgroup v2 first, then the v1 hierarchies by name.
    v1.sort(java.util.Comparator.comparing(m -> m[0]));
    out.addAll(v1);
    return out;
  }

  /** The cgroup v1 controllers (Documentation/admin-guide/cgroup-v1), which name the hierarchies they are mounted in. */
  private static final java.util.Set<String> V1_CONTROLLERS = java.util.Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
      "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc", "debug");

  private static long inode(Path p) {
    try {
      return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** {@return {@code strftime(format, ns)}, {@code ns} counted from boot, in local time; {@code (?)} if it does not fit} */
  Value timestamp(String format, long ns) {
    if (bootEpochNanos == null) bootEpochNanos = Sys.clockGettime(Sys.CLOCK_REALTIME) - Sys.clockGettime(Sys.CLOCK_BOOTTIME);
    return Value.str(Strftime.strftime(format, bootEpochNanos + ns, ZoneId.systemDefault()).orElse(Strftime.UNAVAILABLE));
  }
}
