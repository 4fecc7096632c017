/** Pure building blocks: script sources and diagnostics, the eBPF instruction set, BTF, blueprints, ELF. */
module jbpf.core {
  exports jbpf.source;
  exports jbpf.asm;
  exports jbpf.asm.text;
  exports jbpf.spec;
  exports jbpf.btf;
  exports jbpf.elf;
}
