package jbpf.lang.sema;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jbpf.lang.ProbeKernel;
import jbpf.lang.parse.Parser;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.Type;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import jbpf.source.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeContextTest {
  private static final KernelInfo.Target CHILD = new KernelInfo.Target(4712, true, ProbeKernel.APP);

  static TypedProgram analyze(String text, KernelInfo.Target target) throws CompileException {
    Source source = new Source("stdin", text);
    return Analyzer.analyze(Parser.parseOrThrow(source), source, new ProbeKernel(target), TypedProgram.Settings.DEFAULT, List.of());
  }

  /** {@return the value stored in {@code $x} by the first probe of {@code text}, before it is widened for storage} */
  static TExpr valueOfX(String text) throws CompileException {
    for (TStmt s : analyze(text, CHILD).probes().getFirst().body().stmts())
      if (s instanceof TStmt.VarStore(var v, TExpr value, var span) && v.name().equals("x"))
        return value instanceof TExpr.Cast(TExpr inner, Type t, Span cs) ? inner : value;
    throw new AssertionError("no $x in " + text);
  }

  static Stream<Arguments> types() {
    return Stream.of(
        arguments("kprobe:vfs_read { $x = arg0; }", Type.UINT64),
        arguments("kprobe:vfs_read { $x = arg9; }", Type.UINT64),
        arguments("kprobe:vfs_read { $x = sarg2; }", Type.UINT64),
        arguments("kretprobe:vfs_read { $x = retval; }", Type.UINT64),
        arguments("uretprobe:/opt/app:add { $x = retval; }", Type.UINT64),
        arguments("usdt:/opt/app:myprov:mem { $x = arg1; }", Type.INT32),
        arguments("usdt:/opt/app:myprov:mem { $x = arg2; }", Type.UINT16),
        arguments("kfunc:vfs_read { $x = args->count; }", Type.UINT64),
        arguments("kfunc:do_sys_open { $x = args->flags; }", Type.INT32),
        arguments("kfunc:vfs_read { $x = args->buf; }", new Type.Ptr(Type.INT8, false)),
        arguments("kretfunc:vfs_read { $x = retval; }", Type.INT64),
        arguments("kretfunc:do_sys_open { $x = args->mode; }", Type.UINT32),
        arguments("rawtracepoint:sched_switch { $x = args->prev_state; }", Type.UINT32),
        arguments("rawtracepoint:sched_switch { $x = args->preempt; }", Type.UINT8),
        // pointers lead on into the kernel's structs, as BTF describes them
        arguments("rawtracepoint:sched_switch { $x = args->next->pid; }", Type.INT32),
        arguments("kprobe:vfs_read { $x = func; }", new Type.Str(9)),
        arguments("uprobe:/opt/app:add { $x = args->a; }", Type.INT64),
        arguments("uprobe:/opt/app:add { $x = args->b; }", Type.INT32),
        arguments("uprobe:/opt/app:add { $x = args->s; }", new Type.Ptr(Type.INT8, true)),
        arguments("uprobe:/opt/app:add { $x = args->e; }", Type.UINT32),
        arguments("uprobe:/opt/app:\"shop::Cart::add(long, int)\" { $x = func; }", new Type.Str(27)),
        arguments("uprobe:/opt/app:shop::Cart::add { $x = func; }", new Type.Str(27)));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("types")
  void typesTheContextOfEachProbe(String text, Type type) throws CompileException {
    assertEquals(type, valueOfX(text).type());
  }

  @Test
  void cpidIsTheCommandsPid() throws CompileException {
    assertEquals(4712, ((TExpr.Const) valueOfX("BEGIN { $x = cpid; }")).value());
  }

  @Test
  void cpidIsTheCommandsPidInUserFunctionsToo() throws CompileException {
    TypedProgram p = analyze("fn f(): int64 { return cpid; } BEGIN { $x = f(); }", CHILD);
    TStmt.Return r = (TStmt.Return) p.functions().getFirst().body().stmts().getFirst();
    TExpr value = r.value() instanceof TExpr.Cast(TExpr inner, Type t, Span s) ? inner : r.value();
    assertEquals(4712, ((TExpr.Const) value).value());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("tracepoint:syscalls:sys_enter_read { $x = retval; }",
            "The retval builtin can only be used with kretprobe, uretprobe and kretfunc probes (tracepoint:syscalls:sys_enter_read used here)"),
        arguments("kprobe:vfs_read { $x = retval; }",
            "The retval builtin can only be used with kretprobe, uretprobe and kretfunc probes (kprobe:vfs_read used here)"),
        arguments("kretfunc:kfree { $x = retval; }", "kfree returns void: kretfunc:kfree has no retval"),
        arguments("kretprobe:vfs_read { $x = arg0; }",
            "The arg0 builtin can only be used with kprobe, uprobe, usdt and rawtracepoint probes (kretprobe:vfs_read used here)"),
        arguments("kfunc:vfs_read { $x = arg0; }",
            "The arg0 builtin can only be used with kprobe, uprobe, usdt and rawtracepoint probes (kfunc:vfs_read used here)"),
        arguments("usdt:/opt/app:other:start { $x = arg0; }", "usdt:/opt/app:other:start has no arguments: arg0 does not exist"),
        arguments("usdt:/opt/app:myprov:mem { $x = arg3; }", "usdt:/opt/app:myprov:mem has 3 arguments (arg0 to arg2): arg3 does not exist"),
        arguments("rawtracepoint:sched_switch { $x = arg4; }", "rawtracepoint:sched_switch has 4 arguments: arg4 does not exist"),
        arguments("uretprobe:/opt/app:add { $x = sarg0; }",
            "The sarg0 builtin can only be used with kprobe and uprobe probes (uretprobe:/opt/app:add used here)"),
        arguments("kprobe:vfs_read { $x = args->count; }",
            "The args builtin can only be used with tracepoint, rawtracepoint, kfunc and uprobe probes (kprobe:vfs_read used here)"),
        arguments("uprobe:/opt/app:main { $x = args->argc; }",
            "The args of uprobe:/opt/app:main are typed from DWARF debug information, which /opt/app has none of for main"),
        arguments("kfunc:vfs_read { $x = args->nope; }", "Can't find a field nope in kfunc:vfs_read"),
        arguments("tracepoint:syscalls:sys_enter_read { $x = func; }",
            "The func builtin can only be used with kprobe, uprobe and kfunc probes (tracepoint:syscalls:sys_enter_read used here)"),
        // a user function is called from probes of any type: what their contexts hold is passed in
        arguments("fn f(): int64 { return arg0; } kprobe:vfs_read { $x = f(); }", "The arg0 builtin cannot be used in function 'f'"),
        arguments("fn f(): int64 { return retval; } kretprobe:vfs_read { $x = f(); }", "The retval builtin cannot be used in function 'f'"),
        arguments("fn f(): void { $s = func; } kprobe:vfs_read { f(); }", "The func builtin cannot be used in function 'f'"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("errors")
  void refusesWhatAProbeDoesNotHave(String text, String message) {
    CompileException e = assertThrows(CompileException.class, () -> analyze(text, CHILD));
    assertEquals(List.of(message), e.diagnostics().stream().map(Diagnostic::message).toList());
  }

  @Test
  void cpidNeedsACommand() {
    CompileException e = assertThrows(CompileException.class, () -> analyze("BEGIN { $x = cpid; }", new KernelInfo.Target(9, false, null)));
    assertEquals("""
        stdin:1:14-18: ERROR: cpid cannot be used without child command
        BEGIN { $x = cpid; }
                     ~~~~
        HINT: start the command with -c 'CMD'
        """, e.render());
  }

  @Test
  void aBodyIsCheckedPerAttachPointWhereItsContextDiffers() throws CompileException {
    // USDT locations each have their own arguments; kfunc args their own types
    assertEquals(2, analyze("usdt:/opt/app:myprov:tick { @[arg0] = count(); }", CHILD).probes().size());
    assertEquals(2, analyze("kretfunc:vfs_read, kretfunc:do_sys_open { @[retval] = count(); }", CHILD).probes().size());
    // uprobe registers, probe and func (looked up by cookie) work the same everywhere: one body for all
    assertEquals(1, analyze("uprobe:/opt/app:add* { @[arg0, probe, func] = count(); }", CHILD).probes().size());
    // attach points of different types never share a body
    List<String> types = new ArrayList<>();
    for (var p : analyze("kprobe:vfs_read, uprobe:/opt/app:add { @ = count(); }", CHILD).probes()) types.add(p.attaches().getFirst().type().canonical());
    assertEquals(List.of("kprobe", "uprobe"), types);
  }
}
