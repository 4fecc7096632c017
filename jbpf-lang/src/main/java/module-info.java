/** The bpftrace language compiler, from script text to eBPF blueprints. */
module jbpf.lang {
  requires transitive jbpf.core;
  exports jbpf.lang.ast;
  exports jbpf.lang.lex;
  exports jbpf.lang.parse;
}
