package jbpf.lang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jbpf.btf.Btf;
import jbpf.btf.BtfBuilder;
import jbpf.btf.BtfKind;
import jbpf.btf.BtfType;
import jbpf.btf.BtfType.Member;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;

/**
 * A kernel with a handful of tracepoints, their format files copied from Linux 6.18 into test resources, and a
 * small BTF: a {@code struct task_struct} with the fields tests use (at offsets of its own), a bitfield, an anonymous
 * union, a forward-declared {@code struct mm_struct}, an enum, and {@code struct __kernel_timespec}.
 */
public final class FakeKernel implements KernelInfo {
  public static final List<String> TRACEPOINTS = List.of("syscalls:sys_enter_openat", "syscalls:sys_exit_openat",
      "syscalls:sys_enter_read", "syscalls:sys_exit_read", "sched:sched_switch", "sched:sched_process_exec",
      "raw_syscalls:sys_enter", "syscalls:sys_enter_nanosleep", "sock:inet_sock_set_state");

  private static final BtfTypes BTF = new BtfTypes(Btf.parse(kernelTypes()));

  @Override public List<String> tracepoints() { return TRACEPOINTS; }

  @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) {
    if (!TRACEPOINTS.contains(category + ":" + name)) return Optional.empty();
    try (InputStream in = FakeKernel.class.getResourceAsStream("/tracefs/events/" + category + "/" + name + "/format")) {
      return Optional.of(TracepointFormat.parse(category, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public int possibleCpus() { return 2; }

  @Override public Optional<BtfTypes> btf() { return Optional.of(BTF); }

  @Override public OptionalInt kernelFunction(String name) { return BTF.btf().findType(BtfKind.FUNC, name); }

  /**
   * <pre>
   * struct task_struct {
   *   unsigned int __state;                       // 0
   *   unsigned int flags;                         // 4
   *   unsigned int sched_reset_on_fork: 1;        // 8, bit 0
   *   unsigned int sched_contributes_to_load: 1;  // 8, bit 1
   *   unsigned int in_execve: 3;                  // 8, bits 2-4
   *   int prio;                                   // 12
   *   pid_t pid;                                  // 16
   *   pid_t tgid;                                 // 20
   *   struct task_struct *real_parent;            // 24
   *   struct task_struct *parent;                 // 32
   *   struct mm_struct *mm;                       // 40
   *   char comm[16];                              // 48
   *   union { u64 utime; u32 utime_lo; };         // 64
   *   int slots[4];                               // 72
   * };                                            // size 88
   * </pre>
   */
  private static byte[] kernelTypes() {
    BtfBuilder b = new BtfBuilder();
    int intT = b.add(new BtfType.Int("int", 4, 0, 32, BtfType.Int.Encoding.SIGNED));
    int uint = b.add(new BtfType.Int("unsigned int", 4, 0, 32, BtfType.Int.Encoding.NONE));
    int charT = b.add(new BtfType.Int("char", 1, 0, 8, BtfType.Int.Encoding.SIGNED));
    int ulong = b.add(new BtfType.Int("long unsigned int", 8, 0, 64, BtfType.Int.Encoding.NONE));
    int llong = b.add(new BtfType.Int("long long int", 8, 0, 64, BtfType.Int.Encoding.SIGNED));
    int pidT = b.add(new BtfType.Typedef("pid_t", intT));
    int u64 = b.add(new BtfType.Typedef("u64", ulong));
    int u32 = b.add(new BtfType.Typedef("u32", uint));
    int taskId = b.nextId();
    int task = b.add(new BtfType.Struct("task_struct", 88, List.of()));  // replaced below: ids are fixed by order
    int taskPtr = b.add(new BtfType.Ptr(task));
    int mm = b.add(new BtfType.Fwd("mm_struct", false));
    int mmPtr = b.add(new BtfType.Ptr(mm));
    int arrIdx = intT;
    int comm = b.add(new BtfType.Array(charT, arrIdx, 16));
    int slots = b.add(new BtfType.Array(intT, arrIdx, 4));
    int anon = b.add(new BtfType.Union("", 8, List.of(new Member("utime", u64, 0), new Member("utime_lo", u32, 0))));
    b.add(new BtfType.Enum("pid_type", 4, false, List.of(new BtfType.Enumerator("PIDTYPE_PID", 0), new BtfType.Enumerator("PIDTYPE_TGID", 1),
        new BtfType.Enumerator("PIDTYPE_PGID", 2), new BtfType.Enumerator("PIDTYPE_SID", 3), new BtfType.Enumerator("PIDTYPE_MAX", 4))));
    b.add(new BtfType.Struct("__kernel_timespec", 16, List.of(new Member("tv_sec", llong, 0), new Member("tv_nsec", llong, 64))));
    BtfBuilder full = new BtfBuilder();
    // Rebuild with the real task_struct at the same id: the builder writes types in the order they were added.
    List<BtfType> types = new java.util.ArrayList<>();
    Btf first = Btf.parse(b.build());
    for (int id = 1; id < first.typeCount(); id++) types.add(first.type(id));
    types.set(taskId - 1, new BtfType.Struct("task_struct", 88, List.of(
        new Member("__state", uint, 0), new Member("flags", uint, 32),
        new Member("sched_reset_on_fork", uint, 64, 1), new Member("sched_contributes_to_load", uint, 65, 1),
        new Member("in_execve", uint, 66, 3), new Member("prio", intT, 96), new Member("pid", pidT, 128),
        new Member("tgid", pidT, 160), new Member("real_parent", taskPtr, 192), new Member("parent", taskPtr, 256),
        new Member("mm", mmPtr, 320), new Member("comm", comm, 384), new Member("", anon, 512), new Member("slots", slots, 576))));
    for (BtfType t : types) full.add(t);
    return full.build();
  }
}
