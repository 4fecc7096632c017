package jbpf.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A small C program from the test resources, compiled with gcc into a temporary directory and run under the
 * test's control: it prints lines the test reads, and waits for lines the test sends.
 */
public final class CProgram implements AutoCloseable {
  private final Path dir;
  private final Path binary;
  private Process process;
  private BufferedReader out;
  private OutputStream in;

  private CProgram(Path dir, Path binary) {
    this.dir = dir;
    this.binary = binary;
  }

  /** Compiles resource {@code name} (a {@code .c} file next to this class); skips the test without gcc. */
  public static CProgram compile(String name, String... flags) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("jbpf-test-");
    Path src = dir.resolve(name);
    try (InputStream s = CProgram.class.getResourceAsStream(name)) {
      if (s == null) throw new IllegalStateException("no test resource " + name);
      Files.copy(s, src);
    }
    Path bin = dir.resolve(name.replace(".c", ""));
    List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-O1", "-g", "-o", bin.toString(), src.toString()));
    cmd.addAll(List.of(flags));
    Process gcc;
    try {
      gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("needs gcc to build test program " + name + ": " + e.getMessage());
      throw e;
    }
    String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gcc.waitFor() != 0) throw new IllegalStateException("gcc failed on " + name + ":\n" + log);
    return new CProgram(dir, bin);
  }

  /** {@return the compiled binary} */
  public Path binary() { return binary; }

  /** Starts the program. */
  public CProgram start() throws IOException {
    process = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = process.getOutputStream();
    return this;
  }

  /** {@return the program's pid} */
  public int pid() { return (int) process.pid(); }

  /** {@return the next line the program printed} @throws IOException if it ended instead */
  public String readLine() throws IOException {
    String l = out.readLine();
    if (l == null) throw new IOException(binary.getFileName() + " ended without output");
    return l;
  }

  /** Sends {@code line} to the program's standard input. */
  public void send(String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** {@return the exit status, after waiting for the program to end} */
  public int waitFor() throws InterruptedException { return process.waitFor(); }

  /**
   * {@return the file offset of {@code address} in the program's binary}, from the program's
   * {@code /proc/PID/maps}: a line {@code 55d0c6a00000-55d0c6a01000 r-xp 00001000 fe:01 123 /tmp/x} maps file offset
   * 0x1000 at 0x55d0c6a00000.
   */
  public long fileOffset(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid()), "maps"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6 || !f[5].equals(binary.toString())) continue;
      String[] range = f[0].split("-");
      long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
      if (address >= start && address < end) return address - start + Long.parseUnsignedLong(f[2], 16);
    }
    throw new IllegalStateException("address 0x" + Long.toHexString(address) + " is not in a mapping of " + binary);
  }

  @Override public void close() throws IOException {
    if (process != null && process.isAlive()) process.destroyForcibly();
    if (process != null) {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process.getInputStream().close();
      process.getOutputStream().close();
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }
}
