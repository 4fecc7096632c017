package jbpf.cli;

import java.io.InputStream;
import java.io.PrintStream;
import jbpf.vm.plugin.VmPlugin;

/** {@code jbpf vm-plugin}: the bpf_conformance runner contract, served by the userspace VM. */
final class VmPluginCommand {
  private VmPluginCommand() {}

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return VmPlugin.run(args, in, out, err);
  }
}
