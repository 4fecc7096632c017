/**
 * The userspace eBPF runtime (RFC 9669, https://www.rfc-editor.org/rfc/rfc9669): a {@link jbpf.vm.Vm} holds
 * userspace maps and helper functions, {@link jbpf.vm.Vm#load} verifies a program, and the resulting
 * {@link jbpf.vm.VmProgram} runs in the interpreter or as JVM bytecode.
 */
package jbpf.vm;
