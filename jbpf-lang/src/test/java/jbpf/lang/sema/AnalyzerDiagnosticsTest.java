package jbpf.lang.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import jbpf.lang.Compiler;
import jbpf.lang.FakeKernel;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.typed.TypedProgram;
import jbpf.source.CompileException;
import jbpf.source.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Type errors as the user sees them, in full. The wording and the underlined spans follow bpftrace 0.17 where it
 * has the same error (checked by running it on the same script); the hints are jbpf's.
 */
class AnalyzerDiagnosticsTest {
  static Stream<Arguments> errors() { return Stream.of(
      arguments("string plus integer", "BEGIN { $a = 1 + \"s\"; }", """
          stdin:1:14-21: ERROR: Type mismatch for '+': comparing 'int64' with 'string[2]'
          BEGIN { $a = 1 + "s"; }
                       ~~~~~~~
          """),
      arguments("unknown function, as bpftrace 0.17 words it", "BEGIN { nosuchfunc(1); exit(); }", """
          stdin:1:9-19: ERROR: Unknown function: nosuchfunc
          BEGIN { nosuchfunc(1); exit(); }
                  ~~~~~~~~~~
          """),
      arguments("print with too many arguments", "BEGIN { @x = 1; print(@x, 1, 2, 3); }", """
          stdin:1:17-35: ERROR: print() takes up to 3 arguments (4 provided)
          BEGIN { @x = 1; print(@x, 1, 2, 3); }
                          ~~~~~~~~~~~~~~~~~~
          """),
      arguments("unknown tracepoint field", "tracepoint:syscalls:sys_enter_openat { $a = args->nosuch; }", """
          stdin:1:45-57: ERROR: Struct/union of type 'struct _tracepoint_syscalls_sys_enter_openat' does not contain a field named 'nosuch'
          tracepoint:syscalls:sys_enter_openat { $a = args->nosuch; }
                                                      ~~~~~~~~~~~~
          """),
      arguments("print() of a tracepoint's args", "tracepoint:sched:sched_switch { print(args); }", """
          stdin:1:33-44: ERROR: (ctx) struct _tracepoint_sched_sched_switch * type passed to print() is not printable
          tracepoint:sched:sched_switch { print(args); }
                                          ~~~~~~~~~~~
          """),
      arguments("unknown field", "BEGIN { $a = curtask->foo; }", """
          stdin:1:14-26: ERROR: Struct/union of type 'struct task_struct' does not contain a field named 'foo'
          BEGIN { $a = curtask->foo; }
                       ~~~~~~~~~~~~
          """),
      arguments("dereferencing an integer", "BEGIN { $x = 1; $a = *$x; }", """
          stdin:1:22-25: ERROR: Can not dereference non-pointer type 'int64'
          BEGIN { $x = 1; $a = *$x; }
                               ~~~
          """),
      arguments("break outside a loop", "BEGIN { break; }", """
          stdin:1:9-14: ERROR: break used outside of a loop
          BEGIN { break; }
                  ~~~~~
          """),
      arguments("continue outside a loop", "BEGIN { continue; }", """
          stdin:1:9-17: ERROR: continue used outside of a loop
          BEGIN { continue; }
                  ~~~~~~~~
          """),
      arguments("map keys of two types", "BEGIN { @x[1] = 1; @x[\"a\"] = 2; }", """
          stdin:1:20-27: ERROR: Argument mismatch for @x: trying to access with arguments: [string[2]] when map expects arguments: [int64]
          BEGIN { @x[1] = 1; @x["a"] = 2; }
                             ~~~~~~~
          """),
      arguments("variable of two types", "BEGIN { $a = 1; $a = \"s\"; }", """
          stdin:1:20-21: ERROR: Type mismatch for $a: trying to assign value of type 'string[2]' when variable already contains a value of type 'int64'
          BEGIN { $a = 1; $a = "s"; }
                             ~
          """),
      arguments("field of an integer", "BEGIN { $x = 1; $a = $x->foo; }", """
          stdin:1:22-29: ERROR: Can not access field 'foo' on expression of type 'int64'
          BEGIN { $x = 1; $a = $x->foo; }
                               ~~~~~~~
          """),
      arguments("undefined variable", "BEGIN { $a = $b; }", """
          stdin:1:14-16: ERROR: Undefined or undeclared variable: $b
          BEGIN { $a = $b; }
                       ~~
          """),
      arguments("unknown struct", "BEGIN { $a = (struct foo *)0; }", """
          stdin:1:15-27: ERROR: Unknown struct/union: 'struct foo'
          BEGIN { $a = (struct foo *)0; }
                        ~~~~~~~~~~~~
          HINT: the kernel's BTF has no such type; define it in the script, e.g. struct foo { int field; }
          """),
      arguments("ternary of two types", "BEGIN { $a = 1 ? 1 : \"a\"; }", """
          stdin:1:14-25: ERROR: Ternary operator must return the same type: have 'integer' and 'string'
          BEGIN { $a = 1 ? 1 : "a"; }
                       ~~~~~~~~~~~
          """),
      arguments("unroll too far", "BEGIN { unroll(101) { } }", """
          stdin:1:9-20: ERROR: unroll maximum value is 100
          BEGIN { unroll(101) { } }
                  ~~~~~~~~~~~
          """),
      arguments("cast to a struct", "BEGIN { $a = (struct task_struct)0; }", """
          stdin:1:14-35: ERROR: Cannot cast to struct type "struct task_struct"
          BEGIN { $a = (struct task_struct)0; }
                       ~~~~~~~~~~~~~~~~~~~~~
          HINT: cast to a pointer instead, e.g. (struct task_struct *)
          """),
      arguments("negating a string", "BEGIN { $a = \"a\"; $b = -$a; }", """
          stdin:1:24-25: ERROR: The - operator can not be used on expressions of type 'string[2]'
          BEGIN { $a = "a"; $b = -$a; }
                                 ~
          """),
      arguments("pointer into an integer variable", "BEGIN { $a = (int32)curtask->pid; $a = curtask->mm; }", """
          stdin:1:38-39: ERROR: Type mismatch for $a: trying to assign value of type 'struct mm_struct *' when variable already contains a value of type 'int64'
          BEGIN { $a = (int32)curtask->pid; $a = curtask->mm; }
                                               ~
          """),
      arguments("tuple index out of range", "BEGIN { $x = (1, 2); $y = $x.5; }", """
          stdin:1:27-31: ERROR: Invalid tuple index: 5. Found 2 elements in tuple.
          BEGIN { $x = (1, 2); $y = $x.5; }
                                    ~~~~
          """),
      arguments("one error, not a cascade", "BEGIN { $x = 1; $y = $x + \"a\"; $z = $y; $w = $z + 1; }", """
          stdin:1:22-30: ERROR: Type mismatch for '+': comparing 'int64' with 'string[2]'
          BEGIN { $x = 1; $y = $x + "a"; $z = $y; $w = $z + 1; }
                               ~~~~~~~~
          """),
      arguments("let twice", "BEGIN { let $a = 1; let $a = 2; }", """
          stdin:1:21-31: ERROR: Variable $a is already declared
          BEGIN { let $a = 1; let $a = 2; }
                              ~~~~~~~~~~
          """),
      arguments("let out of its block", "BEGIN { { let $inner = 1; } $x = $inner; }", """
          stdin:1:34-40: ERROR: Undefined or undeclared variable: $inner
          BEGIN { { let $inner = 1; } $x = $inner; }
                                           ~~~~~~
          """),
      arguments("recursion", "fn f($a: int64): int64 { return f($a); } BEGIN { $x = f(1); }", """
          stdin:1:1-41: ERROR: Function 'f' calls itself (f -> f); BPF programs cannot recurse
          fn f($a: int64): int64 { return f($a); } BEGIN { $x = f(1); }
          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          """),
      arguments("string parameter", "fn f($a: string): int64 { return 1; } BEGIN { }", """
          stdin:1:10-16: ERROR: Parameter $a of function 'f' has type string[64]: functions take integers and pointers
          fn f($a: string): int64 { return 1; } BEGIN { }
                   ~~~~~~
          HINT: BPF passes arguments in registers; pass a string or tuple through a map instead
          """),
      arguments("argument count", "fn f($a: int64): int64 { return 1; } BEGIN { $x = f(1, 2); }", """
          stdin:1:51-58: ERROR: Function 'f' requires 1 argument (2 provided)
          fn f($a: int64): int64 { return 1; } BEGIN { $x = f(1, 2); }
                                                            ~~~~~~~
          """),
      arguments("void function as a value", "fn g(): void { } BEGIN { $x = g(); }", """
          stdin:1:31-34: ERROR: Function 'g' returns no value
          fn g(): void { } BEGIN { $x = g(); }
                                        ~~~
          """),
      arguments("macro variable parameter", "macro m($a) { $a + 1 } BEGIN { $x = m(1 + 2); }", """
          stdin:1:39-44: ERROR: Macro 'm' expects a scratch variable for $a
          macro m($a) { $a + 1 } BEGIN { $x = m(1 + 2); }
                                                ~~~~~
          """),
      arguments("unhygienic macro", "macro m() { @x = 1; } BEGIN { m(); }", """
          stdin:1:13-15: ERROR: Macro 'm' uses map @x, which is not one of its parameters
          macro m() { @x = 1; } BEGIN { m(); }
                      ~~
          """),
      arguments("for over an undefined map", "BEGIN { for ($kv : @nomap) { } }", """
          stdin:1:20-26: ERROR: Undefined map: @nomap
          BEGIN { for ($kv : @nomap) { } }
                             ~~~~~~
          HINT: a map comes into existence when it is assigned, e.g. @nomap = count();
          """),
      arguments("for over a per-CPU aggregation", "BEGIN { @c[1] = count(); for ($kv : @c) { } }", """
          stdin:1:37-39: ERROR: for loops cannot iterate over @c: its count() values are kept per CPU
          BEGIN { @c[1] = count(); for ($kv : @c) { } }
                                              ~~
          HINT: keep the values in a plain map, e.g. @c[k] += 1, to iterate over them
          """),
      arguments("pointer times integer", "BEGIN { $p = (int32 *)0; $q = $p * 2; }", """
          stdin:1:31-37: ERROR: Type mismatch for '*': comparing 'int32 *' with 'int64'
          BEGIN { $p = (int32 *)0; $q = $p * 2; }
                                        ~~~~~~
          """),
      arguments("unknown config", "config = { foo = 1 } BEGIN { }", """
          stdin:1:12-19: ERROR: Unrecognized config variable: foo
          config = { foo = 1 } BEGIN { }
                     ~~~~~~~
          """),
      arguments("constant index out of bounds", "BEGIN { $x = curtask->comm[20]; }", """
          stdin:1:28-30: ERROR: the index 20 is out of bounds for string of size 16
          BEGIN { $x = curtask->comm[20]; }
                                     ~~
          """),
      arguments("the only attach point of a probe, a tracepoint that does not exist", "tracepoint:syscalls:nonsense { }", """
          stdin:1:1-29: ERROR: tracepoint not found: syscalls:nonsense
          tracepoint:syscalls:nonsense { }
          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          """),
      arguments("a skipped tracepoint is shown beside an error, as bpftrace 0.17 shows it",
          "tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:nonsense { } tracepoint:nope:nope { }", """
          stdin:1:38-66: WARNING: tracepoint not found: syscalls:nonsense
          tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:nonsense { } tracepoint:nope:nope { }
                                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          stdin:1:71-91: ERROR: tracepoint not found: nope:nope
          tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:nonsense { } tracepoint:nope:nope { }
                                                                                ~~~~~~~~~~~~~~~~~~~~
          """),
      arguments("header macro", "#include <linux/fs.h>\nBEGIN { $x = SOME_MACRO; }", """
          stdin:2:14-24: ERROR: Unknown identifier: 'SOME_MACRO'
          BEGIN { $x = SOME_MACRO; }
                       ~~~~~~~~~~
          HINT: jbpf reads kernel types from BTF and does not parse headers, so of their constants only enums are known; define it in the script, e.g. #define SOME_MACRO 1
          """));
  }

  @Test
  void stackBuiltinsAreKnownWhenHeadersAreIncluded() throws CompileException {
    // /usr/sbin/tcpdrop.bt includes <net/sock.h> and prints kstack
    compile("#include <net/sock.h>\nBEGIN { printf(\"%s\\n%s\\n\", kstack, ustack); }");
  }

  @Test
  void aMissingTracepointAmongSeveralAttachPointsIsAWarningAndIsKeptToBeSkipped() throws CompileException {
    // bpftrace 0.17 warns, counts it in "Attaching N probes...", and skips it when attaching
    var script = Compiler.compile(new Source("stdin", "tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:nonsense { @ = count(); }"),
        List.of(), new FakeKernel(), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
    assertEquals("""
        stdin:1:38-66: WARNING: tracepoint not found: syscalls:nonsense
        tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:nonsense { @ = count(); }
                                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        """, script.typed().warnings().stream().map(jbpf.source.Diagnostic::render).reduce("", String::concat));
    assertEquals(List.of("tracepoint:syscalls:sys_enter_openat", "tracepoint:syscalls:nonsense"),
        script.programs().stream().flatMap(p -> p.attaches().stream()).map(jbpf.lang.probe.Attach::name).toList());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("errors")
  void reports(String name, String script, String expected) {
    CompileException e = assertThrows(CompileException.class, () -> compile(script));
    assertEquals(expected, e.render());
  }

  static void compile(String text) throws CompileException {
    Compiler.compile(new Source("stdin", text), List.of(), new FakeKernel(), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
  }
}
