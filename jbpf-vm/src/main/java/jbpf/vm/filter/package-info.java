/**
 * Event filters: a predicate in the bpftrace expression language over the fields of an event record (an LTTng
 * event, a Java record laid out in memory), compiled to eBPF, verified and JIT-compiled, then applied to events
 * in a {@link java.lang.foreign.MemorySegment} or {@link java.nio.ByteBuffer}. The expression is read by the tracer's
 * own parser ({@link jbpf.lang.parse.Parser#parseExpression}), so filters and bpftrace predicates share one syntax.
 */
package jbpf.vm.filter;
