/** The userspace eBPF runtime: verifier, interpreter, JIT to JVM bytecode. */
module jbpf.vm {
  requires transitive jbpf.core;
}
