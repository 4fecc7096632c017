package jbpf.lang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;

/** A kernel with a handful of tracepoints, their format files copied from Linux 6.18 into test resources. */
public final class FakeKernel implements KernelInfo {
  public static final List<String> TRACEPOINTS = List.of("syscalls:sys_enter_openat", "syscalls:sys_exit_openat",
      "syscalls:sys_enter_read", "syscalls:sys_exit_read", "sched:sched_switch", "sched:sched_process_exec",
      "raw_syscalls:sys_enter", "sock:inet_sock_set_state");

  @Override public List<String> tracepoints() { return TRACEPOINTS; }

  @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) {
    if (!TRACEPOINTS.contains(category + ":" + name)) return Optional.empty();
    try (InputStream in = FakeKernel.class.getResourceAsStream("/tracefs/events/" + category + "/" + name + "/format")) {
      return Optional.of(TracepointFormat.parse(category, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public int possibleCpus() { return 2; }
}
