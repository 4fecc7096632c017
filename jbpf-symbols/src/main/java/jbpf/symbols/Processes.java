package jbpf.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a process read from {@code /proc/PID}. */
final class Processes {
  private Processes() {}

  /** {@return the process's root directory as seen from here: {@code /proc/PID/root}, or {@code /} for ourselves} */
  static Path root(int pid) {
    if (pid == ProcessHandle.current().pid()) return Path.of("/");
    Path root = Path.of("/proc", Integer.toString(pid), "root");
    // without CAP_SYS_PTRACE another user's root link cannot be followed; the shared root is the best guess then
    return Files.isReadable(root) ? root : Path.of("/");
  }

  /** {@return the process's working directory as seen from here} */
  static Path cwd(int pid) { return Path.of("/proc", Integer.toString(pid), "cwd"); }

  /**
   * {@return the process's pid in its own pid namespace, the last field of the {@code NSpid:} line of
   * {@code /proc/PID/status}: {@code NSpid:	4711	1}}
   */
  static int namespacePid(int pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"), StandardCharsets.UTF_8))
      if (line.startsWith("NSpid:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        return Integer.parseInt(f[f.length - 1]);
      }
    return pid;
  }
}
