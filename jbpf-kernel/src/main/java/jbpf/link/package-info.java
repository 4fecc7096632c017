/**
 * Attachments of programs to hooks ({@link jbpf.link.Link}): perf events (tracepoints, kprobes, uprobes,
 * counters, breakpoints), raw tracepoints, BPF trampolines (fentry/fexit) and kprobe_multi/uprobe_multi links,
 * each owned by an fd so that nothing outlives the process. See https://docs.kernel.org/bpf/libbpf/program_types.html
 * and https://docs.kernel.org/trace/tracepoints.html.
 */
package jbpf.link;
