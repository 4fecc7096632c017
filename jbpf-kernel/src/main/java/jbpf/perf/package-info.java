/**
 * Perf events ({@link jbpf.perf.PerfEvent}) for tracepoints, kprobes and uprobes (through their PMUs), software
 * and hardware counters and hardware breakpoints, and the tracing file system they are described in
 * ({@link jbpf.perf.Tracefs}). See https://man7.org/linux/man-pages/man2/perf_event_open.2.html and
 * https://docs.kernel.org/trace/events.html.
 */
package jbpf.perf;
