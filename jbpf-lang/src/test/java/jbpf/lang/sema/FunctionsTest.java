package jbpf.lang.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import jbpf.lang.Compiler;
import jbpf.lang.FakeKernel;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Type checking and code generation of the builtin functions, without a kernel. */
class FunctionsTest {
  /** A kernel that also knows a few symbols and a cgroup. */
  static final class Kernel implements KernelInfo {
    private final FakeKernel base = new FakeKernel();

    @Override public List<String> tracepoints() { return base.tracepoints(); }

    @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) { return base.tracepointFormat(category, name); }

    @Override public int possibleCpus() { return base.possibleCpus(); }

    @Override public Optional<BtfTypes> btf() { return base.btf(); }

    @Override public OptionalLong kernelSymbol(String name) {
      return name.equals("avenrun") ? OptionalLong.of(0xffffffff82a4e640L) : OptionalLong.empty();
    }

    @Override public OptionalLong cgroupId(String path) {
      return path.equals("/sys/fs/cgroup/system.slice") ? OptionalLong.of(42) : OptionalLong.empty();
    }

    @Override public Optional<ElfSymbol> userSymbol(String binary, String name) { return Optional.empty(); }
  }

  static CompiledScript compile(String text, boolean unsafe) throws CompileException {
    return Compiler.compile(new Source("stdin", text), List.of("/etc/hosts"), new Kernel(),
        TypedProgram.Settings.DEFAULT.withUnsafe(unsafe), CodeGen.Options.DEFAULT);
  }

  static String error(String text) {
    return assertThrows(CompileException.class, () -> compile(text, false)).render();
  }

  static String code(CompiledScript s) {
    StringBuilder b = new StringBuilder();
    for (ProgramSpec p : s.collection().programs()) b.append(p.code().disassemble());
    return b.toString();
  }

  @Test
  void catNeedsNoUnsafe() throws CompileException {
    // bpftrace 0.17 guards system(), not cat(): tools cat() /proc files without --unsafe.
    compile("BEGIN { cat(\"/proc/loadavg\"); cat(\"/proc/%s\", \"uptime\"); }", false);
  }

  @Test
  void strncmpTakesItsLengthFromAPositionalParameter() throws CompileException {
    CompiledScript s = Compiler.compile(new Source("stdin", "BEGIN { @ = strncmp(\"hello\", \"hell\", $1); }"), List.of("3"),
        new Kernel(), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
    assertEquals(1, s.collection().programs().size());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("BEGIN { printf(\"%d\\n\", \"a\"); }", "printf: %d specifier expects a value of type integer (string supplied)"),
        arguments("BEGIN { printf(\"%s\\n\", 1); }", "printf: %s specifier expects a value of type string (integer supplied)"),
        arguments("BEGIN { printf(\"%d %d\\n\", 1); }", "printf: Not enough arguments for format string (1 supplied, 2 expected)"),
        arguments("BEGIN { printf(\"%d\\n\", 1, 2); }", "printf: Too many arguments for format string (2 supplied, 1 expected)"),
        arguments("BEGIN { printf(\"%r\\n\", \"x\"); }", "printf: %r specifier expects a value of type buffer (string supplied)"),
        arguments("BEGIN { printf(\"%s\\n\", buf(\"abc\", 2)); }", "printf: %s specifier expects a value of type string (buffer supplied)"),
        arguments("BEGIN { printf(\"%d\\n\", kstack); }", "printf: %d specifier expects a value of type integer (string supplied)"),
        arguments("BEGIN { printf(\"%d\\n\", (1, 2)); }", "printf: %d specifier expects a value of type integer (tuple supplied)"),
        arguments("BEGIN { printf(1); }", "printf() expects a string literal (integer provided)"),
        arguments("BEGIN { system(\"ls\"); }", "system() is an unsafe function being used in safe mode"),
        arguments("tracepoint:syscalls:sys_enter_read { signal(\"KILL\"); }", "signal() is an unsafe function being used in safe mode"),
        arguments("BEGIN { @ = kaddr(\"nosuchsym\"); }", "Failed to resolve kernel symbol: nosuchsym"),
        arguments("BEGIN { @ = kaddr(1); }", "kaddr() expects a string literal (integer provided)"),
        arguments("BEGIN { @ = pton(\"1.2.3\"); }", "pton() expects a valid IPv4/IPv6 address, got 1.2.3"),
        arguments("BEGIN { @ = kstack(2000); }", "kstack([int limit]): limit shouldn't exceed 1024, 2000 given"),
        arguments("BEGIN { @ = kstack(perf, 3, 4); }", "kstack() takes up to 2 arguments (3 provided)"),
        arguments("BEGIN { @ = ustack(\"perf\"); }", "ustack() expects a integer literal (string provided)"),
        arguments("BEGIN { @ = kstack(fast); }", "Unknown stack mode: 'fast'"),
        arguments("tracepoint:syscalls:sys_enter_read { @ = reg(\"ip\"); }", "reg can not be used with \"tracepoint\" probes"),
        arguments("interval:s:1 { @ = reg(\"xyz\"); }", "'xyz' is not a valid register on this architecture (x86_64)"),
        arguments("tracepoint:syscalls:sys_enter_read { @ = uaddr(\"main\"); }", "uaddr can not be used with \"tracepoint\" probes"),
        arguments("BEGIN { @ = cgroupid(\"/nope\"); }", "Failed to get `cgroupid` for path: \"/nope\""),
        arguments("BEGIN { @ = str((1, 2)); }", "str() expects an integer or a pointer type as first argument ((int64, int64) provided)"),
        arguments("BEGIN { @ = str(1, 2, 3); }", "str() takes up to 2 arguments (3 provided)"),
        arguments("BEGIN { @ = buf(1); }", "buf() expects a length argument for non-array type integer"),
        arguments("BEGIN { @ = ntop(\"ab\"); }", "ntop() expects an integer or array argument, got string[3]"),
        arguments("BEGIN { @ = macaddr(1 + \"x\"); }", "Type mismatch for '+': comparing 'int64' with 'string[2]'"),
        arguments("BEGIN { @ = strncmp(\"a\", 1, 2); }", "strncmp() only supports string arguments (integer provided)"),
        arguments("BEGIN { @ = strncmp(\"a\", \"b\", pid); }", "strncmp() expects a integer literal (integer provided)"),
        arguments("BEGIN { @ = strftime(1, 2); }", "strftime() expects a string literal (integer provided)"),
        arguments("BEGIN { @ = strftime(\"%H\", \"x\"); }", "strftime() only supports integer arguments (string provided)"),
        arguments("BEGIN { @ = bswap(\"a\"); }", "bswap() only supports integer arguments (string provided)"),
        arguments("BEGIN { @ = nsecs(utc); }", "Unknown clock: 'utc'"),
        arguments("BEGIN { $s = kstack; @ = len($s); }", "len() of a stored stack is not supported: the kernel does not let programs read stack maps"),
        arguments("BEGIN { join(1, 2); }", "join() expects a string literal (integer provided)"),
        arguments("BEGIN { @ = path(1); }", "The path function can only be used with 'kfunc', 'kretfunc', 'iter' probes"),
        arguments("BEGIN { @ = signal(1); }", "signal() should not be used in an expression"),
        arguments("BEGIN { debugf(\"%s\", \"x\"); }", "debugf() only supports integer arguments (string provided)"),
        arguments("BEGIN { debugf(\"%d\", 1); }", "debugf() needs the length of every integer conversion, e.g. %ld instead of %d"),
        arguments("tracepoint:syscalls:sys_enter_read { skboutput(\"a.pcap\", 1, 2, 0); }", "skboutput can not be used with \"tracepoint\" probes"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("errors")
  void reportsBpftracesMessage(String script, String message) {
    String rendered = error(script);
    assertTrue(rendered.contains("ERROR: " + message + "\n"), rendered);
  }

  @Test
  void refusesUnsafeFunctionsWithAHint() {
    assertEquals("""
        stdin:1:9-26: ERROR: system() is an unsafe function being used in safe mode
        BEGIN { system("echo hi"); }
                ~~~~~~~~~~~~~~~~~
        HINT: run jbpf with --unsafe to allow it
        """, error("BEGIN { system(\"echo hi\"); }"));
  }

  @Test
  void refusesSignalInBeginAlsoWithUnsafe() {
    var e = assertThrows(CompileException.class, () -> compile("BEGIN { signal(\"KILL\"); }", true));
    assertEquals("""
        stdin:1:9-23: ERROR: signal can not be used with "BEGIN" probes
        BEGIN { signal("KILL"); }
                ~~~~~~~~~~~~~~
        """, e.render());
  }

  static Stream<Arguments> helpers() {
    return Stream.of(
        arguments("user pointer", "tracepoint:syscalls:sys_enter_openat { @ = str(args->filename); }", "bpf_probe_read_user_str"),
        arguments("kernel pointer", "tracepoint:syscalls:sys_enter_openat { @ = str(kptr(args->filename)); }", "bpf_probe_read_kernel_str"),
        arguments("integer address", "tracepoint:syscalls:sys_enter_openat { @ = str(args->flags); }", "bpf_probe_read_str"),
        arguments("user buffer", "tracepoint:syscalls:sys_enter_read { @ = buf(args->buf, 8); }", "bpf_probe_read_user"),
        arguments("kernel stack", "tracepoint:syscalls:sys_enter_read { @[kstack] = count(); }", "bpf_get_stackid"),
        arguments("stack depth", "tracepoint:syscalls:sys_enter_read { @ = len(ustack); }", "bpf_get_stack"),
        arguments("signal", "tracepoint:syscalls:sys_enter_read { signal(\"SIGUSR1\"); }", "bpf_send_signal"),
        arguments("boot clock", "BEGIN { @ = nsecs(boot); }", "bpf_ktime_get_boot_ns"),
        arguments("tai clock", "BEGIN { @ = nsecs(tai); }", "bpf_ktime_get_tai_ns"),
        arguments("events", "BEGIN { printf(\"%s\\n\", comm); }", "bpf_ringbuf_reserve"),
        arguments("debugf", "BEGIN { debugf(\"%ld\\n\", 1); }", "bpf_trace_printk"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("helpers")
  void callsTheHelper(String name, String script, String helper) throws CompileException {
    String code = code(compile(script, true));
    assertTrue(code.contains("call " + helper + "#"), code);
  }

  static Stream<Arguments> strSizes() {
    return Stream.of(
        arguments("tracepoint:syscalls:sys_enter_openat { @ = str(args->filename); }", 64),
        arguments("tracepoint:syscalls:sys_enter_openat { @ = str(args->filename, 10); }", 11),
        arguments("tracepoint:syscalls:sys_enter_openat { @ = str(args->filename, 63); }", 64),
        arguments("tracepoint:syscalls:sys_enter_openat { @ = str(args->filename, 100); }", 64));
  }

  /** bpftrace 0.17: str(s, n) keeps n characters, str(s) max_strlen - 1; probe_read_str's size counts the terminator. */
  @ParameterizedTest(name = "{0}") @MethodSource("strSizes")
  void strReadsItsLengthAndTheTerminator(String script, int size) throws CompileException {
    String code = code(compile(script, true));
    assertTrue(code.matches("(?s).*r2 = " + size + "\\n(?:[^\\n]*\\n){0,4}[^\\n]*call bpf_probe_read_user_str#.*"), code);
    assertEquals(1, code.split("call bpf_probe_read", -1).length - 1, "one read, no look past the end: " + code);
  }

  @Test
  void stackMapsAreMadeOnePerDepth() throws CompileException {
    CompiledScript s = compile("tracepoint:syscalls:sys_enter_read { @a[kstack] = count(); @b[ustack(perf, 5)] = count(); @c[kstack(5)] = count(); @d = len(kstack); }", false);
    MapSpec deep = s.collection().maps().get("stack_127"), shallow = s.collection().maps().get("stack_5");
    assertEquals(MapType.STACK_TRACE, deep.type());
    assertEquals(127 * 8, deep.valueSize());
    assertEquals(5 * 8, shallow.valueSize());
    MapSpec scratch = s.collection().maps().get("scratch");
    assertEquals(MapType.PERCPU_ARRAY, scratch.type());
    assertTrue(scratch.valueSize() >= 1016, "room for 127 frames: " + scratch);
  }

  @Test
  void globalsExistOnlyWhenUsed() throws CompileException {
    assertTrue(compile("BEGIN { @ = elapsed; }", false).collection().maps().containsKey("globals"));
    assertTrue(compile("BEGIN { @ = nsecs(sw_tai); }", false).collection().maps().containsKey("globals"));
    assertTrue(!compile("BEGIN { @ = nsecs; }", false).collection().maps().containsKey("globals"));
  }

  @Test
  void compileTimeFunctionsAreConstants() throws CompileException {
    String code = code(compile("BEGIN { @a = kaddr(\"avenrun\"); @b = cgroupid(\"/sys/fs/cgroup/system.slice\"); @c = bswap((uint16)0x1234); @d = len(\"hello\"); }", false));
    assertTrue(code.contains("= -2103122368"), "0xffffffff82a4e640 as a sign-extended immediate: " + code);
    assertTrue(code.contains("= 42"), code);
    assertTrue(code.contains("= 13330"), code);
    assertTrue(code.contains("= 5"), code);
  }

  @Test
  void positionalParametersAsStrings() throws CompileException {
    String typed = jbpf.lang.typed.TypedPrinter.print(compile("BEGIN { printf(\"%s %s\\n\", str($1), str($1, 5)); }", false).typed());
    assertTrue(typed.contains("(\"/etc/hosts\":string[11], \"/etc\":string[5])"), "constant strings: " + typed);
  }

  static Stream<Arguments> addresses() {
    return Stream.of(
        arguments("1.2.3.4", new byte[] {1, 2, 3, 4}),
        arguments("255.255.255.255", new byte[] {-1, -1, -1, -1}),
        arguments("::1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
        arguments("fe80::1:2", new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2}),
        arguments("::ffff:10.0.0.1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1}),
        arguments("1:2:3:4:5:6:7:8", new byte[] {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("addresses")
  void ptonParsesAddresses(String text, byte[] bytes) {
    byte[] parsed = text.contains(":") ? Functions.ipv6(text) : Functions.ipv4(text);
    assertEquals(java.util.HexFormat.of().formatHex(bytes), java.util.HexFormat.of().formatHex(parsed));
  }

  @ParameterizedTest @org.junit.jupiter.params.provider.ValueSource(strings = {"1.2.3", "1.2.3.256", "1..2.3", "1:2", "::1::", "12345::", "1:2:3:4:5:6:7:8:9", "g::1"})
  void ptonRejects(String text) {
    assertEquals(null, text.contains(":") ? Functions.ipv6(text) : Functions.ipv4(text));
  }
}
