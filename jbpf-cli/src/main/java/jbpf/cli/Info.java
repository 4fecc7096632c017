package jbpf.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import jbpf.asm.Helper;
import jbpf.features.Features;
import jbpf.spec.MapType;
import jbpf.spec.ProgramType;
import jbpf.sys.Feature;

/**
 * {@code --info}: what this kernel offers for tracing, in the sections and words of bpftrace 0.17's {@code --info},
 * each answer found by asking the kernel (loading a small program, creating a small map) as {@link Features} does.
 */
final class Info {
  private Info() {}

  static int run(PrintStream out) {
    out.println("System");
    out.println("  OS: Linux " + read("/proc/sys/kernel/osrelease") + " " + read("/proc/sys/kernel/version"));
    String arch = System.getProperty("os.arch");
    out.println("  Arch: " + (arch.equals("amd64") ? "x86_64" : arch.equals("aarch64") ? "aarch64" : arch));
    out.println();
    out.println("Build");
    out.println("  version: " + Main.VERSION.substring(Main.VERSION.indexOf(' ') + 1));
    out.println("  Java: " + Runtime.version());
    out.println();
    out.println("Kernel helpers");
    helper(out, "probe_read", Helper.PROBE_READ);
    helper(out, "probe_read_str", Helper.PROBE_READ_STR);
    helper(out, "probe_read_user", Helper.PROBE_READ_USER);
    helper(out, "probe_read_user_str", Helper.PROBE_READ_USER_STR);
    helper(out, "probe_read_kernel", Helper.PROBE_READ_KERNEL);
    helper(out, "probe_read_kernel_str", Helper.PROBE_READ_KERNEL_STR);
    helper(out, "get_current_cgroup_id", Helper.GET_CURRENT_CGROUP_ID);
    helper(out, "send_signal", Helper.SEND_SIGNAL);
    line(out, "override_return", () -> Features.has(Feature.OVERRIDE_RETURN));
    helper(out, "get_boot_ns", Helper.KTIME_GET_BOOT_NS);
    // path() calls d_path from kfunc programs, the only ones the kernel lets call it (for an allowlist of functions)
    line(out, "dpath", Features::fentry);
    helper(out, "skboutput", Helper.SKB_OUTPUT);
    out.println();
    out.println("Kernel features");
    out.println("  Instruction limit: " + (Features.kernel().atLeast(5, 2) ? 1_000_000 : 4096));
    line(out, "Loop support", Features::boundedLoops);
    line(out, "btf", Features::btf);
    line(out, "map batch", () -> Features.has(Feature.BATCH_OPS));
    line(out, "uprobe refcount", () -> Files.exists(Path.of("/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset")));
    out.println();
    out.println("Map types");
    map(out, "hash", MapType.HASH);
    map(out, "percpu hash", MapType.PERCPU_HASH);
    map(out, "array", MapType.ARRAY);
    map(out, "percpu array", MapType.PERCPU_ARRAY);
    map(out, "stack_trace", MapType.STACK_TRACE);
    map(out, "perf_event_array", MapType.PERF_EVENT_ARRAY);
    map(out, "ringbuf", MapType.RINGBUF);
    out.println();
    out.println("Probe types");
    line(out, "kprobe", Features::kprobes);
    line(out, "tracepoint", () -> Features.has(Feature.TRACEFS));
    line(out, "perf_event", () -> Features.helper(ProgramType.PERF_EVENT, Helper.KTIME_GET_NS));
    line(out, "kfunc", Features::fentry);
    line(out, "kprobe_multi", Features::kprobeMulti);
    line(out, "uprobe", Features::uprobes);
    line(out, "uprobe_multi", Features::uprobeMulti);
    line(out, "raw_tp_special", Features::rawTracepointTestRun);
    line(out, "hardware", Features::hardwarePmu);
    line(out, "watchpoint", () -> Features.has(Feature.BREAKPOINTS));
    return 0;
  }

  private static void helper(PrintStream out, String name, Helper h) { line(out, name, () -> Features.helper(ProgramType.KPROBE, h)); }

  private static void map(PrintStream out, String name, MapType t) { line(out, name, () -> Features.mapType(t)); }

  private static void line(PrintStream out, String name, BooleanSupplier answer) {
    boolean yes;
    try {
      yes = answer.getAsBoolean();
    } catch (RuntimeException e) {
      yes = false;   // a probe that cannot even run (e.g. no privilege) is a no
    }
    out.println("  " + name + ": " + (yes ? "yes" : "no"));
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      return "?";
    }
  }
}
