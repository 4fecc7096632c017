package jbpf.lang.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jbpf.lang.FakeKernel;
import jbpf.lang.ast.Program;
import jbpf.lang.parse.Parser;
import jbpf.lang.sema.Analyzer;
import jbpf.source.CompileException;
import jbpf.source.Source;
import org.junit.jupiter.api.Test;

/** The typed tree as {@code jbpf -d} shows it: every value with its type, statements by block. */
class TypedPrinterTest {
  @Test
  void printsTypesOfEveryValue() throws CompileException {
    Source s = new Source("stdin", """
        fn twice($x: int64): int64 { return $x * 2; }
        tracepoint:syscalls:sys_enter_openat /pid != 0/ {
          @opens[comm] = count();
          $t = curtask;
          if ($t->parent->pid > 1) { @ppid = twice($t->parent->pid); }
          for ($i : 0..3) { @n[$i] += 1; }
          printf("%s\\n", $t->comm);
        }""");
    Program ast = Parser.parseOrThrow(s);
    TypedProgram typed = Analyzer.analyze(ast, s, new FakeKernel(), TypedProgram.Settings.DEFAULT, List.of());
    assertEquals("""
        map @opens: string[16] -> count
        map @ppid: int64
        map @n: int64 -> int64
        fn twice($x: int64): int64
          return (* $x:int64 2:int64):int64
        probe tracepoint:syscalls:sys_enter_openat
          predicate (!= pid:uint32 0:int64):bool
          @opens[comm:string[16]] = count()
          $t:struct task_struct * = curtask:struct task_struct *
          if (> (-> (-> $t:struct task_struct * parent):struct task_struct * pid):int32 1:int64):bool
            @ppid = twice((cast (-> (-> $t:struct task_struct * parent):struct task_struct * pid):int32):int64):int64
          for $i:int64 in 0:int64 .. 3:int64
            @n[$i:int64] += 1:int64
          emit printf "%s\\n"((-> $t:struct task_struct * comm):string[16])
        """, TypedPrinter.print(typed));
  }

  @Test
  void ternaryOfStatementsIsAnIf() throws CompileException {
    // bpftrace 0.17 runs `cond ? printf(...) : printf(...);` for its effect.
    Source s = new Source("stdin", "interval:s:1 { nsecs ? printf(\"yes\\n\") : printf(\"no\"); }");
    Program ast = Parser.parseOrThrow(s);
    TypedProgram typed = Analyzer.analyze(ast, s, new FakeKernel(), TypedProgram.Settings.DEFAULT, List.of());
    assertEquals("""
        probe interval:s:1
          if nsecs:uint64
            emit printf "yes\\n"()
          else
            emit printf "no"()
        """, TypedPrinter.print(typed));
  }
}
