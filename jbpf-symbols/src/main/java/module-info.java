/** Symbol tables, demangling and stack symbolization. */
module jbpf.symbols {
  requires transitive jbpf.core;

  exports jbpf.demangle;
}
