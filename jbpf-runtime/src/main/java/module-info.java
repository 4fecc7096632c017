/** The tracer runtime: compile, load, attach, poll, decode, print. */
module jbpf.runtime {
  requires transitive jbpf.core;
  requires transitive jbpf.lang;
  requires transitive jbpf.output;
  requires transitive jbpf.symbols;
  requires transitive jbpf.vm;
  requires transitive jbpf.sys;
  requires transitive jbpf.kernel;
  requires jdk.unsupported;
  exports jbpf.runtime;
}
