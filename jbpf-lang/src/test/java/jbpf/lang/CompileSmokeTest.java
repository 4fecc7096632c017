package jbpf.lang;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

class CompileSmokeTest {
  static CompiledScript compile(String text) throws CompileException {
    return Compiler.compile(new Source("stdin", text), List.of(), new FakeKernel(), TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
  }

  @Test
  void compilesTheWalkingSkeleton() throws CompileException {
    CompiledScript s = compile("tracepoint:syscalls:sys_enter_openat /pid != 0/ { @opens[comm] = count(); } interval:s:1 { print(@opens); clear(@opens); } END { printf(\"bye\\n\"); }");
    for (ProgramSpec p : s.collection().programs()) System.out.println(p.name() + ":\n" + p.code().disassemble());
    assertEquals(3, s.programs().size());
  }

  @Test
  void reportsAnUnknownIdentifier() {
    var e = assertThrows(CompileException.class, () -> compile("BEGIN { @x = pdi; }"));
    assertEquals("""
        stdin:1:14-17: ERROR: Unknown identifier: 'pdi'
        BEGIN { @x = pdi; }
                     ~~~
        """, e.render());
  }
}
