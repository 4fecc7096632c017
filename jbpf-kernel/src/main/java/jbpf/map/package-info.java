/**
 * Live kernel maps ({@link jbpf.map.BpfMap}) made from {@code MapSpec}s: lookups, updates, deletes, key walks and
 * batch reads through {@code bpf(2)}. See https://docs.kernel.org/bpf/maps.html and
 * https://docs.kernel.org/bpf/map_hash.html.
 */
package jbpf.map;
