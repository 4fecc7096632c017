/** The userspace eBPF runtime: verifier, interpreter, JIT to JVM bytecode, event filters. */
module jbpf.vm {
  requires transitive jbpf.core;
  requires transitive jbpf.lang;
  exports jbpf.vm;
  exports jbpf.vm.verify;
  exports jbpf.vm.interp;
  exports jbpf.vm.jit;
  exports jbpf.vm.plugin;
  exports jbpf.vm.filter;
}
