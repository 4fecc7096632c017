package jbpf.btf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures what the tracer pays for BTF on startup, in a fresh JVM: read and index vmlinux BTF, find
 * {@code struct task_struct}, resolve {@code curtask->parent->pid}, then a few more lookups a script may need.
 * Run: {@code java -cp jbpf-core/target/classes:jbpf-core/target/test-classes jbpf.btf.BtfColdStart [file]}.
 */
public final class BtfColdStart {
  public static void main(String[] args) throws Exception {
    Path path = Path.of(args.length > 0 ? args[0] : "/sys/kernel/btf/vmlinux");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    for (int i = 1; i <= rounds; i++) {
      if (rounds > 1) System.out.println("round " + i);
      run(path);
    }
  }

  private static void run(Path path) throws Exception {
    long t0 = System.nanoTime();
    Btf btf = Btf.read(path);
    long t1 = System.nanoTime(), t2 = t1;
    int task = btf.findType(BtfKind.STRUCT, "task_struct").orElseThrow();
    long t3 = System.nanoTime();
    BtfType.Member parent = btf.member(task, "parent").orElseThrow();
    int parentType = ((BtfType.Ptr) btf.resolved(parent.type())).type();
    BtfType.Member pid = btf.member(parentType, "pid").orElseThrow();
    long pidSize = btf.sizeOf(pid.type());
    long t4 = System.nanoTime();
    String sig = btf.signature(btf.findType(BtfKind.FUNC, "vfs_read").orElseThrow());
    long t5 = System.nanoTime();
    List<String> vfs = btf.names(BtfKind.FUNC, "vfs_*");
    long t6 = System.nanoTime();
    List<String> tps = btf.rawTracepoints("*");
    long t7 = System.nanoTime();
    long comm = btf.findEnumerator("TASK_COMM_LEN").orElseThrow().value();
    long t8 = System.nanoTime();
    System.out.printf("types %d, %d bytes%n", btf.typeCount(), Files.size(path));
    System.out.printf("read and index     %6.2f ms%n", (t1 - t0) / 1e6);
    System.out.printf("find task_struct   %6.2f ms%n", (t3 - t2) / 1e6);
    System.out.printf("parent->pid        %6.2f ms  (offset %d, parent at %d, pid size %d)%n", (t4 - t3) / 1e6, pid.byteOffset(), parent.byteOffset(), pidSize);
    System.out.printf("open..parent->pid  %6.2f ms%n", (t4 - t0) / 1e6);
    System.out.printf("vfs_read signature %6.2f ms  %s%n", (t5 - t4) / 1e6, sig);
    System.out.printf("funcs vfs_*        %6.2f ms  (%d)%n", (t6 - t5) / 1e6, vfs.size());
    System.out.printf("raw tracepoints    %6.2f ms  (%d)%n", (t7 - t6) / 1e6, tps.size());
    System.out.printf("enumerator lookup  %6.2f ms  (TASK_COMM_LEN = %d)%n", (t8 - t7) / 1e6, comm);
  }
}
