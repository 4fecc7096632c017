/**
 * The eBPF instruction set (RFC 9669, https://www.rfc-editor.org/rfc/rfc9669): the {@link jbpf.asm.Insn} model,
 * factories that read like mnemonics ({@link jbpf.asm.Alu}, {@link jbpf.asm.Jmp}), an {@link jbpf.asm.InsnList}
 * builder with labels and source spans, encoding and decoding, and a {@link jbpf.asm.Disassembler} in the kernel
 * verifier's syntax.
 */
package jbpf.asm;
