/** Kernel objects made from blueprints. */
module jbpf.kernel {
  requires transitive jbpf.core;
  requires transitive jbpf.sys;
}
