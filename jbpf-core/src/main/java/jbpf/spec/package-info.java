/**
 * Blueprints of kernel objects ({@link jbpf.spec.MapSpec}, {@link jbpf.spec.ProgramSpec},
 * {@link jbpf.spec.CollectionSpec}): pure values, identical on every machine. See
 * https://docs.kernel.org/bpf/maps.html and https://docs.kernel.org/bpf/libbpf/program_types.html.
 */
package jbpf.spec;
