package jbpf.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PerfNamesTest {
  static Stream<Arguments> software() {
    return Stream.of(
        arguments("cpu-clock", SoftwareEvent.CPU_CLOCK), arguments("cpu", SoftwareEvent.CPU_CLOCK),
        arguments("faults", SoftwareEvent.PAGE_FAULTS), arguments("cs", SoftwareEvent.CONTEXT_SWITCHES),
        arguments("major-faults", SoftwareEvent.MAJOR_FAULTS), arguments("bpf-output", SoftwareEvent.BPF_OUTPUT));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("software")
  void softwareEventNames(String name, SoftwareEvent e) { assertEquals(Optional.of(e), SoftwareEvent.byName(name)); }

  static Stream<Arguments> hardware() {
    return Stream.of(
        arguments("cycles", HardwareEvent.CPU_CYCLES), arguments("cpu-cycles", HardwareEvent.CPU_CYCLES),
        arguments("branches", HardwareEvent.BRANCH_INSTRUCTIONS), arguments("cache-misses", HardwareEvent.CACHE_MISSES),
        arguments("ref-cycles", HardwareEvent.REF_CPU_CYCLES), arguments("frontend-stalls", HardwareEvent.STALLED_CYCLES_FRONTEND));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("hardware")
  void hardwareEventNames(String name, HardwareEvent e) { assertEquals(Optional.of(e), HardwareEvent.byName(name)); }

  @Test void unknownNames() {
    assertEquals(Optional.empty(), SoftwareEvent.byName("cycles"));
    assertEquals(Optional.empty(), HardwareEvent.byName("cpu-clock"));
  }

  static Stream<Arguments> formats() {
    return Stream.of(arguments("config:0\n", 0), arguments("config:32-63\n", 32), arguments("config1:0-63", -1));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("formats")
  void pmuFormatFields(String text, int bit) { assertEquals(bit, Pmu.parseFormat(text, -1)); }

  @Test void targetsAndSampling() {
    assertEquals("cpu 1", Target.cpu(1).toString());
    assertEquals("pid 42", Target.process(42).toString());
    assertThrows(IllegalArgumentException.class, () -> new Target(-1, -1));
    assertEquals("99 Hz", Sampling.frequency(99).toString());
    assertThrows(IllegalArgumentException.class, () -> Sampling.period(0));
  }
}
