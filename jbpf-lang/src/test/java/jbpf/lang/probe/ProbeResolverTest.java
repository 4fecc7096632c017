package jbpf.lang.probe;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import jbpf.elf.UsdtArgument;
import jbpf.lang.ProbeKernel;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.parse.Parser;
import jbpf.lang.types.KernelInfo;
import jbpf.source.CompileException;
import jbpf.source.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeResolverTest {
  private static final KernelInfo.Target PID = new KernelInfo.Target(4711, false, null);
  private static final KernelInfo.Target CHILD = new KernelInfo.Target(4712, true, ProbeKernel.APP);

  static AttachPoint attachPoint(String text) throws CompileException {
    return Parser.parseOrThrow(new Source("stdin", text + " { }")).probes().getFirst().attachPoints().getFirst();
  }

  static ProbeResolver.Result resolve(String text, KernelInfo.Target target) throws CompileException {
    return new ProbeResolver(new ProbeKernel(target)).resolve(attachPoint(text));
  }

  static List<String> names(String text, KernelInfo.Target target) throws CompileException {
    ProbeResolver.Result r = resolve(text, target);
    assertNull(r.error(), () -> r.error().render());
    return r.attaches().stream().map(Attach::name).toList();
  }

  static Stream<Arguments> probes() {
    return Stream.of(
        arguments("t:syscalls:sys_enter_read", List.of("tracepoint:syscalls:sys_enter_read")),
        arguments("tracepoint:syscalls:sys_*_openat", List.of("tracepoint:syscalls:sys_enter_openat", "tracepoint:syscalls:sys_exit_openat")),
        arguments("rt:sched_switch", List.of("rawtracepoint:sched_switch")),
        arguments("rawtracepoint:vmlinux:sched_sw*", List.of("rawtracepoint:sched_switch")),
        arguments("k:vfs_read", List.of("kprobe:vfs_read")),
        arguments("kprobe:vfs_read+16", List.of("kprobe:vfs_read+16")),
        arguments("kprobe:vfs_read+0x10", List.of("kprobe:vfs_read+16")),
        arguments("kprobe:0xffffffff81234560", List.of("kprobe:0xffffffff81234560")),
        arguments("kr:vfs_read*", List.of("kretprobe:vfs_read", "kretprobe:vfs_readv")),
        arguments("kprobe:nfs:*", List.of("kprobe:nfs:nfs_open")),
        arguments("f:vfs_read", List.of("kfunc:vfs_read")),
        arguments("fentry:vfs_read", List.of("kfunc:vfs_read")),
        arguments("kretfunc:vfs_*", List.of("kretfunc:vfs_read")),
        arguments("fr:vmlinux:kfree", List.of("kretfunc:vmlinux:kfree")),
        arguments("uprobe:/opt/app:add", List.of("uprobe:/opt/app:add")),
        arguments("u:app:add", List.of("uprobe:/opt/app:add")),
        arguments("uprobe:/opt/app:add+4", List.of("uprobe:/opt/app:add+4")),
        arguments("uprobe:/opt/app:0x114d", List.of("uprobe:/opt/app:0x114d")),
        arguments("uprobe:/opt/app:add*", List.of("uprobe:/opt/app:add", "uprobe:/opt/app:add_slowly")),
        arguments("uprobe:/opt/a*:main", List.of("uprobe:/opt/app:main")),
        arguments("ur:/opt/app:add", List.of("uretprobe:/opt/app:add")),
        arguments("uprobe:libc:malloc", List.of("uprobe:/lib/x86_64-linux-gnu/libc.so.6:malloc")),
        arguments("uprobe:/opt/app:shop::Cart::add", List.of("uprobe:/opt/app:shop::Cart::add(long)", "uprobe:/opt/app:shop::Cart::add(long, int)")),
        arguments("uprobe:/opt/app:cpp:shop::Cart::add", List.of("uprobe:/opt/app:shop::Cart::add(long)", "uprobe:/opt/app:shop::Cart::add(long, int)")),
        arguments("uprobe:/opt/app:\"shop::Cart::add(long, int)\"", List.of("uprobe:/opt/app:shop::Cart::add(long, int)")),
        arguments("uprobe:/opt/app:shop::*", List.of("uprobe:/opt/app:shop::Cart::add(long)", "uprobe:/opt/app:shop::Cart::add(long, int)")),
        arguments("U:/opt/app:myprov:tick", List.of("usdt:/opt/app:myprov:tick", "usdt:/opt/app:myprov:tick")),
        arguments("usdt:/opt/app:start", List.of("usdt:/opt/app:other:start")),
        arguments("usdt:/opt/app:myprov:*", List.of("usdt:/opt/app:myprov:tick", "usdt:/opt/app:myprov:tick", "usdt:/opt/app:myprov:mem")),
        arguments("p:hz:99", List.of("profile:hz:99")),
        arguments("profile:ms:10", List.of("profile:ms:10")),
        arguments("i:s:1", List.of("interval:s:1")),
        arguments("interval:1s", List.of("interval:1s")),
        arguments("s:cs:1", List.of("software:cs:1")),
        arguments("software:page-faults", List.of("software:page-faults")),
        arguments("h:cycles:1000000", List.of("hardware:cycles:1000000")),
        arguments("hardware:L1-dcache-load-misses:10000", List.of("hardware:L1-dcache-load-misses:10000")),
        arguments("w:0x10000000:8:rw", List.of("watchpoint:0x10000000:8:rw")),
        arguments("watchpoint:0x10000000:4:wr", List.of("watchpoint:0x10000000:4:wr")));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("probes")
  void resolvesToFullNames(String text, List<String> names) throws CompileException {
    assertEquals(names, names(text, null));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("nosuch:foo", "Invalid probe type: nosuch"),
        arguments("tracepoint:syscalls:nope", "tracepoint not found: syscalls:nope"),
        arguments("tracepoint:nope:*", "No probes matched: tracepoint:nope:*"),
        arguments("rawtracepoint:nope", "rawtracepoint not found: nope"),
        arguments("kretprobe:vfs_read+16", "Offset not allowed for kretprobe probes: vfs_read+16"),
        arguments("kprobe:vfs_*+4", "Offset not allowed with wildcards: vfs_*+4"),
        arguments("kprobe:nope_*", "No probes matched: kprobe:nope_*"),
        arguments("kfunc:nope", "No BTF found for nope: it is no kernel function kfunc can attach to"),
        arguments("uprobe:/opt/nope:main", "uprobe target /opt/nope: no such file"),
        arguments("uprobe:/opt/app:nope", "Could not resolve symbol: /opt/app:nope"),
        arguments("uprobe:/opt/app:add+64", "Offset outside the function bounds: /opt/app:add+64 (add is 30 bytes)"),
        arguments("uprobe:/opt/app:add+3", "Could not add uprobe into middle of instruction: /opt/app:add+3"),
        arguments("uprobe:/opt/app:0x114a", "Could not add uprobe into middle of instruction: /opt/app:0x114a"),
        arguments("uretprobe:/opt/app:add+4", "Offset not allowed for uretprobe probes: add+4"),
        arguments("uprobe:/opt/app:10", "Could not resolve address: /opt/app:0xa"),
        arguments("uprobe:/opt/app:0x99999", "Could not resolve address: /opt/app:0x99999 (no loadable segment of the file holds it)"),
        arguments("uprobe:main", "uprobe:main names no file: give one, or -p PID or -c CMD"),
        arguments("usdt:/opt/app:myprov:nope", "usdt probe not found: myprov:nope in /opt/app"),
        arguments("usdt:myprov:tick", "usdt probe must be usdt:BINARY:PROVIDER:NAME, usdt:BINARY:NAME, or with -p or -c usdt:PROVIDER:NAME"),
        arguments("software:nope", "Invalid software event: nope (try: cpu-clock, task-clock, page-faults, context-switches, cpu-migrations, minor-faults, major-faults, alignment-faults, emulation-faults, dummy, bpf-output, cgroup-switches)"),
        arguments("software:cs:0", "count of software probe must be positive: 0"),
        arguments("hardware:cycles:x", "Invalid count of hardware probe: x"),
        arguments("watchpoint:0x1000:3:w", "watchpoint length must be 1, 2, 4 or 8 bytes, not 3"),
        arguments("watchpoint:0x1000:8:q", "Invalid watchpoint mode: q (use r, w, rw or x)"),
        arguments("watchpoint:0x1000:8:rx", "Invalid watchpoint mode: rx (hardware cannot watch execution together with reads or writes)"),
        arguments("watchpoint:0x1000:8", "watchpoint probe must be watchpoint:ADDRESS:LENGTH:MODE or watchpoint:FUNCTION+argN:LENGTH:MODE"),
        arguments("watchpoint:add+arg1:8:w", "watchpoint on a function argument needs the process: -p PID or -c CMD"),
        arguments("asyncwatchpoint:0x1000:8:w", "asyncwatchpoint probes watch a function's argument: asyncwatchpoint:FUNCTION+argN:LENGTH:MODE"),
        arguments("iter:task", "iter probes are not supported"),
        arguments("BEGIN:x", "BEGIN probes take no arguments"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("errors")
  void refusesWithAMessage(String text, String message) throws CompileException {
    ProbeResolver.Result r = resolve(text, null);
    assertNotNull(r.error(), () -> "resolved to " + r.attaches());
    assertEquals(message, r.error().message());
  }

  @Test
  void anAddressOutsideEveryFunctionIsAttachedOnlyWhenUnsafe() throws CompileException {
    var safe = resolve("uprobe:/opt/app:10", null);
    assertEquals("no function symbol holds the address, so whether an instruction starts there is unknown; --unsafe attaches there anyway",
        safe.error().hint());
    var r = new ProbeResolver(new ProbeKernel(null), true).resolve(attachPoint("uprobe:/opt/app:10"));
    assertNull(r.error());
    assertEquals(List.of("uprobe:/opt/app:10"), r.attaches().stream().map(Attach::name).toList());
    assertEquals("Could not determine instruction boundary for uprobe:/opt/app:10 (binary appears stripped). Misaligned probes can lead to tracee crashes!",
        r.warning().message());
  }

  @Test
  void resolvesUprobesToFileOffsetsAndFunctions() throws CompileException {
    var r = resolve("uprobe:/opt/app:add+4", null);
    assertEquals(new Attach.Uprobe(ProbeType.UPROBE, ProbeKernel.APP, ProbeKernel.APP, "add", "add", 4, 0x114d, 0), r.attaches().getFirst());
    var addr = resolve("uprobe:/opt/app:0x114d", null).attaches().getFirst();
    assertEquals(new Attach.Uprobe(ProbeType.UPROBE, ProbeKernel.APP, ProbeKernel.APP, "0x114d", "add", 0, 0x114d, 0), addr);
  }

  @Test
  void aTargetProcessFiltersUserProbesAndNamesTheirFiles() throws CompileException {
    var u = (Attach.Uprobe) resolve("uprobe:/opt/app:add", PID).attaches().getFirst();
    assertEquals(4711, u.pid());
    // with -p, usdt probes need no file: every file the process maps is searched
    assertEquals(List.of("usdt:/opt/app:other:start"), names("usdt:other:start", PID));
    assertEquals(List.of("usdt:/opt/app:other:start"), names("usdt:start", PID));
    // with -c, a probe without file is in the command's program
    assertEquals(List.of("uprobe:/opt/app:main"), names("uprobe:main", CHILD));
    assertEquals(4712, ((Attach.Uprobe) resolve("uprobe:main", CHILD).attaches().getFirst()).pid());
  }

  @Test
  void usdtProbesCarryTheirArgumentsAndSemaphore() throws CompileException {
    var u = (Attach.Usdt) resolve("usdt:/opt/app:myprov:mem", null).attaches().getFirst();
    assertEquals(0x11d0, u.fileOffset());
    assertEquals(0x4030, u.semaphoreOffset());
    assertEquals(new UsdtArgument(8, false, new UsdtArgument.Memory(-16, "rbp", null, 1, null)), u.arguments().getFirst());
  }

  @Test
  void perfCountersUseTheirDefaultPeriodWithoutACount() throws CompileException {
    var c = (Attach.PerfCounter) resolve("software:faults", null).attaches().getFirst();
    assertEquals("page-faults", c.counter().name());
    assertEquals(100, c.period());
    var h = (Attach.PerfCounter) resolve("hardware:L1-dcache-load-misses:5000", null).attaches().getFirst();
    assertEquals(PerfCounters.HW_CACHE, h.counter().perfType());
    assertEquals(0 | (0 << 8) | (1 << 16), h.counter().config());
    assertEquals(5000, h.period());
  }

  @Test
  void watchpointsOnAFunctionArgumentHaveASetupUprobe() throws CompileException {
    var w = (Attach.Watchpoint) resolve("watchpoint:add+arg1:4:w", CHILD).attaches().getFirst();
    assertEquals("watchpoint:add+arg1:4:w", w.name());
    assertEquals(1, w.argument());
    assertEquals("w", w.mode());
    assertEquals(new Attach.Uprobe(ProbeType.UPROBE, ProbeKernel.APP, ProbeKernel.APP, "add", "add", 0, 0x1149, 4712), w.setup());
    var a = (Attach.Watchpoint) resolve("w:0x10000000:8:wr", PID).attaches().getFirst();
    assertEquals("rw", a.mode());
    assertEquals(4711, a.pid());
    assertNull(a.setup());
  }
}
