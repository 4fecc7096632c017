/**
 * The tracer runtime: compiled scripts made live ({@link jbpf.runtime.Tracer}), the kernel as the compiler sees
 * it ({@link jbpf.runtime.TracefsKernelInfo}), attaching and detaching every probe type (an attach plan carried out
 * with perf events, BPF links and multi links, https://docs.kernel.org/bpf/bpf_design_QA.html), the {@code -c}
 * command ({@link jbpf.runtime.ChildCommand}), and the decoding of what programs write back into values to print.
 */
package jbpf.runtime;
