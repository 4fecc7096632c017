package jbpf.cli;

import java.io.IOException;
import jbpf.lang.types.KernelInfo;
import jbpf.runtime.ChildCommand;
import jbpf.runtime.Processes;
import jbpf.runtime.Tracer;

/**
 * The process a script traces: none, the one {@code -p PID} names, or the command {@code -c CMD} starts. Tracing ends
 * when it exits; a command started for the script runs only once the probes are attached and BEGIN has run, and is
 * ended with the script.
 */
final class TraceTarget implements AutoCloseable {
  private final int pid;
  private final ChildCommand child;

  private TraceTarget(int pid, ChildCommand child) {
    this.pid = pid;
    this.child = child;
  }

  /**
   * {@return the target {@code o} names}
   * @throws IOException saying why there is none: no such process, or a command that cannot be started
   */
  static TraceTarget of(Options o) throws IOException {
    if (o.command() != null) {
      try {
        ChildCommand c = ChildCommand.start(o.command());
        return new TraceTarget(c.pid(), c);
      } catch (IOException e) {
        throw new IOException("-c " + o.command() + ": " + e.getMessage(), e);
      }
    }
    if (o.pid() > 0 && ProcessHandle.of(o.pid()).isEmpty()) throw new IOException("process " + o.pid() + " does not exist");
    return new TraceTarget(o.pid(), null);
  }

  /** {@return the target as the compiler sees it, or {@code null} for none} */
  KernelInfo.Target kernelTarget() {
    if (child != null) return new KernelInfo.Target(pid, true, child.program());
    return pid > 0 ? new KernelInfo.Target(pid, false, null) : null;
  }

  /** Has {@code tracer} start the command once it runs, and stop when the target exits. */
  void follow(Tracer tracer) {
    if (child != null) {
      tracer.onRunning(child::resume);
      child.onExit(tracer::requestStop);
    } else if (pid > 0) {
      Processes.onExit(pid, tracer::requestStop);
    }
  }

  /** Ends a command that still runs. */
  @Override public void close() {
    if (child != null) child.close();
  }
}
