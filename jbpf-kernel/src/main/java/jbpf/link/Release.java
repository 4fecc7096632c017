package jbpf.link;

/**
 * How {@link Link#closeAll(java.util.Collection, Release)} releases the perf events of perf-event links once their
 * programs are detached.
 */
public enum Release {
  /**
   * Release them before returning. The last perf event of each tracepoint, kprobe or uprobe waits for two RCU grace
   * periods under a global kernel lock (perf_trace_event_unreg in kernel/trace/trace_event_perf.c): about 35 ms
   * each on a typical kernel, one at a time.
   */
  WAIT,
  /**
   * Disable them and hand them to a helper process ({@code /bin/sh}) that holds them until this process exits;
   * neither {@code closeAll} nor the exit of this process waits for their release. Falls back to {@link #WAIT}
   * if the helper cannot be started.
   */
  HAND_OFF
}
