/**
 * Probe types, their provider aliases, and the resolution of attach points as written into concrete
 * {@link jbpf.lang.probe.Attach} places: tracepoints and raw tracepoints, kprobes and kfuncs, uprobes and USDT probes
 * (files found as the dynamic linker finds them, symbols by their C++ names, offsets checked to fall on an
 * instruction), timers, software and hardware counters, and watchpoints; wildcards are expanded against the running
 * system through {@link jbpf.lang.types.AttachTargets}. {@link jbpf.lang.probe.ProbeArgs} types the arguments that
 * BTF describes. See https://docs.kernel.org/trace/uprobetracer.html and https://sourceware.org/systemtap/wiki/UserSpaceProbeImplementation
 * for the uprobe and USDT conventions followed.
 */
package jbpf.lang.probe;
