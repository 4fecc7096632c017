package jbpf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the language's self tests, {@code selftest/*.bt} at the top of the source tree, through the command line as a
 * user would: each is plain bpftrace whose BEGIN blocks compute, compare and print {@code FAIL <case>} on a mismatch,
 * then {@code done}. The same files can be run with bpftrace by hand.
 */
@RequiresKernel
class SelfTestKernelTest {
  static final Path DIR = Path.of("../selftest");

  @TestFactory
  Stream<DynamicTest> selftests() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(DIR)) {
      scripts = files.filter(p -> p.toString().endsWith(".bt")).sorted().toList();
    }
    assertFalse(scripts.isEmpty(), "no self tests in " + DIR.toAbsolutePath());
    return scripts.stream().map(s -> DynamicTest.dynamicTest(s.getFileName().toString(), () -> {
      Run r = run(s.toString());
      assertEquals(0, r.code(), r.err() + r.out());
      assertFalse(r.out().contains("FAIL"), r.out());
      assertTrue(r.out().lines().anyMatch(l -> l.equals("done")), "the script did not finish:\n" + r.out() + r.err());
    }));
  }

  /** What a command printed and returned. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
