package jbpf.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jbpf.elf.UsdtArgument;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.PerfCounters;
import jbpf.lang.probe.ProbeType;
import jbpf.runtime.AttachPlan.Breakpoint;
import jbpf.runtime.AttachPlan.Counter;
import jbpf.runtime.AttachPlan.Kprobe;
import jbpf.runtime.AttachPlan.KprobeMulti;
import jbpf.runtime.AttachPlan.OnCall;
import jbpf.runtime.AttachPlan.PerfLink;
import jbpf.runtime.AttachPlan.ProgramSteps;
import jbpf.runtime.AttachPlan.RawTracepoint;
import jbpf.runtime.AttachPlan.Tracepoint;
import jbpf.runtime.AttachPlan.Tracing;
import jbpf.runtime.AttachPlan.Uprobe;
import jbpf.runtime.AttachPlan.UprobeMulti;
import jbpf.spec.AttachType;
import org.junit.jupiter.api.Test;

/** What attaching each probe type asks of the kernel, built without one: kprobes, kfuncs and hardware counters included. */
class AttachPlanTest {
  private static final AttachPlan.Host TWO_CPUS = new AttachPlan.Host(List.of(0, 1), false, false);
  private static final AttachPlan.Host MULTI = new AttachPlan.Host(List.of(0, 1), true, true);

  /** A script of one program per list of attach points, cookies numbered through. */
  private static CompiledScript script(List<List<Attach>> programs) {
    List<CompiledScript.ProbeProgram> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < programs.size(); i++) {
      List<Long> cookies = new ArrayList<>();
      for (Attach a : programs.get(i)) {
        cookies.add((long) names.size());
        names.add(a.name());
      }
      out.add(new CompiledScript.ProbeProgram("p" + i, programs.get(i).getFirst().type(), programs.get(i), cookies));
    }
    return new CompiledScript(null, null, out, names);
  }

  private static List<AttachPlan.Step> steps(AttachPlan.Host host, Attach... attaches) {
    AttachPlan plan = AttachPlan.of(script(List.of(List.of(attaches))), host);
    return plan.programs().getFirst().steps();
  }

  private static Attach.Kprobe kprobe(String function, long offset) { return new Attach.Kprobe(ProbeType.KPROBE, null, function, offset, 0); }

  private static Attach.Uprobe uprobe(String path, long offset, int pid) {
    return new Attach.Uprobe(ProbeType.UPROBE, path, path, "f" + offset, "f" + offset, 0, offset, pid);
  }

  @Test
  void kprobesAttachThroughPerfEventsWithTheirCookies() {
    assertEquals(List.of(new PerfLink(new Kprobe("vfs_read", 0, 0, false), 0), new PerfLink(new Kprobe("vfs_write", 16, 0, false), 1)),
        steps(TWO_CPUS, kprobe("vfs_read", 0), kprobe("vfs_write", 16)));
    assertEquals(List.of(new PerfLink(new Kprobe(null, 0, 0xffffffff81000000L, true), 0)),
        steps(TWO_CPUS, new Attach.Kprobe(ProbeType.KRETPROBE, null, null, 0, 0xffffffff81000000L)));
  }

  @Test
  void manyKprobesShareOneKprobeMultiLinkWhereTheKernelHasThem() {
    AttachPlan plan = AttachPlan.of(script(List.of(List.of(kprobe("vfs_read", 0), kprobe("vfs_readv", 0), kprobe("vfs_write", 0)))), MULTI);
    assertEquals(List.of(new KprobeMulti(List.of("vfs_read", "vfs_readv", "vfs_write"), List.of(0L, 1L, 2L), false)),
        plan.programs().getFirst().steps());
    assertEquals(Map.of("p0", AttachType.TRACE_KPROBE_MULTI), plan.loadAttachTypes());
    // an offset cannot be given to kprobe_multi: each gets its own perf event
    assertEquals(2, steps(MULTI, kprobe("vfs_read", 0), kprobe("vfs_write", 4)).size());
  }

  @Test
  void kfuncsLinkTheirTrampolineWithTheProgramsAttachType() {
    AttachPlan plan = AttachPlan.of(script(List.of(List.of(new Attach.Kfunc(ProbeType.KFUNC, null, "vfs_read")),
        List.of(new Attach.Kfunc(ProbeType.KRETFUNC, null, "vfs_read")))), TWO_CPUS);
    assertEquals(List.of(List.of(new Tracing(AttachType.TRACE_FENTRY, "vfs_read")), List.of(new Tracing(AttachType.TRACE_FEXIT, "vfs_read"))),
        plan.programs().stream().map(ProgramSteps::steps).toList());
    assertEquals(Map.of(), plan.loadAttachTypes());
  }

  @Test
  void countersAndProfileTimersOpenOneEventPerCpuIntervalsOne() {
    PerfCounters.Counter cycles = PerfCounters.find(true, "cycles").orElseThrow();
    assertEquals(List.of(new PerfLink(new Counter(0, 0, "cpu-cycles", 1000, false, 0), 0), new PerfLink(new Counter(0, 0, "cpu-cycles", 1000, false, 1), 0)),
        steps(TWO_CPUS, new Attach.PerfCounter(ProbeType.HARDWARE, "cycles:1000", cycles, 1000)));
    PerfCounters.Counter miss = PerfCounters.find(true, "LLC-load-misses").orElseThrow();
    assertEquals(new PerfLink(new Counter(3, 2 | (1 << 16), "LLC-load-misses", 500, false, 0), 0),
        steps(TWO_CPUS, new Attach.PerfCounter(ProbeType.HARDWARE, "LLC-load-misses:500", miss, 500)).getFirst());
    assertEquals(List.of(new PerfLink(new Counter(1, 0, "cpu-clock", 99, true, 0), 0), new PerfLink(new Counter(1, 0, "cpu-clock", 99, true, 1), 0)),
        steps(TWO_CPUS, new Attach.Timer(ProbeType.PROFILE, "hz:99", 0, 99)));
    assertEquals(List.of(new PerfLink(new Counter(1, 0, "cpu-clock", 250_000_000L, false, 0), 0)),
        steps(TWO_CPUS, new Attach.Timer(ProbeType.INTERVAL, "hz:4", 0, 4)));
  }

  @Test
  void uprobesOfOneFileShareAUprobeMultiLinkPerProcess() {
    AttachPlan plan = AttachPlan.of(script(List.of(List.of(uprobe("/a", 0x10, 7), uprobe("/b", 0x20, 7), uprobe("/a", 0x30, 7)))), MULTI);
    assertEquals(List.of(new UprobeMulti("/a", List.of(0x10L, 0x30L), List.of(0L, 0L), List.of(0L, 2L), false, 7),
        new UprobeMulti("/b", List.of(0x20L), List.of(0L), List.of(1L), false, 7)), plan.programs().getFirst().steps());
    assertEquals(Map.of("p0", AttachType.TRACE_UPROBE_MULTI), plan.loadAttachTypes());
    // without uprobe_multi, or for a single uprobe, one perf event each
    assertEquals(List.of(new PerfLink(new Uprobe("/a", 0x10, 0, false, 7), 0)), steps(MULTI, uprobe("/a", 0x10, 7)));
    assertEquals(3, steps(TWO_CPUS, uprobe("/a", 0x10, 0), uprobe("/b", 0x20, 0), uprobe("/a", 0x30, 0)).size());
  }

  @Test
  void usdtProbesCountTheirSemaphores() {
    Attach.Usdt a = new Attach.Usdt("/app", "/app", "p", "n", 0x100, 0x4030, 0x100, List.of(UsdtArgument.parse("4@%edi")), 0);
    Attach.Usdt b = new Attach.Usdt("/app", "/app", "p", "n", 0x200, 0x4030, 0x200, List.of(UsdtArgument.parse("4@%esi")), 0);
    assertEquals(List.of(new PerfLink(new Uprobe("/app", 0x100, 0x4030, false, 0), 0)), steps(MULTI, a));
    assertEquals(List.of(new UprobeMulti("/app", List.of(0x100L, 0x200L), List.of(0x4030L, 0x4030L), List.of(0L, 1L), false, 0)), steps(MULTI, a, b));
  }

  @Test
  void watchpointsWatchTheirProcessOrEveryCpuOrWaitForTheirFunction() {
    assertEquals(List.of(new PerfLink(new Breakpoint("w", 0x1000, 8, 42, -1), 0)),
        steps(TWO_CPUS, new Attach.Watchpoint(ProbeType.WATCHPOINT, "0x1000:8:w", 0x1000, 8, "w", null, 0, null, 42)));
    assertEquals(List.of(new PerfLink(new Breakpoint("rw", 0x1000, 4, 0, 0), 0), new PerfLink(new Breakpoint("rw", 0x1000, 4, 0, 1), 0)),
        steps(TWO_CPUS, new Attach.Watchpoint(ProbeType.WATCHPOINT, "0x1000:4:rw", 0x1000, 4, "rw", null, 0, null, 0)));
    Attach.Watchpoint w = new Attach.Watchpoint(ProbeType.ASYNCWATCHPOINT, "f+arg0:8:w", 0, 8, "w", "f", 0, uprobe("/app", 0x10, 42), 42);
    assertEquals(List.of(new OnCall(w, 0)), steps(TWO_CPUS, w));
  }

  @Test
  void tracepointsAndRawTracepoints() {
    assertEquals(List.of(new PerfLink(new Tracepoint("sched", "sched_switch"), 0), new PerfLink(new Tracepoint("sched", "sched_wakeup"), 1)),
        steps(TWO_CPUS, new Attach.Tracepoint("sched", "sched_switch"), new Attach.Tracepoint("sched", "sched_wakeup")));
    assertEquals(List.of(new RawTracepoint("sched_switch")), steps(TWO_CPUS, new Attach.RawTracepoint("sched_switch")));
  }

  @Test
  void eachStepNamesTheAttachPointItServes() {
    Attach.Timer profile = new Attach.Timer(ProbeType.PROFILE, "hz:99", 0, 99);
    Attach.Kprobe read = kprobe("vfs_read", 0), write = kprobe("vfs_write", 0);
    assertEquals(List.of(profile, profile), AttachPlan.of(script(List.of(List.of(profile))), TWO_CPUS).programs().getFirst().sources());
    assertEquals(List.of(read, write), AttachPlan.of(script(List.of(List.of(read, write))), TWO_CPUS).programs().getFirst().sources());
    assertEquals(List.of(read), AttachPlan.of(script(List.of(List.of(read, write))), MULTI).programs().getFirst().sources());
  }

  @Test
  void beginAndEndAreNotAttached() {
    AttachPlan plan = AttachPlan.of(script(List.of(List.of(new Attach.Special(ProbeType.BEGIN)), List.of(kprobe("vfs_read", 0)))), TWO_CPUS);
    assertEquals(List.of("p1"), plan.programs().stream().map(ProgramSteps::program).toList());
  }
}
