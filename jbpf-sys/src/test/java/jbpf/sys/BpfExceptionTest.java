package jbpf.sys;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BpfExceptionTest {
  @Test void layersAddTheirVerbs() {
    SyscallException e = new SyscallException("open perf event", Errno.ENOENT).withContext("attach kprobe vfs_read");
    assertEquals("attach kprobe vfs_read: open perf event: no such file or directory (ENOENT)", e.getMessage());
    assertEquals("attach kprobe vfs_read: open perf event", e.operation());
    assertEquals(Errno.ENOENT, e.errno());
  }

  static Stream<Arguments> permissions() {
    return Stream.of(
        arguments("none", EnumSet.of(CAP_BPF, CAP_PERFMON), Set.of(),
            "loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has none of them."),
        arguments("half", EnumSet.of(CAP_BPF, CAP_PERFMON), Set.of(CAP_BPF),
            "loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has only CAP_BPF."),
        arguments("old kernel", EnumSet.of(CAP_SYS_ADMIN), Set.of(),
            "loading BPF programs needs CAP_SYS_ADMIN; this process lacks it."));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("permissions")
  void permissionSentences(String name, Set<Capability> needed, Set<Capability> effective, String text) {
    PermissionException e = new PermissionException("loading BPF programs", needed, effective);
    assertEquals(text, e.getMessage());
    assertEquals(text, e.reason());
  }

  @Test void permissionContextKeepsTheSentence() {
    PermissionException e = new PermissionException("loading BPF programs", EnumSet.of(CAP_BPF, CAP_PERFMON), Set.of())
        .withContext("load program x").withContext("attach kprobe:vfs_read");
    assertEquals("attach kprobe:vfs_read: load program x: loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); "
        + "this process has none of them.", e.getMessage());
    assertEquals("loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has none of them.", e.reason());
  }

  static Stream<Arguments> missingFeatures() {
    return Stream.of(
        arguments(Feature.RINGBUF, "5.4.0", null, "ring buffer maps not supported (requires Linux >= 5.8; running 5.4.0)"),
        arguments(Feature.KPROBES, "6.18.44", null, "this kernel cannot attach kprobes (CONFIG_KPROBES is not set)"),
        arguments(Feature.HARDWARE_PMU, "6.18.44", "perf_event_open: ENOENT",
            "this machine has no hardware performance counters (perf_event_open: ENOENT)"),
        arguments(Feature.KPROBE_MULTI, "5.15.0", null, "kprobe_multi links not supported (requires Linux >= 5.18; running 5.15.0)"),
        arguments(Feature.RAW_TP_TEST_RUN, "6.1.0", "test run: EINVAL", "test runs of raw tracepoint programs not supported (test run: EINVAL)"));
  }

  @ParameterizedTest(name = "{0} on {1}") @MethodSource("missingFeatures")
  void notSupportedSentences(Feature f, String kernel, String detail, String text) {
    NotSupportedException e = f.notSupported(KernelVersion.parse(kernel), detail);
    assertEquals(text, e.getMessage());
    assertSame(f, e.feature());
    NotSupportedException wrapped = e.withContext("kprobe:vfs_read");
    assertEquals("kprobe:vfs_read: " + text, wrapped.getMessage());
    assertEquals(text, wrapped.reason());
  }

  @Test void whichFeaturesAKernelMustHave() {
    KernelVersion k = KernelVersion.parse("6.18.0");
    assertEquals(true, Feature.RINGBUF.expectedOn(k));
    assertEquals(false, Feature.RINGBUF.expectedOn(KernelVersion.parse("5.4.0")));
    assertEquals(false, Feature.KPROBES.expectedOn(k), "a configuration option may be off");
    assertEquals(false, Feature.HARDWARE_PMU.expectedOn(k), "hardware may be missing");
  }
}
