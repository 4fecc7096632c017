package jbpf.testing;

import jbpf.sys.Sys;

/** Things the kernel tests make the kernel do. */
public final class Workload {
  private Workload() {}

  /** Calls {@code getpid(2)} {@code n} times, straight to the kernel (no C library cache). */
  public static void getpid(int n) {
    for (int i = 0; i < n; i++) Sys.getpid();
  }

  /** {@return this process's id} */
  public static int pid() { return (int) ProcessHandle.current().pid(); }
}
