package jbpf.sys;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs one action over many items in platform threads: for batches of system calls whose kernel-side waits overlap
 * when they are made at the same time (attaching and detaching hundreds of probes).
 */
public final class Parallel {
  private Parallel() {}

  /**
   * Calls {@code action} with each index from 0 to {@code count - 1}, on {@code min(threads, count)} daemon threads
   * named {@code name-K} (on this thread when that is one or none), and returns once all are done. A
   * {@link RuntimeException} thrown by the action is added to {@code errors}; with {@code stopOnError}, no index is
   * started after the first one. An interrupt while waiting is kept for the caller.
   */
  public static void forEach(int count, int threads, String name, boolean stopOnError, IntConsumer action,
                             List<RuntimeException> errors) {
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i; (i = next.getAndIncrement()) < count; ) {
        try {
          action.accept(i);
        } catch (RuntimeException e) {
          synchronized (errors) {
            errors.add(e);
          }
          if (stopOnError) next.set(count);
        }
      }
    };
    int n = Math.min(threads, count);
    if (n <= 1) {
      worker.run();
      return;
    }
    List<Thread> started = new ArrayList<>(n);
    for (int t = 0; t < n; t++) started.add(Thread.ofPlatform().name(name + "-" + t).daemon().start(worker));
    boolean interrupted = false;
    for (Thread t : started) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** Throws the first of {@code errors} with the others added as suppressed; returns when there are none. */
  public static void throwFirst(List<RuntimeException> errors) {
    if (errors.isEmpty()) return;
    RuntimeException first = errors.getFirst();
    for (int i = 1; i < errors.size(); i++) first.addSuppressed(errors.get(i));
    throw first;
  }
}
