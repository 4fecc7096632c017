/** The eBPF interpreter and the instruction semantics it shares with the verifier (RFC 9669 section 4). */
package jbpf.vm.interp;
