/** Values and their bpftrace-compatible text and JSON renderings; flame graphs and heat maps drawn from maps. */
module jbpf.output {
  exports jbpf.output;
  exports jbpf.output.picture;
}
