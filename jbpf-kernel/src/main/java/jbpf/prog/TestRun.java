package jbpf.prog;

/**
 * The input of a {@code BPF_PROG_TEST_RUN}: the program runs once (or {@code repeat} times) in the kernel on this
 * context and data, without being attached anywhere.
 *
 * @param context the context ({@code ctx_in}); for a raw tracepoint program, its u64 arguments, at most 12
 * @param data packet data ({@code data_in}) for networking programs, or an empty array
 * @param dataOutSize room for the data the program leaves ({@code data_out}), 0 for none
 * @param contextOutSize room for the context the program leaves ({@code ctx_out}), 0 for none
 * @param repeat how many times to run, 0 or 1 for once (raw tracepoint programs allow only 0)
 * @param cpu the CPU to run on ({@code BPF_F_TEST_RUN_ON_CPU}), or -1 for the calling thread's
 */
public record TestRun(byte[] context, byte[] data, int dataOutSize, int contextOutSize, int repeat, int cpu) {
  public TestRun {
    if (context == null) context = new byte[0];
    if (data == null) data = new byte[0];
    if (dataOutSize < 0 || contextOutSize < 0 || repeat < 0) throw new IllegalArgumentException("negative test run size");
  }

  /** {@return a run on {@code context} alone} */
  public static TestRun withContext(byte[] context) { return new TestRun(context, null, 0, 0, 0, -1); }

  /** {@return a run of a raw tracepoint or tracing program with these u64 arguments} */
  public static TestRun withArgs(long... args) {
    byte[] ctx = new byte[args.length * 8];
    java.nio.ByteBuffer.wrap(ctx).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(args);
    return withContext(ctx);
  }

  /** {@return this run on CPU {@code cpu}} */
  public TestRun onCpu(int cpu) { return new TestRun(context, data, dataOutSize, contextOutSize, repeat, cpu); }

  /** {@return this run repeated {@code times} times} */
  public TestRun repeated(int times) { return new TestRun(context, data, dataOutSize, contextOutSize, times, cpu); }

  /** {@return this run with packet {@code data} and room for {@code outSize} bytes of output data} */
  public TestRun withData(byte[] data, int outSize) { return new TestRun(context, data, outSize, contextOutSize, repeat, cpu); }
}
