package jbpf.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import jbpf.sys.Capability;
import jbpf.sys.KernelVersion;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BtfAndNamesTest {
  static Stream<Arguments> eperms() {
    Set<Capability> bpf = EnumSet.of(Capability.CAP_BPF, Capability.CAP_PERFMON);
    return Stream.of(
        arguments("no capabilities", bpf, Set.of(), "6.18.0", 65536,
            "load program p: loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has none of them."),
        arguments("memlock on 5.4", EnumSet.of(Capability.CAP_SYS_ADMIN), EnumSet.of(Capability.CAP_SYS_ADMIN), "5.4.0", 65536,
            "load program p: RLIMIT_MEMLOCK (64 KiB) is too low for BPF on Linux 5.4.0; raise it, e.g. ulimit -l unlimited: "
                + "operation not permitted (EPERM)"),
        arguments("something else on 6.18", bpf, bpf, "6.18.0", -1, "load program p: operation not permitted (EPERM)"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("eperms")
  void epermIsExplained(String name, Set<Capability> needed, Set<Capability> effective, String kernel, long memlock, String text) {
    assertEquals(text, BpfCall.eperm("load program p", "loading BPF programs", needed, effective, KernelVersion.parse(kernel), memlock)
        .getMessage());
  }

  @Test void findsFunctionsInBtfItWrote() {
    MiniBtf.Result r = MiniBtf.of(List.of(new MiniBtf.Function("main", 0), new MiniBtf.Function("cb", 9)));
    ByteBuffer btf = ByteBuffer.wrap(r.btf());
    assertEquals(OptionalInt.of(3), VmlinuxBtf.findFunction(btf, "main"));
    assertEquals(OptionalInt.of(4), VmlinuxBtf.findFunction(btf, "cb"));
    assertEquals(OptionalInt.empty(), VmlinuxBtf.findFunction(btf, "int"), "int is no function");
    assertEquals(OptionalInt.empty(), VmlinuxBtf.findFunction(btf, "ma"));
    assertEquals(16, r.funcInfo().length);
  }

  @Test void refusesWhatIsNotBtf() {
    assertThrows(IllegalArgumentException.class, () -> VmlinuxBtf.findFunction(ByteBuffer.wrap(new byte[24]), "x"));
  }

  static Stream<Arguments> names() {
    return Stream.of(
        arguments("counts", "counts"),
        arguments("@counts", "_counts"),
        arguments("tracepoint:syscalls:sys_enter_openat", "tracepoint_sysc"),
        arguments("a.b_c-d", "a.b_c_d"),
        arguments("zählen", "z_hlen"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("names")
  void kernelObjectNames(String name, String stored) { assertEquals(stored, BpfCall.objectName(name)); }
}
