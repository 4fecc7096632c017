package jbpf.link;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jbpf.features.Features;
import jbpf.map.BpfMap;
import jbpf.perf.PerfEvent;
import jbpf.perf.Tracefs;
import jbpf.prog.BpfProgram;
import jbpf.spec.AttachType;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Feature;
import jbpf.sys.NotSupportedException;
import jbpf.testing.Programs;
import jbpf.testing.Workload;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN}, feature = {Feature.TRACEFS, Feature.PERF_LINK})
class LinkKernelTest {
  @ParameterizedTest @EnumSource(Release.class)
  void closeAllDetachesEveryProgram(Release release) {
    List<String> names = Tracefs.get().availableEvents().stream().filter(e -> e.startsWith("syscalls:sys_enter_"))
        .map(e -> e.substring("syscalls:".length())).sorted().limit(24).toList();
    try (BpfMap counts = BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 8, 1));
         BpfProgram p = BpfProgram.load(Programs.count("many", ProgramType.TRACEPOINT, Workload.pid()), Map.of("counts", counts))) {
      List<Link> links = new ArrayList<>();
      try {
        for (int i = 0; i < names.size(); i++) links.add(Link.perfEvent(p, PerfEvent.tracepoint("syscalls", names.get(i)), i));
        Set<Integer> ids = links.stream().map(l -> l.info().id()).collect(Collectors.toSet());
        Link.closeAll(links, release);
        for (Link l : links) {
          assertFalse(l.isOpen());
          assertFalse(l.event().isOpen());
        }
        assertTrue(Link.loaded().stream().noneMatch(i -> ids.contains(i.id())), "no link of ours is left");
        long before = ByteBuffer.wrap(counts.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Workload.getpid(10);
        assertEquals(before, ByteBuffer.wrap(counts.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong());
      } finally {
        for (Link l : links) l.close();
      }
    }
  }

  @Test void fentryWhereTheKernelAllowsIt() {
    ProgramSpec spec = new ProgramSpec("fe_read", ProgramType.TRACING, AttachType.TRACE_FENTRY, "vfs_read",
        Programs.returning(0), "GPL");
    if (Features.fentry()) {
      try (BpfProgram p = BpfProgram.load(spec); Link l = Link.tracing(p, 0)) {
        assertEquals(Link.Kind.TRACING, l.kind());
      }
    } else {
      NotSupportedException e = assertThrows(NotSupportedException.class, () -> BpfProgram.load(spec));
      assertEquals(Feature.FENTRY, e.feature());
      assertEquals(Features.check(Feature.FENTRY).orElseThrow().reason(), e.reason());
      assertTrue(e.getMessage().startsWith("load program fe_read: this kernel cannot attach fentry/fexit programs ("), e.getMessage());
    }
  }

  @Test void kprobeMultiWhereTheKernelHasIt() {
    ProgramSpec spec = new ProgramSpec("km", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, null, Programs.returning(0), "GPL");
    try (BpfProgram p = BpfProgram.load(spec)) {
      if (Features.kprobeMulti()) {
        try (Link l = Link.kprobeMulti(p, List.of("__x64_sys_getpid"), new long[] {7}, false)) {
          assertEquals(Link.Kind.KPROBE_MULTI, l.kind());
        }
      } else {
        NotSupportedException e = assertThrows(NotSupportedException.class,
            () -> Link.kprobeMulti(p, List.of("__x64_sys_getpid"), null, false));
        assertEquals("attach program km to kprobe_multi __x64_sys_getpid: " + Features.check(Feature.KPROBE_MULTI).orElseThrow().reason(),
            e.getMessage());
      }
    }
  }
}
