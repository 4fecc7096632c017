package jbpf.perf;

import static jbpf.sys.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import jbpf.sys.Errno;
import jbpf.sys.Feature;
import jbpf.sys.SyscallException;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

@RequiresKernel(caps = CAP_SYS_ADMIN, feature = Feature.TRACEFS)
class TracefsKernelTest {
  @Test void readsEventIdsAndFormats() throws Exception {
    Tracefs t = Tracefs.get();
    int id = t.eventId("syscalls", "sys_enter_getpid");
    assertEquals(Files.readString(t.root().resolve("events/syscalls/sys_enter_getpid/id")).strip(), Integer.toString(id));
    String format = t.format("syscalls", "sys_enter_getpid");
    assertTrue(format.contains("name: sys_enter_getpid"), format);
    assertTrue(format.contains("field:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;"), format);
    assertTrue(t.hasEvent("sched", "sched_switch"));
    assertFalse(t.hasEvent("sched", "no_such_event"));
  }

  @Test void listsEvents() {
    List<String> events = Tracefs.get().availableEvents();
    assertTrue(events.contains("syscalls:sys_enter_getpid"));
    assertTrue(events.size() > 300, "a kernel has hundreds of tracepoints: " + events.size());
  }

  @Test void listsFilterFunctionsOrSaysWhyNot() {
    try {
      List<String> functions = Tracefs.get().availableFilterFunctions();
      assertTrue(functions.stream().anyMatch(f -> f.startsWith("vfs_read")), "vfs_read is traceable");
    } catch (SyscallException e) {
      // Kernels in lockdown refuse to list them (this one does, with EPERM).
      assertTrue(e.errno() == Errno.EPERM || e.errno() == Errno.EACCES, e.getMessage());
      assertTrue(e.getMessage().startsWith("read " + Tracefs.get().root().resolve("available_filter_functions")), e.getMessage());
    }
  }

  @Test void badNamesAreRefusedBeforeTouchingFiles() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Tracefs.get().eventId("..", "x"));
  }
}
