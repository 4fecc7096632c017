package jbpf.sys;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static jbpf.sys.Capability.CAP_SYS_RESOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapabilitiesTest {
  static Stream<Arguments> masks() {
    return Stream.of(
        arguments("unprivileged", "0000000000000000", Set.of()),
        arguments("bpf and perfmon", "000000c000000000", Set.of(CAP_BPF, CAP_PERFMON)),
        arguments("sys_admin only", "0000000000200000", Set.of(CAP_SYS_ADMIN)));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("masks")
  void parsesCapEff(String name, String hex, Set<Capability> expected) {
    String status = "Name:\tjava\nCapInh:\t0000000000000000\nCapPrm:\t" + hex + "\nCapEff:\t" + hex + "\nCapBnd:\t000001ffffffffff\n";
    assertEquals(expected, Capabilities.parseEffective(status));
  }

  @Test void rootWithoutSysResource() {
    Set<Capability> caps = Capabilities.parseEffective("CapEff:\t000001fffeffffff\n");
    assertEquals(40, caps.size());
    assertFalse(caps.contains(CAP_SYS_RESOURCE));
    assertTrue(caps.contains(Capability.CAP_CHECKPOINT_RESTORE));
  }

  @Test void malformed() {
    assertThrows(IllegalArgumentException.class, () -> Capabilities.parseEffective("Name:\tx\n"));
    assertThrows(IllegalArgumentException.class, () -> Capabilities.parseEffective("CapEff:\tzz\n"));
  }

  @Test void sysAdminStandsInForBpfAndPerfmon() {
    assertTrue(Capabilities.grants(EnumSet.of(CAP_SYS_ADMIN), EnumSet.of(CAP_BPF, CAP_PERFMON)));
    assertFalse(Capabilities.grants(EnumSet.of(CAP_BPF), EnumSet.of(CAP_BPF, CAP_PERFMON)));
    assertFalse(Capabilities.grants(EnumSet.of(CAP_SYS_ADMIN), EnumSet.of(CAP_SYS_RESOURCE)));
  }

  @Test void kernelsBefore58NeedSysAdmin() {
    assertEquals(EnumSet.of(CAP_SYS_ADMIN), Capabilities.needed(KernelVersion.parse("5.4.0"), EnumSet.of(CAP_BPF, CAP_PERFMON)));
    assertEquals(EnumSet.of(CAP_BPF, CAP_PERFMON), Capabilities.needed(KernelVersion.parse("5.8.0"), EnumSet.of(CAP_BPF, CAP_PERFMON)));
  }

  @Test void numbersMatchTheKernel() {
    assertEquals(21, CAP_SYS_ADMIN.number());
    assertEquals(38, CAP_PERFMON.number());
    assertEquals(39, CAP_BPF.number());
    assertEquals(CAP_BPF, Capability.of(39));
  }
}
