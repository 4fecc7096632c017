/**
 * Kernel objects made from blueprints: maps, programs, links, perf events, ring buffers, and probes of what the
 * running kernel supports.
 */
module jbpf.kernel {
  requires transitive jbpf.core;
  requires transitive jbpf.sys;

  exports jbpf.features;
  exports jbpf.map;
  exports jbpf.prog;
  exports jbpf.link;
  exports jbpf.perf;
  exports jbpf.ringbuf;

  provides jbpf.sys.FeatureProbe with jbpf.features.Features.Probe;
}
