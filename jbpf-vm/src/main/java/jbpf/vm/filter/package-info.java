/**
 * Event filters: a predicate in the bpftrace expression language over the fields of an event record (an LTTng
 * event, a Java record laid out in memory), compiled to eBPF, verified and JIT-compiled, then applied to events
 * in a {@link java.lang.foreign.MemorySegment} or {@link java.nio.ByteBuffer}. The expression front end produces
 * the {@link jbpf.lang.ast.Expr} tree of the bpftrace language.
 */
package jbpf.vm.filter;
