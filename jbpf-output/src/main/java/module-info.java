/** Values and their bpftrace-compatible text and JSON renderings. */
module jbpf.output {
  exports jbpf.output;
}
