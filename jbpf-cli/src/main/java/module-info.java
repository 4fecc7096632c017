/** The jbpf command line. */
module jbpf.cli {
  requires jbpf.runtime;
  requires jdk.unsupported;
}
