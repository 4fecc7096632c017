package jbpf.symbols;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds test programs with the compilers of this machine; tests needing one skip with a reason when it is absent. */
final class Toolchain {
  private Toolchain() {}

  static boolean has(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    return false;
  }

  static void require(String tool, String apt) {
    assumeTrue(has(tool), "skipped: needs " + tool + "; install it, e.g. apt-get install " + apt);
  }

  /** Skips the test unless it runs as root, saying what for. */
  static void requireRoot(String why) {
    boolean root = false;
    try {
      root = Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      // not Linux: not root either
    }
    assumeTrue(root, "skipped: " + why + " needs root; run as root, e.g. sudo mvn verify");
  }

  /** Runs {@code cmd} in {@code dir}; fails the test with the tool's output if it exits non-zero. */
  static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " timed out");
    }
    if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  /** Compiles C++ source {@code src} with g++ into {@code dir/name}. */
  static Path gxx(Path dir, String name, String src, String... flags) throws IOException, InterruptedException {
    require("g++", "g++");
    Path c = dir.resolve(name + ".cc");
    Files.writeString(c, src);
    List<String> cmd = new ArrayList<>(List.of("g++", "-o", name, c.getFileName().toString()));
    cmd.addAll(List.of(flags));
    run(dir, cmd.toArray(String[]::new));
    return dir.resolve(name);
  }

  /** Compiles C source {@code src} with gcc into {@code dir/name}. */
  static Path gcc(Path dir, String name, String src, String... flags) throws IOException, InterruptedException {
    require("gcc", "gcc");
    Path c = dir.resolve(name + ".c");
    Files.writeString(c, src);
    List<String> cmd = new ArrayList<>(List.of("gcc", "-o", name, c.getFileName().toString()));
    cmd.addAll(List.of(flags));
    run(dir, cmd.toArray(String[]::new));
    return dir.resolve(name);
  }
}
