/**
 * Demanglers for the symbol names compilers write: the Itanium C++ ABI
 * (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling), printed as GNU {@code c++filt} prints it, and
 * Rust's legacy and v0 schemes (https://doc.rust-lang.org/rustc/symbol-mangling/v0.html), printed as
 * {@code rustfilt} prints them. Each returns {@code null} for a name it cannot demangle and never throws.
 */
package jbpf.demangle;
