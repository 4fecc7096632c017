package jbpf.vm;

/**
 * The Java implementation of a helper function a program calls with {@code call N}. Pointer arguments are VM
 * addresses: {@link Machine#memory} turns them into segments, {@link Machine#map} into maps.
 */
@FunctionalInterface
public interface HelperFunction {
  /**
   * {@return the value left in {@code r0}}
   *
   * @throws VmFault to stop the program
   */
  long call(Machine m, long r1, long r2, long r3, long r4, long r5);
}
