package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerifierExceptionTest {
  static Stream<Arguments> logs() {
    return Stream.of(
        arguments("bad context access", """
            func#0 @0
            0: R1=ctx() R10=fp0
            0: (79) r1 = *(u64 *)(r1 +104)
            invalid bpf_context access off=104 size=8
            processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
            """, 0, "invalid bpf_context access off=104 size=8", "(79) r1 = *(u64 *)(r1 +104)"),
        arguments("level 2 states", """
            0: R1=ctx() R10=fp0
            0: (b7) r0 = 0                        ; R0_w=0
            1: (b7) r1 = 1                        ; R1_w=1
            2: (0f) r0 += r3
            R3 !read_ok
            processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
            """, 2, "R3 !read_ok", "(0f) r0 += r3"),
        arguments("insn named in the reason", """
            back-edge from insn 5 to 2
            verification time 12 usec
            """, 5, "back-edge from insn 5 to 2", null));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("logs")
  void findsTheDecisiveLineAndInstruction(String name, String log, int insn, String reason, String insnText) {
    VerifierException e = VerifierException.fromLog("load program p", Errno.EACCES, log);
    assertEquals(insn, e.failingInsn().orElseThrow());
    assertEquals(reason, e.reason());
    assertEquals(insnText, e.insnText());
    assertEquals("load program p: verifier rejected insn " + insn + ": " + reason + " (EACCES)", e.getMessage());
    assertEquals(log.lines().toList(), e.log());
  }

  @Test void emptyLog() {
    VerifierException e = VerifierException.fromLog("load program p", Errno.EINVAL, "");
    assertTrue(e.failingInsn().isEmpty());
    assertNull(e.insnText());
    assertEquals("load program p: verifier rejected the program: the verifier gave no reason (EINVAL)", e.getMessage());
  }

  @Test void contextKeepsTheLog() {
    VerifierException e = VerifierException.fromLog("load program p", Errno.EACCES, "0: (95) exit\nR0 !read_ok\n").withContext("attach BEGIN");
    assertEquals("attach BEGIN: load program p: verifier rejected insn 0: R0 !read_ok (EACCES)", e.getMessage());
    assertEquals(2, e.log().size());
  }
}
