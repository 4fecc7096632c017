package jbpf.prog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TestRunTest {
  @Test void argumentsAreLittleEndianU64s() {
    TestRun r = TestRun.withArgs(1, 0x0102030405060708L);
    assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1}, r.context());
    assertEquals(-1, r.cpu());
    assertEquals(3, r.onCpu(3).cpu());
    assertEquals(0, r.data().length);
  }
}
