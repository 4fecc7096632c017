package jbpf.vm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import jbpf.asm.text.AsmParser;
import jbpf.source.CompileException;
import jbpf.source.Source;
import jbpf.vm.verify.VerifyException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the bpf_conformance corpus (read in place from the shared directory beside the repository) and our own
 * cases in {@code src/test/resources/conformance} through both engines; each file's expected r0 must come out of
 * the interpreter and of the JIT.
 */
class ConformanceTest {
  @TestFactory
  Stream<DynamicContainer> bpfConformanceCorpus() throws IOException {
    Path dir = SharedData.find("bpf_conformance/tests").orElse(null);
    Assumptions.assumeTrue(dir != null, () -> "skipped: the bpf_conformance corpus is not in any of " + SharedData.candidates()
        + "; set -Djbpf.shared=DIR or JBPF_SHARED to the directory holding bpf_conformance/tests");
    return files(dir);
  }

  @TestFactory
  Stream<DynamicContainer> ownCases() throws IOException, java.net.URISyntaxException {
    return files(Path.of(getClass().getResource("/conformance").toURI()));
  }

  private static Stream<DynamicContainer> files(Path dir) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.filter(p -> p.toString().endsWith(".data")).sorted().toList();
    }
    assertFalse(paths.isEmpty(), "no .data files in " + dir);
    List<DynamicContainer> out = new ArrayList<>();
    for (Path p : paths) {
      ConformanceFile f = ConformanceFile.read(p);
      out.add(DynamicContainer.dynamicContainer(f.name(), Stream.of(
          DynamicTest.dynamicTest("interpreter", () -> check(f, VmProgram::interpreter)),
          DynamicTest.dynamicTest("jit", () -> check(f, VmProgram::jit)))));
    }
    return out.stream();
  }

  /** {@return the program of {@code f}, verified for its memory} */
  static VmProgram load(ConformanceFile f) throws CompileException, VerifyException {
    Vm vm = Vm.builder().build();
    Context ctx = Context.writable(f.mem().length);
    if (f.raw() != null) return vm.load(f.raw(), ctx);
    return vm.load(AsmParser.parse(new Source(f.name() + ".data", f.asm())), ctx);
  }

  private static void check(ConformanceFile f, Function<VmProgram, Engine> engine) throws Exception {
    VmProgram p;
    try {
      p = load(f);
    } catch (VerifyException e) {
      if (f.error() != null) return;
      throw new AssertionError(f.name() + ": rejected: " + e.getMessage(), e);
    }
    MemorySegment mem = MemorySegment.ofArray(f.mem().clone());
    if (f.error() != null) {
      VmFault e = assertThrows(VmFault.class, () -> engine.apply(p).run(mem));
      assertTrue(e.getMessage().contains(f.error()), e.getMessage());
      return;
    }
    long r0 = engine.apply(p).run(mem);
    assertEquals(Long.toHexString(f.result()), Long.toHexString(r0), f.name());
  }
}
