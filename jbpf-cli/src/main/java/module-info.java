/** The jbpf command line. */
module jbpf.cli {
  requires jbpf.runtime;
  requires info.picocli;
  requires jdk.unsupported;
}
