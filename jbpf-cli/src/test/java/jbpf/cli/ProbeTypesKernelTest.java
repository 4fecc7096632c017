package jbpf.cli;

import static jbpf.cli.TestPrograms.build;
import static jbpf.cli.TestPrograms.jbpf;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import jbpf.cli.TestPrograms.Run;
import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each probe type that works on this kernel, on a program whose behaviour the test knows. */
@RequiresKernel
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProbeTypesKernelTest {
  /** {@return the value printed for map {@code @name[key]} (key as printed, or null for none)} */
  private static long count(Run r, String line) {
    for (String l : r.out().split("\n")) if (l.startsWith(line + ": ")) return Long.parseLong(l.substring(line.length() + 2).strip());
    throw new AssertionError("no line " + line + ": in\n" + r);
  }

  @Test
  void infoSaysWhatTheKernelOffersInTheSectionsOfBpftrace() {
    Run r = jbpf("--info");
    assertEquals(0, r.code(), r::toString);
    List<String> lines = r.out().lines().toList();
    for (String line : List.of("System", "Kernel helpers", "  probe_read_kernel: yes", "Map types", "  perf_event_array: yes",
        "  ringbuf: yes", "Probe types", "  tracepoint: yes", "  kprobe: " + (jbpf.features.Features.kprobes() ? "yes" : "no"),
        "  uprobe: " + (jbpf.features.Features.uprobes() ? "yes" : "no")))
      assertTrue(lines.contains(line), () -> "no line \"" + line + "\" in\n" + r);
  }

  @Test @RequiresKernel(feature = Feature.BTF)
  void listsKernelStructsAndTheirDefinitionsFromBtf() {
    Run names = jbpf("-l", "struct list_hea*");
    assertEquals(0, names.code(), names::toString);
    assertTrue(names.out().lines().toList().contains("struct list_head"), names::toString);
    assertTrue(names.out().lines().allMatch(l -> l.startsWith("struct list_hea")), names::toString);
    // as bpftrace -lv prints it: libbpf's C layout, tab-indented, then a blank line
    Run def = jbpf("-lv", "struct list_head");
    assertEquals("struct list_head {\n\tstruct list_head *next;\n\tstruct list_head *prev;\n};\n\n", def.out(), def::toString);
    Run none = jbpf("-lv", "struct no_such_struct_here");
    assertEquals(0, none.code(), none::toString);
    assertEquals("", none.out(), none::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void uprobeAndUretprobeSeeArgumentsAndReturnValue() {
    Path calls = build("calls.c");
    Run r = jbpf("-e", "uprobe:" + calls + ":add { printf(\"add(%d, %d) in %s\\n\", arg0, (int32) arg1, func); }"
        + " uretprobe:" + calls + ":add { printf(\"= %d\\n\", retval); }", "-c", calls + " 3");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("add(1, -1) in add", "= 9", "add(2, -2) in add", "= 18", "add(3, -3) in add", "= 27"), r.lines(), r::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void uprobeArgsAreNamedAndTypedFromDwarf() {
    Path calls = build("calls.c");
    Run r = jbpf("-e", "uprobe:" + calls + ":add { printf(\"%d %d\\n\", args->a, args->b); }", "-c", calls + " 2");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("1 -1", "2 -2"), r.lines(), r::toString);
    Run list = jbpf("-lv", "uprobe:" + calls + ":add");
    assertEquals("uprobe:" + calls + ":add\n    long int a\n    int b\n", list.out(), list::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void uprobesAtAnOffsetGoOnlyWhereAnInstructionStarts() {
    Path calls = build("calls.c");
    int accepted = -1, refused = 0;
    for (int off = 1; off <= 12; off++) {
      Run r = jbpf("--dry-run", "-e", "uprobe:" + calls + ":add+" + off + " { @ = count(); }");
      if (r.code() == 0) {
        if (accepted < 0) accepted = off;
      } else {
        assertTrue(r.err().contains("Could not add uprobe into middle of instruction: " + calls + ":add+" + off), r::toString);
        refused++;
      }
    }
    assertTrue(accepted > 0 && refused > 0, "accepted from +" + accepted + ", refused " + refused);
    Run r = jbpf("-e", "uprobe:" + calls + ":add+" + accepted + " { @calls = count(); }", "-c", calls + " 3");
    assertEquals(0, r.code(), r::toString);
    assertEquals(3, count(r, "@calls"), r::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void uprobesNameCxxMethodsDemangled() {
    Path cart = build("cart.cpp");
    Run r = jbpf("-e", "uprobe:" + cart + ":shop::Cart::add { @[func] = count(); }", "-c", cart + " 2");
    assertEquals(0, r.code(), r::toString);
    assertEquals(2, count(r, "@[shop::Cart::add(long)]"), r::toString);
    assertEquals(4, count(r, "@[shop::Cart::add(long, int)]"), r::toString);
    Run sig = jbpf("-e", "uprobe:" + cart + ":\"shop::Cart::add(long, int)\" { printf(\"%d x %d\\n\", arg1, arg2); }", "-c", cart + " 2");
    assertEquals(List.of("10 x 2", "5 x 1", "11 x 2", "5 x 1"), sig.lines(), sig::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void usdtProbesIncrementTheirSemaphoreAndTypeTheirArguments() {
    Path calls = build("calls.c");
    // the program fires the probe only while its semaphore is non-zero, as tracers set it
    Run r = jbpf("-e", "usdt:" + calls + ":jbpftest:tick { printf(\"%d %d %d\\n\", arg0, arg1, arg2); }", "-c", calls + " 3");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("-1 9 201", "-2 18 202", "-3 27 203"), r.lines(), r::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void theCommandsPidIsCpidAndTracingEndsWithIt() {
    Path calls = build("calls.c");
    Run r = jbpf("-e", "uprobe:" + calls + ":add { printf(\"%d\\n\", pid == cpid); }", "-c", calls + " 2");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("1", "1"), r.lines(), r::toString);
  }

  @Test @RequiresKernel(feature = Feature.UPROBES)
  void pidLimitsUserProbesToTheProcessAndTracingEndsWithIt() throws Exception {
    Path calls = build("calls.c");
    Process p = new ProcessBuilder(calls.toString(), "40", "25").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertTrue(in.readLine().startsWith("pid "));
      // a file-less usdt probe is searched for in the files the process maps
      Run r = jbpf("-p", Long.toString(p.pid()), "-e", "uprobe:" + calls + ":add { @calls = count(); } usdt:jbpftest:tick { @ticks = count(); }");
      assertEquals(0, r.code(), r::toString);
      assertTrue(p.waitFor(5, TimeUnit.SECONDS));
      long n = count(r, "@calls");
      assertTrue(n > 0 && n <= 40, r::toString);
      // the process runs while the probes are attached one after the other: a call may fall between the two
      assertTrue(Math.abs(n - count(r, "@ticks")) <= 1, r::toString);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void profileSamplesAreAttributedToTheBusyProcess() {
    Path busy = build("busy.c");
    Run r = jbpf("-e", "profile:hz:199 /pid == cpid/ { @[comm] = count(); }", "-c", busy + " 800 0");
    assertEquals(0, r.code(), r::toString);
    assertTrue(count(r, "@[busy]") >= 20, r::toString);
  }

  @Test
  void softwareEventsCountPageFaults() {
    Path busy = build("busy.c");
    Run r = jbpf("-e", "software:page-faults:1 /pid == cpid/ { @faults = count(); }", "-c", busy + " 0 300");
    assertEquals(0, r.code(), r::toString);
    assertTrue(count(r, "@faults") >= 300, r::toString);
  }

  @Test @RequiresKernel(feature = Feature.BREAKPOINTS)
  void watchpointSeesEveryWriteOfTheProcess() throws Exception {
    Run r = watchWrites("5", address -> "watchpoint:" + address + ":8:w { @writes = count(); }");
    assertEquals(0, r.code(), r::toString);
    assertEquals(5, count(r, "@writes"), r::toString);
  }

  @Test @RequiresKernel(feature = Feature.BREAKPOINTS)
  void unwatchDetachesTheWatchpointOnItsAddress() throws Exception {
    // writes 50 ms apart: the watchpoint is gone long before the second
    Run r = watchWrites("5 wait 50", address -> "watchpoint:" + address + ":8:w { @writes = count(); unwatch(" + address + "); }");
    assertEquals(0, r.code(), r::toString);
    assertEquals(1, count(r, "@writes"), r::toString);
  }

  /**
   * {@return the run of {@code probe}, made for the address {@code watch.c} prints, on that program traced with -p}:
   * the program writes its variable once BEGIN has run, when every probe is attached
   */
  private static Run watchWrites(String args, UnaryOperator<String> probe) throws Exception {
    Path watch = build("watch.c");
    List<String> command = new ArrayList<>(List.of(watch.toString()));
    command.addAll(List.of(args.split(" ")));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
         OutputStream go = p.getOutputStream()) {
      String address = in.readLine().strip();
      return jbpf(line -> {
        if (!line.equals("attached")) return;
        try {
          go.write("go\n".getBytes(StandardCharsets.US_ASCII));
          go.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "-p", Long.toString(p.pid()), "-e", "BEGIN { printf(\"attached\\n\"); } " + probe.apply(address));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test @RequiresKernel(feature = {Feature.BREAKPOINTS, Feature.UPROBES})
  void watchpointOnAFunctionArgumentIsSetWhenTheFunctionIsCalled() {
    Path watch = build("watch.c");
    Run r = jbpf("-e", "watchpoint:poke+arg0:8:w { @writes = count(); }", "-c", watch + " 5 nowait");
    assertEquals(0, r.code(), r::toString);
    assertEquals(5, count(r, "@writes"), r::toString);
    // without stopping the process, the first write may happen before the watchpoint is set
    Run async = jbpf("-e", "asyncwatchpoint:poke+arg0:8:w { @writes = count(); }", "-c", watch + " 5 nowait 50");
    assertEquals(0, async.code(), async::toString);
    assertTrue(count(async, "@writes") >= 4, async::toString);
  }

  @Test
  void rawTracepointArgumentsAreTypedFromBtf() {
    Path busy = build("busy.c");
    // sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm): p->pid reads the kernel's struct
    Run r = jbpf("-e", "rawtracepoint:sched_process_exec /pid == cpid/ { printf(\"%d %d\\n\", args->old_pid == cpid, args->p->pid == cpid); }",
        "-c", busy + " 0 0");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("1 1"), r.lines(), r::toString);
  }
}
