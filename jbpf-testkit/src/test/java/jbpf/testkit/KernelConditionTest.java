package jbpf.testkit;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jbpf.sys.Capability;
import jbpf.sys.Feature;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import jbpf.sys.KernelVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KernelConditionTest {
  @RequiresKernel(caps = {})
  static class MissesKprobes {
    @Test void attachesAKprobe() { throw Feature.KPROBES.notSupported(KernelVersion.current(), null).withContext("attach kprobe:vfs_read"); }
  }

  @RequiresKernel(caps = {})
  static class MissesRingBuffers {
    @Test void createsARingBuffer() {
      throw Feature.RINGBUF.notSupported(KernelVersion.parse("5.4.0"), null).withContext("create map events");
    }
  }

  /** {@return how the one test of {@code testClass} ended, and its skip reason or failure} */
  private static TestExecutionResult runOne(Class<?> testClass) {
    TestExecutionResult[] out = {null};
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
        new TestExecutionListener() {
          @Override public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) out[0] = result;
          }
        });
    return out[0];
  }

  @Test void aFeatureTheKernelMayLackSkips() {
    TestExecutionResult r = runOne(MissesKprobes.class);
    assertEquals(TestExecutionResult.Status.ABORTED, r.getStatus());
    assertEquals("attach kprobe:vfs_read: this kernel cannot attach kprobes (CONFIG_KPROBES is not set)",
        r.getThrowable().orElseThrow().getMessage());
  }

  @Test void aFeatureTheKernelMustHaveFails() {
    Assumptions.assumeTrue(KernelVersion.current().atLeast(5, 8), "runs on kernels that must have ring buffers");
    TestExecutionResult r = runOne(MissesRingBuffers.class);
    assertEquals(TestExecutionResult.Status.FAILED, r.getStatus());
    assertEquals("Linux " + KernelVersion.current() + " must have ring buffer maps (since 5.8.0), but: create map events: "
        + "ring buffer maps not supported (requires Linux >= 5.8; running 5.4.0)", r.getThrowable().orElseThrow().getMessage());
  }

  static Stream<Arguments> reasons() {
    return Stream.of(
        arguments("unprivileged", List.of(CAP_BPF, CAP_PERFMON), Set.of(), "6.18.0",
            "needs CAP_BPF, CAP_PERFMON (effective: none); run as root, e.g. sudo mvn verify"),
        arguments("half", List.of(CAP_BPF, CAP_PERFMON), Set.of(CAP_BPF), "6.18.0",
            "needs CAP_BPF, CAP_PERFMON (effective: CAP_BPF); run as root, e.g. sudo mvn verify"),
        arguments("old kernel", List.of(CAP_BPF, CAP_PERFMON), Set.of(CAP_BPF), "5.4.0",
            "needs CAP_SYS_ADMIN (effective: none); run as root, e.g. sudo mvn verify"),
        arguments("sys_admin grants bpf", List.of(CAP_BPF, CAP_PERFMON), Set.of(CAP_SYS_ADMIN), "6.18.0", null),
        arguments("root", List.of(CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN), Set.of(CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN), "6.18.0", null));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("reasons")
  void skipReasons(String name, List<Capability> needed, Set<Capability> effective, String kernel, String reason) {
    assertEquals(Optional.ofNullable(reason), KernelCondition.missingCapabilities(needed, effective, KernelVersion.parse(kernel)));
  }
}
