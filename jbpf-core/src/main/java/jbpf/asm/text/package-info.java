/**
 * A text assembler for the eBPF assembly syntax of the bpf_conformance test suite
 * (https://github.com/Alan-Jowett/bpf_conformance, {@code src/bpf_assembler.cc}): {@code mov %r0, 1},
 * {@code ldxw %r3, [%r1+16]}, {@code jne %r3, 42, reject}, {@code lock fetch add [%r10-8], %r1}. Instruction
 * semantics follow RFC 9669 (https://www.rfc-editor.org/rfc/rfc9669).
 */
package jbpf.asm.text;
