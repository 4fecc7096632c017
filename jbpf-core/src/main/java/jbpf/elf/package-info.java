/**
 * ELF64 little-endian files, read lazily from a mapped file: headers, segments, sections, symbol tables,
 * notes (build id, SystemTap USDT probes), debug links, the translation of virtual addresses into the file
 * offsets uprobes attach at, and clang-built BPF objects turned into a {@link jbpf.spec.CollectionSpec}.
 * Formats: the System V ABI (https://refspecs.linuxfoundation.org/elf/gabi4+/contents.html), its x86-64
 * supplement, https://sourceware.org/systemtap/wiki/UserSpaceProbeImplementation for USDT notes, and
 * https://docs.kernel.org/bpf/llvm_reloc.html for BPF relocations.
 */
package jbpf.elf;
