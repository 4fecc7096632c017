package jbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code jbpf -d}: the syntax tree, the typed tree and the bytecode, with nothing loaded (no privileges needed). */
class DebugOutputTest {
  @Test
  void printsTheTreesAndTheBytecode() {
    SelfTestKernelTest.Run r = SelfTestKernelTest.run("-d", "-e", "BEGIN { $x = 1 + 2; @y = $x * 2; }");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("""
        AST
        ---
        BEGIN { (= $x (+ 1 2)); (= @y (* $x 2)) }

        Typed
        -----
        map @y: int64
        probe BEGIN
          $x:int64 = 3:int64
          @y = (* $x:int64 2:int64):int64

        Program BEGIN_0:
        """), r.out());
    assertTrue(r.out().contains("call bpf_map_update_elem#2"), r.out());
  }
}
