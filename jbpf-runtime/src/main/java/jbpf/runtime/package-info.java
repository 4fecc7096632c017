/**
 * The tracer runtime: compiled scripts made live ({@link jbpf.runtime.Tracer}), the kernel as the compiler sees
 * it ({@link jbpf.runtime.TracefsKernelInfo}), and the decoding of what programs write back into values to print.
 */
package jbpf.runtime;
