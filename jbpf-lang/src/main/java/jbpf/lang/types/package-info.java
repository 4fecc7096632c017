/**
 * The types of script values and their memory layouts ({@link jbpf.lang.types.Type}), and the kernel facts
 * they are derived from ({@link jbpf.lang.types.KernelInfo}, tracepoint {@link jbpf.lang.types.TracepointFormat}s
 * as described in https://docs.kernel.org/trace/events.html).
 */
package jbpf.lang.types;
