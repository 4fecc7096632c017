package jbpf.bench;

import java.util.List;
import jbpf.btf.Btf;
import jbpf.btf.BtfBuilder;
import jbpf.btf.BtfType;
import jbpf.btf.BtfType.Member;
import jbpf.lang.types.BtfTypes;

/** A BTF with {@code struct task_struct { int pid; int tgid; struct task_struct *parent; char comm[16]; }}. */
final class TaskBtf {
  private TaskBtf() {}

  static final BtfTypes TYPES = new BtfTypes(Btf.parse(build()));

  private static byte[] build() {
    BtfBuilder b = new BtfBuilder();
    int intT = b.add(new BtfType.Int("int", 4, 0, 32, BtfType.Int.Encoding.SIGNED));
    int charT = b.add(new BtfType.Int("char", 1, 0, 8, BtfType.Int.Encoding.SIGNED));
    int task = b.nextId() + 2;
    int taskPtr = b.add(new BtfType.Ptr(task));
    int comm = b.add(new BtfType.Array(charT, intT, 16));
    b.add(new BtfType.Struct("task_struct", 32, List.of(new Member("pid", intT, 0), new Member("tgid", intT, 32),
        new Member("parent", taskPtr, 64), new Member("comm", comm, 128))));
    return b.build();
  }
}
