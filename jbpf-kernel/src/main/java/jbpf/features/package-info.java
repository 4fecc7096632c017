/**
 * What the running kernel and machine support ({@link jbpf.features.Features}), probed lazily with tiny maps and
 * programs the way libbpf and bpftool do, and remembered. See https://docs.kernel.org/bpf/ (the BPF documentation
 * index) and the feature table of https://github.com/iovisor/bcc/blob/master/docs/kernel-versions.md.
 */
package jbpf.features;
