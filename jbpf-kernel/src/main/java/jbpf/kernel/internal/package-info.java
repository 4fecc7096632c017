/**
 * What jbpf.kernel's packages share and do not export: how {@code bpf(2)} failures are worded, kernel object
 * names, and the least BTF reading and writing that probes and loaders need. See
 * https://docs.kernel.org/bpf/btf.html.
 */
package jbpf.kernel.internal;
