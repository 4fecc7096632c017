package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KernelVersionTest {
  static Stream<Arguments> releases() {
    return Stream.of(
        arguments("6.18.44-fc-v669", "6.18.44", 0x06122c),
        arguments("5.4.0-150-generic", "5.4.0", 0x050400),
        arguments("4.19.300", "4.19.300", 0x0413ff),
        arguments("6.8", "6.8.0", 0x060800));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("releases")
  void parses(String release, String version, int code) {
    KernelVersion v = KernelVersion.parse(release);
    assertEquals(version, v.toString());
    assertEquals(release, v.release());
    assertEquals(code, v.code(), "KERNEL_VERSION(a, b, c), patch capped at 255");
  }

  @Test void compares() {
    KernelVersion v = KernelVersion.parse("5.15.2");
    assertTrue(v.atLeast(5, 15));
    assertTrue(v.atLeast(4, 20));
    assertFalse(v.atLeast(5, 16));
    assertFalse(v.atLeast(6, 0));
    assertTrue(v.compareTo(KernelVersion.parse("5.15.10")) < 0);
  }

  @Test void refusesGarbage() {
    assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("linux"));
  }

  @Test void readsTheRunningKernel() {
    assertTrue(KernelVersion.current().major() >= 3);
  }
}
