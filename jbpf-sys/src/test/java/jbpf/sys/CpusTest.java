package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpusTest {
  static Stream<Arguments> lists() {
    return Stream.of(
        arguments("0\n", new int[] {0}),
        arguments("0-1\n", new int[] {0, 1}),
        arguments("0-3,8,10-11", new int[] {0, 1, 2, 3, 8, 10, 11}));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("lists")
  void parsesKernelCpuLists(String text, int[] cpus) { assertArrayEquals(cpus, Cpus.parseList(text)); }

  @Test void refusesGarbage() {
    assertThrows(IllegalArgumentException.class, () -> Cpus.parseList(""));
    assertThrows(IllegalArgumentException.class, () -> Cpus.parseList("3-1"));
    assertThrows(IllegalArgumentException.class, () -> Cpus.parseList("a"));
  }

  @Test void thisMachineHasPossibleCpus() {
    assertTrue(Cpus.possibleCount() >= Cpus.online().length);
  }
}
