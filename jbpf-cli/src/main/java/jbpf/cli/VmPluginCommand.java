package jbpf.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** {@code jbpf vm-plugin}: the bpf_conformance runner contract, served by the userspace VM. */
final class VmPluginCommand {
  private VmPluginCommand() {}

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    err.println("ERROR: vm-plugin is not available in this build");
    return 1;
  }
}
