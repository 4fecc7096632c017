package jbpf.btf;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measures what the tracer pays for BTF when it starts: in a fresh JVM, read and index vmlinux BTF, find
 * {@code struct task_struct}, resolve {@code curtask->parent->pid}, then the other lookups a script or {@code -lv}
 * listing needs. Prints one line of milliseconds per step; run it many times, each in a new JVM:
 * <pre>
 * java -cp jbpf-core/target/classes:jbpf-core/target/test-classes jbpf.btf.BtfColdStart [file [rounds]]
 * </pre>
 * With {@code rounds > 1} the same JVM repeats the steps, which shows the warmed-up cost. With
 * {@code -Djbpf.bench.cpu=true} the figures are the main thread's CPU time rather than wall-clock time, which is
 * steadier on a busy machine (but leaves out the JIT compiler threads).
 */
public final class BtfColdStart {
  public static void main(String[] args) throws Exception {
    Path path = Path.of(args.length > 0 ? args[0] : "/sys/kernel/btf/vmlinux");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    System.out.println("open  task_struct  parent->pid  total | vfs_read-sig  funcs-vfs_*  raw-tps  tp-args  enum");
    for (int i = 0; i < rounds; i++) run(path);
  }

  private static final boolean CPU = Boolean.getBoolean("jbpf.bench.cpu");
  private static final byte[] SCHEDSTAT = new byte[64];

  /** {@return nanoseconds: wall-clock, or this thread's time on a CPU from /proc/thread-self/schedstat} */
  private static long now() {
    if (!CPU) return System.nanoTime();
    try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/thread-self/schedstat")) {
      int n = in.read(SCHEDSTAT);
      long v = 0;
      for (int i = 0; i < n && SCHEDSTAT[i] >= '0' && SCHEDSTAT[i] <= '9'; i++) v = v * 10 + SCHEDSTAT[i] - '0';
      return v;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void run(Path path) throws Exception {
    long t0 = now();
    Btf btf = Btf.read(path);
    long t1 = now();
    int task = btf.findType(BtfKind.STRUCT, "task_struct").orElseThrow();
    long t2 = now();
    BtfType.Member parent = btf.member(task, "parent").orElseThrow();
    int parentTask = ((BtfType.Ptr) btf.resolved(parent.type())).type();
    BtfType.Member pid = btf.member(parentTask, "pid").orElseThrow();
    long pidSize = btf.sizeOf(pid.type());
    long t3 = now();
    String sig = btf.signature(btf.findType(BtfKind.FUNC, "vfs_read").orElseThrow());
    long t4 = now();
    List<String> vfs = btf.names(BtfKind.FUNC, "vfs_*");
    long t5 = now();
    List<String> tps = btf.rawTracepoints("*");
    long t6 = now();
    StringBuilder listing = new StringBuilder();
    for (BtfType.Param p : btf.rawTracepointArgs("sched_switch").orElseThrow())
      listing.append("    ").append(btf.typeName(p.type())).append(' ').append(p.name()).append('\n');
    long t7 = now();
    long commLen = btf.findEnumerator("TASK_COMM_LEN").orElseThrow().value();
    long t8 = now();
    if (pidSize != 4 || sig.isEmpty() || vfs.isEmpty() || tps.isEmpty() || listing.isEmpty() || commLen != 16)
      throw new IllegalStateException("unexpected answers");
    System.out.println(String.format(Locale.ROOT, "%5.2f  %11.2f  %11.2f  %5.2f | %12.2f  %11.2f  %7.2f  %7.2f  %4.2f",
        ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t0, t3), ms(t3, t4), ms(t4, t5), ms(t5, t6), ms(t6, t7), ms(t7, t8)));
  }

  private static double ms(long from, long to) { return (to - from) / 1e6; }
}
