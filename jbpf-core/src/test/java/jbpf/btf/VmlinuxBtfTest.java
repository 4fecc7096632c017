package jbpf.btf;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jbpf.btf.BtfType.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running kernel's BTF, when it has one: the types bpftrace scripts use every day. */
class VmlinuxBtfTest {
  private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
  private static Btf btf;

  @BeforeAll
  static void read() throws IOException {
    assumeTrue(Files.isReadable(VMLINUX), "skipped: " + VMLINUX + " is missing; it needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
    btf = Btf.read(VMLINUX);
  }

  private static int struct(String name) { return btf.findType(BtfKind.STRUCT, name).orElseThrow(() -> new AssertionError("no struct " + name)); }

  @Test
  void taskStruct() {
    int task = struct("task_struct");
    Member pid = btf.member(task, "pid").orElseThrow();
    assertTrue(pid.byteOffset() > 0);
    assertEquals("pid_t", btf.typeName(pid.type()));
    assertEquals(new Int("int", 4, 0, 32, Int.Encoding.SIGNED), btf.resolved(pid.type()));
    Member parent = btf.member(task, "parent").orElseThrow();
    assertEquals("struct task_struct *", btf.typeName(parent.type()));
    assertEquals(task, ((Ptr) btf.resolved(parent.type())).type());
    Member comm = btf.member(task, "comm").orElseThrow();
    Array arr = (Array) btf.resolved(comm.type());
    assertEquals(16, arr.nelems());
    assertEquals("char", btf.name(btf.resolve(arr.type())));
    assertEquals(16, btf.sizeOf(comm.type()));
    assertEquals("char comm[16]", btf.declaration(comm.type(), "comm"));
    Member bit = btf.member(task, "sched_reset_on_fork").orElseThrow();
    assertEquals(1, bit.bitfieldSize());
    assertTrue(btf.sizeOf(task) > 1000);
    assertTrue(btf.alignOf(task) >= 8);
  }

  @Test
  void anonymousMembers() {
    int skb = struct("sk_buff");
    Member dev = btf.member(skb, "dev").orElseThrow();      // union { struct { next; prev; union { dev; ... } } }
    assertEquals(16, dev.byteOffset());
    assertEquals("struct net_device *", btf.typeName(dev.type()));
    assertTrue(btf.member(skb, "len").orElseThrow().byteOffset() > 16);
  }

  @Test
  void kernelFunctions() {
    List<Param> params = btf.funcProto("vfs_read").orElseThrow().params();
    assertEquals(List.of("file", "buf", "count", "pos"), params.stream().map(Param::name).toList());
    assertEquals(List.of("struct file *", "char *", "size_t", "loff_t *"), params.stream().map(p -> btf.typeName(p.type())).toList());
    assertEquals("ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)",
        btf.signature(btf.findType(BtfKind.FUNC, "vfs_read").orElseThrow()));
    List<String> vfs = btf.names(BtfKind.FUNC, "vfs_*");
    assertTrue(vfs.containsAll(List.of("vfs_read", "vfs_write", "vfs_open")), vfs.toString());
    assertTrue(vfs.stream().allMatch(n -> n.startsWith("vfs_")));
  }

  @Test
  void rawTracepoints() {
    assertTrue(btf.findType(BtfKind.TYPEDEF, "btf_trace_sched_switch").isPresent());
    FuncProto proto = btf.rawTracepointProto("sched_switch").orElseThrow();
    assertEquals("void *", btf.typeName(proto.params().getFirst().type()));
    List<Param> args = btf.rawTracepointArgs("sched_switch").orElseThrow();
    assertEquals(List.of("preempt", "prev", "next"), args.stream().limit(3).map(Param::name).toList());
    assertEquals("struct task_struct *", btf.typeName(args.get(1).type()));
    List<String> sched = btf.rawTracepoints("sched_*");
    assertTrue(sched.contains("sched_switch") && sched.contains("sched_process_exec"), sched.toString());
  }

  @Test
  void enumConstants() {
    assertEquals(16, btf.findEnumerator("TASK_COMM_LEN").orElseThrow().value());
    assertEquals(27, btf.findEnumerator("BPF_MAP_TYPE_RINGBUF").orElseThrow().value());
    assertEquals("bpf_map_type", btf.name(btf.findEnumerator("BPF_MAP_TYPE_HASH").orElseThrow().enumType()));
    assertEquals(0, btf.findEnumerator("PIDTYPE_PID").orElseThrow().value());
  }

  /** Every type decodes and prints, and every struct member lies inside its struct. */
  @Test
  void everyTypeIsConsistent() {
    for (int id = 0; id < btf.typeCount(); id++) {
      BtfType t = btf.type(id);
      assertNotNull(btf.typeName(id));
      switch (t) {
        case Struct s -> {
          for (Member m : s.members()) {
            long end = m.isBitfield() ? (m.bitOffset() + m.bitfieldSize() + 7) / 8 : m.byteOffset() + btf.sizeOf(m.type());
            assertTrue(end <= s.size(), () -> "struct " + s.name() + " member " + m.name() + " ends at " + end + " past " + s.size());
          }
          btf.alignOf(id);
          btf.definition(id);
        }
        case Union u -> btf.definition(id);
        case Func f -> btf.signature(id);
        case Enumeration e -> assertTrue(e.size() == 1 || e.size() == 2 || e.size() == 4 || e.size() == 8, e.toString());
        default -> { }
      }
    }
  }

  /** Module BTF in /sys/kernel/btf is split BTF on top of vmlinux. */
  @Test
  void moduleBtf() throws IOException {
    List<Path> modules;
    try (Stream<Path> files = Files.list(VMLINUX.getParent())) {
      modules = files.filter(p -> !p.equals(VMLINUX)).sorted().toList();
    }
    assumeTrue(!modules.isEmpty(), "skipped: no module BTF in /sys/kernel/btf (no modules with BTF are loaded)");
    for (Path module : modules) {
      Btf m = Btf.read(module, btf);
      assertEquals(btf.typeCount(), m.firstTypeId(), module.toString());
      for (int id = m.firstTypeId(); id < m.typeCount(); id++) {
        m.type(id);
        m.typeName(id);
      }
    }
  }
}
