/**
 * The bpf_conformance plugin contract (https://github.com/Alan-Jowett/bpf_conformance, {@code src/runner.cc}):
 * a program as hex bytes on standard input, the memory {@code r1} points at as a hex argument, {@code r0} printed
 * in hex.
 */
package jbpf.vm.plugin;
