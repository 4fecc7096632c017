/**
 * Probe types, their provider aliases, and the resolution of attach points as written into concrete
 * {@link jbpf.lang.probe.Attach} places, wildcards expanded against the running kernel.
 */
package jbpf.lang.probe;
