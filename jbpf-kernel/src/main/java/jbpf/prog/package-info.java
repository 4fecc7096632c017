/**
 * Programs loaded into the kernel ({@link jbpf.prog.BpfProgram}) from {@code ProgramSpec}s, with the verifier
 * log when the verifier refuses one, test runs ({@code BPF_PROG_TEST_RUN}) and run-time statistics. See
 * https://docs.kernel.org/bpf/verifier.html and https://docs.kernel.org/bpf/bpf_prog_run.html.
 */
package jbpf.prog;
