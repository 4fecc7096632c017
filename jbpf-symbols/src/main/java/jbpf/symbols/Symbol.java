package jbpf.symbols;

import java.util.Objects;

/**
 * A named address range.
 *
 * @param name the symbol's name as stored (mangled for C++ and Rust)
 * @param address its start address, in the address space of the table that holds it
 * @param size its size in bytes; 0 if unknown, in which case it extends to the next symbol
 */
public record Symbol(String name, long address, long size) {
  public Symbol {
    Objects.requireNonNull(name);
  }
}
