package jbpf.symbols;

/**
 * A function a uprobe can attach to.
 *
 * @param symbol the symbol's name as stored in the file (mangled for C++ and Rust)
 * @param demangled the demangled name, or {@code symbol} itself for C names
 * @param address the symbol's link-time virtual address
 * @param fileOffset the file offset of {@code address}: what the kernel's uprobe interface takes
 */
public record ProbeTarget(String symbol, String demangled, long address, long fileOffset) {}
