package jbpf.symbols;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node writes its JIT symbols to /tmp/perf-PID.map as it runs with --perf-basic-prof. */
class NodePerfMapTest {
  @TempDir Path tmp;
  private Process node;
  private Path perfMap;

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.destroyForcibly();
      node.waitFor();
    }
    if (perfMap != null) Files.deleteIfExists(perfMap);
  }

  @Test
  void namesJitCompiledJavaScript() throws Exception {
    Toolchain.require("node", "nodejs");
    Files.writeString(tmp.resolve("spin.js"), """
        function hotLoopForJbpf(x) { let s = 0; for (let i = 0; i < 1000; i++) s += (x ^ i) * 31; return s; }
        console.log("started");
        let t = 0;
        const end = Date.now() + 120000;
        while (Date.now() < end) { t += hotLoopForJbpf(t) & 0xff; }
        """);
    node = new ProcessBuilder("node", "--perf-basic-prof", "spin.js").directory(tmp.toFile()).redirectErrorStream(true).start();
    assertEquals("started", new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream())).readLine());
    int pid = (int) node.pid();
    perfMap = Path.of("/tmp/perf-" + pid + ".map");
    Optional<Symbol> hot = Optional.empty();
    for (int i = 0; i < 100 && hot.isEmpty(); i++) {
      Thread.sleep(200);
      if (Files.exists(perfMap))
        hot = PerfMap.load(perfMap).symbols().stream().filter(s -> s.name().contains("hotLoopForJbpf")).findFirst();
    }
    assertTrue(hot.isPresent(), "node named hotLoopForJbpf in " + perfMap);
    UserSymbolizer s = UserSymbolizer.of(pid, UserSymbolizer.Options.BPFTRACE);
    Frame f = s.resolve(hot.get().address() + 1);
    assertEquals(hot.get().name(), f.symbol());
    assertEquals(perfMap.toString(), f.module());
  }
}
