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
import java.util.Map;
import jbpf.map.BpfMap;
import jbpf.perf.PerfEvent;
import jbpf.prog.BpfProgram;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramType;
import jbpf.sys.Errno;
import jbpf.sys.Feature;
import jbpf.sys.SyscallException;
import jbpf.testing.Programs;
import jbpf.testing.Workload;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN}, feature = {Feature.TRACEFS, Feature.PERF_LINK, Feature.ATTACH_COOKIE})
class TracepointKernelTest {
  private static long slot(BpfMap counts, int index) {
    return ByteBuffer.wrap(counts.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong(index * 8);
  }

  private static BpfMap counts() { return BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 16, 1)); }

  @Test void countsTheCallsItWasAttachedToWithItsCookie() {
    try (BpfMap counts = counts();
         BpfProgram p = BpfProgram.load(Programs.countAndCookie("count_getpid", ProgramType.TRACEPOINT, Workload.pid()),
             Map.of("counts", counts))) {
      try (Link link = Link.perfEvent(p, PerfEvent.tracepoint("syscalls", "sys_enter_getpid"), 0xC0FFEE)) {
        assertEquals(Link.Kind.PERF_EVENT, link.kind());
        assertEquals("tracepoint syscalls:sys_enter_getpid", link.description());
        Workload.getpid(1000);
        assertEquals(1000, slot(counts, 0));
        assertEquals(0xC0FFEE, slot(counts, 1));
        LinkInfo info = link.info();
        assertEquals("perf_event", info.type());
        assertEquals(p.info().id(), info.progId());
        assertTrue(Link.loaded().stream().anyMatch(i -> i.id() == info.id()));
      }
      Workload.getpid(100);
      assertEquals(1000, slot(counts, 0), "closing the link detached the program");
    }
  }

  @Test void attachesByIoctlAsOlderKernelsNeed() {
    try (BpfMap counts = counts();
         BpfProgram p = BpfProgram.load(Programs.count("count_ioctl", ProgramType.TRACEPOINT, Workload.pid()), Map.of("counts", counts));
         Link link = Link.perfEventByIoctl(p, PerfEvent.tracepoint("syscalls", "sys_enter_getpid"), "attach")) {
      link.event().enable();
      assertEquals(Link.Kind.PERF_EVENT_IOCTL, link.kind());
      Workload.getpid(50);
      assertEquals(50, slot(counts, 0));
      assertThrows(IllegalStateException.class, link::info);
    }
  }

  @Test void aMissingTracepointSaysWhatWasLookedFor() {
    SyscallException e = assertThrows(SyscallException.class, () -> PerfEvent.tracepoint("syscalls", "sys_enter_nope"));
    assertEquals(Errno.ENOENT, e.errno());
    assertTrue(e.getMessage().matches("open tracepoint syscalls:sys_enter_nope: read /sys/kernel(/debug)?/tracing/events/syscalls/"
        + "sys_enter_nope/id: no such file or directory \\(ENOENT\\)"), e.getMessage());
  }

  @Test void aProgramOfTheWrongTypeIsRefusedAndTheEventClosed() {
    try (BpfProgram p = BpfProgram.load(new jbpf.spec.ProgramSpec("raw", ProgramType.RAW_TRACEPOINT, Programs.returning(0)))) {
      PerfEvent event = PerfEvent.tracepoint("syscalls", "sys_enter_getpid");
      SyscallException e = assertThrows(SyscallException.class, () -> Link.perfEvent(p, event, 0));
      assertEquals("attach program raw to tracepoint syscalls:sys_enter_getpid: a raw_tracepoint program cannot attach there: "
          + "invalid argument (EINVAL)", e.getMessage());
      assertFalse(event.isOpen(), "the link owned the event and closed it");
    }
  }
}
