package jbpf.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void programAndPositionalParameters() throws Exception {
    Options o = Options.parse(new String[] {"-e", "BEGIN {}", "1", "two"});
    assertEquals("BEGIN {}", o.program());
    assertNull(o.file());
    assertEquals(List.of("1", "two"), o.params());
  }

  @Test
  void scriptFileThenParametersWithOptionsMixedIn() throws Exception {
    Options o = Options.parse(new String[] {"script.bt", "-v", "a", "--", "-1"});
    assertEquals("script.bt", o.file());
    assertEquals(1, o.verbose());
    assertEquals(List.of("a", "-1"), o.params());
  }

  @Test
  void clusteredFlagsAndAttachedArguments() throws Exception {
    Options o = Options.parse(new String[] {"-dd", "-kk", "-eBEGIN{}", "-fjson", "--include=a.h", "--include", "b.h"});
    assertEquals(2, o.debug());
    assertEquals(2, o.helperChecks());
    assertEquals("BEGIN{}", o.program());
    assertEquals("json", o.format());
    assertEquals(List.of("a.h", "b.h"), o.includes());
    assertTrue(o.dryRun());
  }

  @Test
  void listWithSearchAndVerbose() throws Exception {
    Options o = Options.parse(new String[] {"-lv", "tracepoint:sched:*"});
    assertTrue(o.list());
    assertEquals(1, o.verbose());
    assertEquals("tracepoint:sched:*", o.listSearch());
  }

  @Test
  void badInputIsAUsageError() {
    assertEquals("invalid option -- 'x'", assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"-x"})).getMessage());
    assertEquals("option requires an argument -- 'e'", assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"-e"})).getMessage());
    assertEquals("unrecognized option '--bogus'", assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--bogus"})).getMessage());
    assertEquals("Invalid PID: abc", assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"-p", "abc"})).getMessage());
  }
}
