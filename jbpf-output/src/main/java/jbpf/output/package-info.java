/**
 * What a bpftrace script prints, byte for byte as bpftrace 0.17 prints it: the {@link jbpf.output.Value} model that
 * the runtime decodes map entries and events into, {@link jbpf.output.MapDump} for whole maps, the text and
 * {@code -f json} formatters behind {@link jbpf.output.Output}, the printf engine
 * {@link jbpf.output.PrintfFormat}, glibc-compatible {@link jbpf.output.Strftime}, and
 * {@link jbpf.output.Aggregations} to combine per-CPU slots. See https://github.com/bpftrace/bpftrace/blob/v0.17.0/docs/reference_guide.md
 * and this module's README for every rule and deviation.
 */
package jbpf.output;
