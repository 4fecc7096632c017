package jbpf.testkit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jbpf.sys.Bpf;
import jbpf.sys.BpfAttr;
import jbpf.sys.Capabilities;
import jbpf.sys.Capability;
import jbpf.sys.EventFd;
import jbpf.sys.Fd;
import jbpf.sys.Sys;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs small test classes under {@link LeakCheck} and looks at how they end. */
class LeakCheckTest {
  static final List<AutoCloseable> KEEP = new ArrayList<>();

  @ExtendWith(LeakCheck.class)
  static class Tidy {
    @Test void closesWhatItOpens() {
      try (EventFd e = new EventFd()) {
        e.signal();
      }
    }
  }

  @ExtendWith(LeakCheck.class)
  static class LeaksAnFd {
    @Test void forgetsAnEventFd() { KEEP.add(new EventFd()); }
  }

  @ExtendWith(LeakCheck.class)
  static class LeaksAMap {
    @Test void forgetsAMap() {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment attr = arena.allocate(BpfAttr.MapCreate.LAYOUT);
        attr.set(JAVA_INT, BpfAttr.MapCreate.map_type, Bpf.BPF_MAP_TYPE_ARRAY);
        attr.set(JAVA_INT, BpfAttr.MapCreate.key_size, 4);
        attr.set(JAVA_INT, BpfAttr.MapCreate.value_size, 4);
        attr.set(JAVA_INT, BpfAttr.MapCreate.max_entries, 1);
        attr.setString(BpfAttr.MapCreate.map_name, "leaky");
        MemorySegment state = Sys.callState(arena);
        KEEP.add(Fd.adopt((int) Sys.check(Sys.bpf(state, Bpf.BPF_MAP_CREATE, attr), state, "create map"), "bpf map leaky"));
      }
    }
  }

  /** {@return the failure of the class container, or null if it succeeded} */
  private static Throwable run(Class<?> testClass) {
    Launcher launcher = LauncherFactory.create();
    Throwable[] failure = {null};
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), new TestExecutionListener() {
      @Override public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.getSource().filter(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource).isPresent()
            && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL)
          failure[0] = result.getThrowable().orElse(new AssertionError(result.getStatus().toString()));
      }
    });
    for (AutoCloseable c : KEEP) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    KEEP.clear();
    return failure[0];
  }

  @Test void passesATidyClass() { assertEquals(null, run(Tidy.class)); }

  @Test void namesALeakedFdAndWhereItWasOpened() {
    Throwable t = run(LeaksAnFd.class);
    assertTrue(t instanceof AssertionError, String.valueOf(t));
    assertTrue(t.getMessage().startsWith("LeakCheckTest$LeaksAnFd leaked kernel objects:\n  fd "), t.getMessage());
    assertTrue(t.getMessage().contains("(anon_inode:[eventfd], eventfd) is still open; opened at jbpf.testkit.LeakCheckTest$LeaksAnFd.forgetsAnEventFd("),
        t.getMessage());
  }

  @Test void namesALeakedMap() {
    Set<Capability> caps = Capabilities.effective();
    Assumptions.assumeTrue(caps.contains(Capability.CAP_SYS_ADMIN), "needs CAP_SYS_ADMIN to list BPF maps");
    Throwable t = run(LeaksAMap.class);
    assertTrue(t instanceof AssertionError, String.valueOf(t));
    assertTrue(t.getMessage().matches("(?s).*map \\d+ array leaky is still loaded, held by fd \\d+.*"), t.getMessage());
  }
}
