package jbpf.bench;

import java.util.ArrayList;
import java.util.List;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Insn;
import jbpf.asm.Reg;
import jbpf.link.Link;
import jbpf.link.Release;
import jbpf.perf.PerfEvent;
import jbpf.perf.Tracefs;
import jbpf.prog.BpfProgram;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;

/**
 * Attaches one program to every syscalls:sys_enter_* tracepoint (cookie = index) and detaches them again, one way
 * or another; prints the times. Run with {@code jbpf-kernel/bench/run detach [one-by-one|wait|hand-off]} as root.
 */
public final class DetachBench {
  private DetachBench() {}

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "wait";
    List<String> names = Tracefs.get().availableEvents().stream().filter(e -> e.startsWith("syscalls:sys_enter_"))
        .map(e -> e.substring("syscalls:".length())).sorted().toList();
    ProgramSpec spec = new ProgramSpec("detach_bench", ProgramType.TRACEPOINT, Bytecode.of(List.of(Alu.MOV.imm(Reg.R0, 0), Insn.exit())));
    try (BpfProgram p = BpfProgram.load(spec)) {
      long t0 = System.nanoTime();
      List<Link> links = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) links.add(Link.perfEvent(p, PerfEvent.tracepoint("syscalls", names.get(i)), i));
      long t1 = System.nanoTime();
      switch (mode) {
        case "one-by-one" -> links.forEach(Link::close);
        case "wait" -> Link.closeAll(links, Release.WAIT);
        case "hand-off" -> Link.closeAll(links, Release.HAND_OFF);
        default -> throw new IllegalArgumentException("mode is one-by-one, wait or hand-off, not " + mode);
      }
      long t2 = System.nanoTime();
      System.out.printf("%d tracepoints: attach %.0f ms, detach (%s) %.0f ms%n", links.size(), (t1 - t0) / 1e6, mode, (t2 - t1) / 1e6);
    }
  }
}
