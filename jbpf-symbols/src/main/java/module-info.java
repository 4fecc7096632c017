/** Symbol tables, demangling and stack symbolization. */
module jbpf.symbols {
  requires transitive jbpf.core;
  requires org.tukaani.xz;

  exports jbpf.demangle;
  exports jbpf.symbols;
}
