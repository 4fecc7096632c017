/**
 * The userspace verifier: abstract interpretation over register and stack states, in the spirit of the kernel's
 * (https://docs.kernel.org/bpf/verifier.html), proving every memory access in bounds and every read initialised.
 */
package jbpf.vm.verify;
