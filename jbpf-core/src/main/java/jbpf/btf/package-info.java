/**
 * BPF Type Format (https://docs.kernel.org/bpf/btf.html): a lazy reader for raw and split BTF ({@link jbpf.btf.Btf}),
 * the type model as sealed records ({@link jbpf.btf.BtfType}), C-syntax printing of types and signatures, and a
 * writer ({@link jbpf.btf.BtfBuilder}) with {@link jbpf.btf.FuncInfo} records for loading programs with BTF.
 */
package jbpf.btf;
