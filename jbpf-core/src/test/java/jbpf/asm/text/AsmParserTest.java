package jbpf.asm.text;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HexFormat;
import java.util.stream.Stream;
import jbpf.source.CompileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AsmParserTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  static Stream<Arguments> encodings() {
    return Stream.of(
        arguments("mov %r0, 1", "b7 00 00 00 01 00 00 00"),
        arguments("mov32 %r1, -1", "b4 01 00 00 ff ff ff ff"),
        arguments("mov32 %r1, 0xffffffff", "b4 01 00 00 ff ff ff ff"),
        arguments("add %r1, %r2", "0f 21 00 00 00 00 00 00"),
        arguments("sdiv32 %r1, %r2", "3c 21 01 00 00 00 00 00"),
        arguments("smod %r1, -3", "97 01 01 00 fd ff ff ff"),
        arguments("neg32 %r3", "84 03 00 00 00 00 00 00"),
        arguments("movsx1664 %r0, %r1", "bf 10 10 00 00 00 00 00"),
        arguments("movsx832 %r0, %r1", "bc 10 08 00 00 00 00 00"),
        arguments("be16 %r9", "dc 09 00 00 10 00 00 00"),
        arguments("le32 %r9", "d4 09 00 00 20 00 00 00"),
        arguments("swap64 %r9", "d7 09 00 00 40 00 00 00"),
        arguments("ldxw %r3, [%r1+16]", "61 13 10 00 00 00 00 00"),
        arguments("ldxsb %r0, [%r10-1]", "91 a0 ff ff 00 00 00 00"),
        arguments("ldxdw %r0, [%r1]", "79 10 00 00 00 00 00 00"),
        arguments("stxb [%r1+2], %r3", "73 31 02 00 00 00 00 00"),
        arguments("stdw [%r10-8], 0xcd", "7a 0a f8 ff cd 00 00 00"),
        arguments("lock fetch add32 [%r10-8], %r1", "c3 1a f8 ff 01 00 00 00"),
        arguments("lock cmpxchg [%r10-8], %r1", "db 1a f8 ff f1 00 00 00"),
        arguments("lock xchg [%r10-8], %r1", "db 1a f8 ff e1 00 00 00"),
        arguments("lddw %r0, 0xFFFFFFFF80000000", "18 00 00 00 00 00 00 80 00 00 00 00 ff ff ff ff"),
        arguments("jsle %r1, 0xffffffff, +1", "d5 01 01 00 ff ff ff ff"),
        arguments("jne32 %r1, %r2, -2", "5e 21 fe ff 00 00 00 00"),
        arguments("call 5", "85 00 00 00 05 00 00 00"),
        arguments("call %r2", "8d 02 00 00 00 00 00 00"),
        arguments("exit", "95 00 00 00 00 00 00 00"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void assembles(String text, String hex) throws CompileException {
    assertEquals(hex, HEX.formatHex(AsmParser.parse(text).encode()));
  }

  @Test
  void resolvesLabelsInSlotsAndTheImplicitExitLabel() throws CompileException {
    var code = AsmParser.parse("""
        jeq %r1, 0, done   # forward over a wide instruction
        lddw %r0, 1
        ja32 done
        call local f
        done:
        exit
        f:
        jne %r1, 2, exit
        exit
        """);
    assertEquals(4, code.insns().get(0).off());
    assertEquals(1, code.insns().get(2).imm());
    assertEquals(1, code.insns().get(3).imm());
    assertEquals(-2, code.insns().get(5).off());
  }

  @Test
  void reportsEveryBadLineWithItsSpan() {
    var e = assertThrows(CompileException.class, () -> AsmParser.parse("mov %r0, 1\nmvo %r0, 2\nldxw %r1, %r2\njne %r0, 1, nowhere\nexit\n"));
    assertEquals("""
        asm:2:1-4: ERROR: unknown mnemonic: mvo
        mvo %r0, 2
        ~~~
        asm:3:11-14: ERROR: not a memory operand: %r2
        ldxw %r1, %r2
                  ~~~
        HINT: write [%reg], [%reg+off] or [%reg-off]
        asm:4:1-20: ERROR: undefined label: nowhere
        jne %r0, 1, nowhere
        ~~~~~~~~~~~~~~~~~~~
        HINT: define it with a line 'nowhere:'
        """, e.render());
  }
}
