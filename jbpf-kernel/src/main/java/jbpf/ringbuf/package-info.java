/**
 * The consumer side of BPF ring buffers ({@link jbpf.ringbuf.RingBuffer}): mapped pages read in place, waited on
 * with epoll. See https://docs.kernel.org/bpf/ringbuf.html.
 */
package jbpf.ringbuf;
