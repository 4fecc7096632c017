package jbpf.prog;

/**
 * The outcome of a {@code BPF_PROG_TEST_RUN}.
 *
 * @param retval the program's return value ({@code r0})
 * @param durationNanos the average run time the kernel measured, 0 for programs it does not time
 * @param dataOut the data the program left, empty unless asked for
 * @param contextOut the context the program left, empty unless asked for
 */
public record TestRunResult(int retval, long durationNanos, byte[] dataOut, byte[] contextOut) {}
