package jbpf.elf;

import java.util.Map;

/**
 * A BPF object file read by {@link BpfObjectReader}: its maps and programs, and the ELF section each program came
 * from, which by libbpf's convention names where it attaches ({@code kprobe/vfs_read}, {@code tracepoint/sched/sched_switch}).
 *
 * @param collection the maps and programs
 * @param sections program name → section name
 */
public record BpfObject(jbpf.spec.CollectionSpec collection, Map<String, String> sections) {
  public BpfObject {
    sections = Map.copyOf(sections);
  }
}
