package jbpf.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import jbpf.sys.Capability;
import jbpf.sys.Feature;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) that needs the running kernel: it is skipped, with a reason that says what to
 * do, unless the process has {@link #caps()} and the kernel has every {@link #feature()}; and the class runs under
 * {@link LeakCheck}.
 * <pre>{@code
 * @RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = Feature.RINGBUF)
 * class RingBufKernelTest { ... }
 * // skipped: needs CAP_BPF, CAP_PERFMON (effective: none); run as root, e.g. sudo mvn verify
 * // skipped: ring buffer maps not supported (requires Linux >= 5.8; running 5.4.0)
 * }</pre>
 * A feature the running kernel must have by its version (see {@link Feature#expectedOn}) fails the test instead
 * of skipping it, whether the probe or the test itself finds it missing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith({KernelCondition.class, LeakCheck.class})
public @interface RequiresKernel {
  /** {@return the capabilities needed ({@code CAP_SYS_ADMIN} stands in for {@code CAP_BPF} and {@code CAP_PERFMON})} */
  Capability[] caps() default {Capability.CAP_BPF, Capability.CAP_PERFMON};

  /** {@return the kernel features needed} */
  Feature[] feature() default {};
}
