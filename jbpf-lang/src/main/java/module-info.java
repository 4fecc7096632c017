/** The bpftrace language compiler, from script text to eBPF blueprints. */
module jbpf.lang {
  requires transitive jbpf.core;
  requires jbpf.output;
  exports jbpf.lang;
  exports jbpf.lang.ast;
  exports jbpf.lang.builtins;
  exports jbpf.lang.codegen;
  exports jbpf.lang.lex;
  exports jbpf.lang.parse;
  exports jbpf.lang.probe;
  exports jbpf.lang.sema;
  exports jbpf.lang.typed;
  exports jbpf.lang.types;
}
