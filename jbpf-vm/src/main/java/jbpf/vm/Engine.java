package jbpf.vm;

import java.lang.foreign.MemorySegment;

/** A way to run one verified program: {@link VmProgram#interpreter()} or {@link VmProgram#jit()}. Thread-safe. */
public interface Engine {
  /**
   * Runs the program with {@code r1} pointing at {@code ctx} and {@code r2} holding its length.
   *
   * @return the program's {@code r0} at {@code exit}
   * @throws VmFault if the run stops early
   */
  long run(MemorySegment ctx);
}
