package jbpf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small C programs the tests compile with gcc and run, so that what the kernel sees is known exactly. */
final class Workloads {
  private Workloads() {}

  /** {@return the executable built from {@code workloads/NAME.c}, named {@code exeName}, in {@code dir}} */
  static Path build(String name, Path dir, String exeName) throws IOException, InterruptedException {
    Path src = dir.resolve(name + ".c");
    try (InputStream in = Workloads.class.getResourceAsStream("/workloads/" + name + ".c")) {
      Files.copy(in, src);
    }
    Path exe = dir.resolve(exeName);
    Process cc = new ProcessBuilder(List.of("gcc", "-O1", "-fno-omit-frame-pointer", "-o", exe.toString(), src.toString()))
        .redirectErrorStream(true).start();
    String out = new String(cc.getInputStream().readAllBytes());
    if (cc.waitFor() != 0) throw new IOException("gcc failed for " + name + ":\n" + out);
    return exe;
  }
}
