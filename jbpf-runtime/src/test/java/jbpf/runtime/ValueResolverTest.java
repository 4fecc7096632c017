package jbpf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jbpf.lang.types.Type;
import jbpf.output.Value;
import jbpf.symbols.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The text userspace makes of the numbers programs store, as bpftrace prints it. */
class ValueResolverTest {
  static Stream<Arguments> ipv6() {
    return Stream.of(
        arguments("00000000000000000000000000000001", "::1"),
        arguments("00000000000000000000000000000000", "::"),
        arguments("fe800000000000000000000000000001", "fe80::1"),
        arguments("20010db8000000000000ff0000428329", "2001:db8::ff00:42:8329"),
        arguments("20010db8000000010000000000000001", "2001:db8:0:1::1"),
        arguments("20010db8000000000001000000000001", "2001:db8::1:0:0:1"),
        arguments("00010000000000000000000000000000", "1::"),
        arguments("00010002000300040005000600070008", "1:2:3:4:5:6:7:8"),
        arguments("00010000000300040005000600070008", "1:0:3:4:5:6:7:8"),
        arguments("00000000000000000000ffff7f000001", "::ffff:127.0.0.1"),
        arguments("0000000000000000000000000a000001", "::10.0.0.1"),
        arguments("0000000000000000000000010a000001", "::1:a00:1"));
  }

  /** Each row as glibc's inet_ntop(AF_INET6) writes it. */
  @ParameterizedTest(name = "{1}") @MethodSource("ipv6")
  void formatsIpv6AsInetNtop(String hex, String text) {
    assertEquals(new Value.Inet(text), ValueResolver.inet(10, HexFormat.of().parseHex(hex)));
  }

  @Test
  void formatsIpv4AndUnknownFamilies() {
    byte[] addr = new byte[16];
    addr[0] = 127;
    addr[3] = 1;
    assertEquals(new Value.Inet("127.0.0.1"), ValueResolver.inet(2, addr));
    assertEquals(new Value.Inet(""), ValueResolver.inet(1, addr));
  }

  @Test
  void formatsMacAddressesInUpperCase() {
    assertEquals(Value.str("18:C0:4D:08:2E:BB"), ValueResolver.macaddr(HexFormat.of().parseHex("18c04d082ebb")));
  }

  @Test
  void readsUserNamesFromPasswd(@TempDir Path tmp) throws Exception {
    Path passwd = tmp.resolve("passwd");
    Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\n# a comment\nalice:x:1000:1000::/home/alice:/bin/sh\nbad:x:nan:1::/:/bin/sh\n");
    assertEquals(Map.of(0L, "root", 1000L, "alice"), ValueResolver.readUsers(passwd));
    assertEquals(Map.of(), ValueResolver.readUsers(tmp.resolve("missing")));
  }

  @Test
  void formatsUserFramesAsPerfDoes() {
    assertEquals("main+12 (/usr/bin/prog)", ValueResolver.perf(new Frame(0x401000, "main", 12, "/usr/bin/prog")));
    assertEquals("0x7f0012 ([unknown])", ValueResolver.perf(new Frame(0x7f0012, null, 0, null)));
    assertEquals("stub+3 ([unknown])", ValueResolver.perf(new Frame(0x7f0012, "stub", 3, null)));
  }

  /** /proc/self/mountinfo of a hybrid cgroup system. */
  @Test
  void namesCgroupHierarchiesUnifiedFirstThenByName() {
    List<String[]> mounts = ValueResolver.cgroupMounts(List.of(
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
        "33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate"));
    assertEquals(List.of("unified=/sys/fs/cgroup/unified", "cpu,cpuacct=/sys/fs/cgroup/cpu,cpuacct", "memory=/sys/fs/cgroup/memory",
        "systemd=/sys/fs/cgroup/systemd"), mounts.stream().map(m -> m[0] + "=" + m[1]).toList());
  }

  static Stream<Arguments> strings() {
    return Stream.of(
        arguments("abc", 8, "abc"),
        arguments("", 8, ""),
        arguments("1234567", 8, "1234567"),
        // a buffer full to its end (a char array): every byte, and no truncation marker, as in bpftrace 0.17
        arguments("12345678", 8, "12345678"));
  }

  @ParameterizedTest(name = "{0} in {1} bytes") @MethodSource("strings")
  void decodesStringsUpToTheirTerminator(String stored, int size, String printed) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment mem = arena.allocate(size);
      byte[] b = stored.getBytes(StandardCharsets.UTF_8);
      MemorySegment.copy(b, 0, mem, ValueLayout.JAVA_BYTE, 0, b.length);
      assertEquals(Value.str(printed), new ValueDecoder(List.of()).decode(new Type.Str(size), mem, 0));
    }
  }

  @Test
  void unresolvedAddressesAreWrittenAsCxxWritesAPointer() {
    // bpftrace 0.17: ksym(0) and usym(0) print 0, ksym(1) 0x1 (std::ostream << (void *))
    assertEquals("0", ValueResolver.unresolved(0));
    assertEquals("0x1", ValueResolver.unresolved(1));
    assertEquals("0xffffffff81000000", ValueResolver.unresolved(0xffffffff81000000L));
  }
}
