package jbpf.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.probe.Attach;
import jbpf.lang.probe.ProbeType;
import jbpf.link.Link;
import jbpf.perf.PerfEvent;
import jbpf.perf.Sampling;
import jbpf.perf.SoftwareEvent;
import jbpf.perf.Target;
import jbpf.prog.BpfProgram;
import jbpf.sys.Cpus;

/** Attaches loaded programs where their probes say: perf events and links, owned by file descriptors. */
final class Attacher {
  private Attacher() {}

  /** {@return the links of every program of {@code script} except BEGIN and END; on failure, none stays attached} */
  static List<Link> attachAll(CompiledScript script, Map<String, BpfProgram> programs) {
    return attachAll(script, programs, (a, l) -> {});
  }

  /** As {@link #attachAll(CompiledScript, Map)}, telling {@code onLink} which attach point each link serves. */
  static List<Link> attachAll(CompiledScript script, Map<String, BpfProgram> programs, java.util.function.BiConsumer<Attach, Link> onLink) {
    List<Link> links = new ArrayList<>();
    try {
      for (CompiledScript.ProbeProgram p : script.programs()) {
        if (p.type() == ProbeType.BEGIN || p.type() == ProbeType.END) continue;
        BpfProgram prog = programs.get(p.program());
        for (int i = 0; i < p.attaches().size(); i++) {
          int before = links.size();
          attach(links, prog, p.attaches().get(i), p.cookies().get(i));
          for (Link l : links.subList(before, links.size())) onLink.accept(p.attaches().get(i), l);
        }
      }
      return links;
    } catch (RuntimeException e) {
      Link.closeAll(links);
      throw e;
    }
  }

  private static void attach(List<Link> links, BpfProgram prog, Attach a, long cookie) {
    switch (a) {
      case Attach.Tracepoint(String cat, String ev) -> links.add(Link.perfEvent(prog, PerfEvent.tracepoint(cat, ev), cookie));
      case Attach.Timer(ProbeType type, String spec, long nanos, long hz) -> {
        Sampling sampling = hz > 0 ? (type == ProbeType.INTERVAL ? Sampling.period(1_000_000_000L / hz) : Sampling.frequency(hz))
            : Sampling.period(nanos);
        int[] cpus = type == ProbeType.INTERVAL ? new int[] {0} : Cpus.online();
        for (int cpu : cpus) links.add(Link.perfEvent(prog, PerfEvent.software(SoftwareEvent.CPU_CLOCK, sampling, Target.cpu(cpu)), cookie));
      }
      case Attach.Special s -> throw new IllegalStateException("BEGIN/END are run, not attached");
    }
  }
}
