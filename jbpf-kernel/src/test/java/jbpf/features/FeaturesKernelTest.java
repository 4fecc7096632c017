package jbpf.features;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import jbpf.sys.Feature;
import jbpf.sys.KernelVersion;
import jbpf.sys.NotSupportedException;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN})
class FeaturesKernelTest {
  @ParameterizedTest @EnumSource(Feature.class)
  void everyProbeAnswersAndExplains(Feature f) {
    Optional<NotSupportedException> missing = Features.check(f);
    assertEquals(missing.isEmpty(), Features.has(f));
    if (missing.isPresent()) {
      NotSupportedException e = missing.get();
      assertSame(f, e.feature());
      assertTrue(!f.expectedOn(KernelVersion.current()), f + " must be there on " + KernelVersion.current() + ": " + e.getMessage());
      assertThrows(NotSupportedException.class, () -> Features.require(f));
    } else {
      Features.require(f);
    }
  }

  @Test void versionGatedFeaturesFollowTheVersion() {
    KernelVersion k = Features.kernel();
    assertEquals(k.atLeast(5, 8), Features.ringBuffers());
    assertEquals(k.atLeast(5, 15), Features.perfLinks());
    assertEquals(k.atLeast(5, 15), Features.attachCookie());
    assertEquals(k.atLeast(5, 10), Features.rawTracepointTestRun());
    assertEquals(k.atLeast(5, 3), Features.boundedLoops());
    assertEquals(k.atLeast(5, 17), Features.bpfLoop());
  }

  @Test void answersAreRemembered() {
    for (int i = 0; i < 3; i++) assertEquals(Features.check(Feature.HARDWARE_PMU).isPresent(), !Features.hardwarePmu());
    Optional<NotSupportedException> a = Features.check(Feature.KPROBES), b = Features.check(Feature.KPROBES);
    assertEquals(a.map(Throwable::getMessage), b.map(Throwable::getMessage));
  }
}
