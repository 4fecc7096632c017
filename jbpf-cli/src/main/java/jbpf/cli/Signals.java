package jbpf.cli;

import sun.misc.Signal;

/** Ctrl-C and {@code kill}: both end the script the way bpftrace does, running END and printing maps. */
final class Signals {
  private Signals() {}

  static void onInterrupt(Runnable action) {
    jbpf.sys.Sys.unignoreSignal(2);
    jbpf.sys.Sys.unignoreSignal(15);
    Signal.handle(new Signal("INT"), s -> action.run());
    Signal.handle(new Signal("TERM"), s -> action.run());
  }
}
