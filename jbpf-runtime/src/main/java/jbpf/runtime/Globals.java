package jbpf.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import jbpf.lang.codegen.CompiledScript;
import jbpf.map.BpfMap;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.sys.BpfException;
import jbpf.sys.Sys;

/** The maps that serve the language's functions rather than the script's own maps: stack maps and the globals. */
final class Globals {
  private Globals() {}

  /**
   * {@return the map {@code spec} describes}; a stack map deeper than the kernel allows fails with the limit named
   * @throws BpfException if the kernel refuses the map
   */
  static BpfMap create(MapSpec spec) {
    try {
      return BpfMap.create(spec);
    } catch (BpfException e) {
      if (spec.type() != MapType.STACK_TRACE) throw e;
      int depth = spec.valueSize() / 8, max = maxStackDepth();
      if (max <= 0 || depth <= max) throw e;
      throw e.withContext("record stacks of " + depth + " frames (the kernel keeps at most " + max
          + ": sysctl kernel.perf_event_max_stack=" + depth + " raises the limit)");
    }
  }

  /**
   * Checks that the kernel offers the helpers the script's functions need beyond every program's: today
   * {@code bpf_override_return} for {@code override()}.
   * @throws jbpf.sys.NotSupportedException naming the missing kernel option
   */
  static void requireHelpers(CompiledScript script) {
    for (jbpf.spec.ProgramSpec p : script.collection().programs())
      for (jbpf.asm.Insn i : p.code().insns())
        if (i.opcode() == (jbpf.asm.Opcode.JMP | jbpf.asm.Opcode.CALL) && i.src() == 0 && i.imm() == jbpf.asm.Helper.OVERRIDE_RETURN.id()) {
          jbpf.features.Features.require(jbpf.sys.Feature.OVERRIDE_RETURN);
          return;
        }
  }

  /** {@return {@code kernel.perf_event_max_stack}, or -1 if unknown} */
  static int maxStackDepth() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_max_stack")).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Sets the values programs read from {@link CompiledScript#GLOBALS_MAP}, if the script has it: the start time on
   * {@code CLOCK_MONOTONIC} (the clock of {@code bpf_ktime_get_ns}), and {@code CLOCK_TAI - CLOCK_BOOTTIME}.
   */
  static void write(BpfMap globals) {
    if (globals == null) return;
    long boot = Sys.clockGettime(Sys.CLOCK_BOOTTIME), tai = Sys.clockGettime(Sys.CLOCK_TAI);
    long taiOffset = tai - boot;
    long start = Sys.clockGettime(Sys.CLOCK_MONOTONIC);
    ByteBuffer v = ByteBuffer.allocate(CompiledScript.GLOBALS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    v.putLong(0, start).putLong(8, taiOffset);
    globals.update(new byte[4], v.array());
  }
}
