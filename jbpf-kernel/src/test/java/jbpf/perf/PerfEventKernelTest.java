package jbpf.perf;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jbpf.features.Features;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.prog.BpfProgram;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramType;
import jbpf.sys.Cpus;
import jbpf.sys.Feature;
import jbpf.sys.NotSupportedException;
import jbpf.testing.CProgram;
import jbpf.testing.Programs;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON})
class PerfEventKernelTest {
  private static long count(BpfMap counts) {
    return ByteBuffer.wrap(counts.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static BpfMap counts() { return BpfMap.create(new MapSpec("counts", MapType.ARRAY, 4, 8, 1)); }

  @Test void cpuClockSamplesEveryCpu() throws Exception {
    try (BpfMap counts = counts(); BpfProgram p = BpfProgram.load(Programs.countAll("on_tick", ProgramType.PERF_EVENT), Map.of("counts", counts))) {
      List<Link> links = new ArrayList<>();
      try {
        for (int cpu : Cpus.online())
          links.add(Link.perfEvent(p, PerfEvent.software(SoftwareEvent.CPU_CLOCK, Sampling.frequency(1000), Target.cpu(cpu)), cpu));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count(counts) < 10L * links.size() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(count(counts) >= 10L * links.size(), "ticks: " + count(counts));
        assertTrue(links.getFirst().event().count() > 0, "cpu-clock counts nanoseconds");
      } finally {
        Link.closeAll(links);
      }
    }
  }

  @Test void watchpointCountsEveryWriteOfAVariable() throws Exception {
    try (CProgram c = CProgram.compile("watch_target.c").start(); BpfMap counts = counts();
         BpfProgram p = BpfProgram.load(Programs.countAll("on_write", ProgramType.PERF_EVENT), Map.of("counts", counts))) {
      String[] hello = c.readLine().split(" ");
      long address = Long.parseUnsignedLong(hello[1]);
      try (Link l = Link.perfEvent(p, PerfEvent.breakpoint(BreakpointType.W, address, 8, Target.process(c.pid())), 0)) {
        assertTrue(l.description().startsWith("breakpoint w 0x" + Long.toHexString(address) + "/8 for pid "), l.description());
        c.send("1000");
        assertEquals("done", c.readLine());
        assertEquals(1000, count(counts));
      }
    }
  }

  @Test void kprobesWhereTheKernelHasThem() {
    if (Features.kprobes()) {
      try (PerfEvent e = PerfEvent.kprobe("vfs_read", 0, false)) {
        assertEquals(PerfEvent.Kind.KPROBE, e.kind());
      }
      return;
    }
    NotSupportedException e = assertThrows(NotSupportedException.class, () -> PerfEvent.kprobe("vfs_read", 0, false));
    assertEquals(Feature.KPROBES, e.feature());
    assertEquals(Features.check(Feature.KPROBES).orElseThrow().getMessage(), e.getMessage());
    if (!java.nio.file.Files.exists(Tracefs.get().root().resolve("kprobe_events")))
      assertEquals("this kernel cannot attach kprobes (CONFIG_KPROBES is not set)", e.getMessage());
  }

  @Test void hardwareCountersWhereTheMachineHasThem() {
    if (Features.hardwarePmu()) {
      try (PerfEvent e = PerfEvent.hardware(HardwareEvent.INSTRUCTIONS, Sampling.period(1_000_000), Target.process(0))) {
        e.enable();
        assertTrue(e.count() >= 0);
      }
      return;
    }
    NotSupportedException e = assertThrows(NotSupportedException.class,
        () -> PerfEvent.hardware(HardwareEvent.CPU_CYCLES, Sampling.frequency(99), Target.cpu(0)));
    assertEquals(Feature.HARDWARE_PMU, e.feature());
    assertTrue(e.getMessage().matches("this machine has no hardware performance counters \\(perf_event_open: E[A-Z]+\\)"), e.getMessage());
  }

  @Test void taskClockOfThisThreadCountsWhileEnabled() {
    try (PerfEvent e = PerfEvent.software(SoftwareEvent.TASK_CLOCK, Sampling.period(1_000_000_000L), Target.process(0))) {
      e.enable();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (e.count() < 1_000_000 && System.nanoTime() < deadline) Thread.onSpinWait();
      assertTrue(e.count() >= 1_000_000, "this thread ran 1 ms while counted: " + e.count());
      e.disable();
      long stopped = e.count();
      for (int i = 0; i < 1_000_000; i++) Thread.onSpinWait();
      assertEquals(stopped, e.count(), "a disabled counter stands still");
    }
  }
}
