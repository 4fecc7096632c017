package jbpf.sys;

import static jbpf.sys.BpfAttr.chars;
import static jbpf.sys.BpfAttr.off;
import static jbpf.sys.BpfAttr.pad;
import static jbpf.sys.BpfAttr.u32;
import static jbpf.sys.BpfAttr.u64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The structs {@code BPF_OBJ_GET_INFO_BY_FD} fills in (include/uapi/linux/bpf.h, Linux 6.18), with the byte offset
 * of every field jbpf reads. The kernel copies at most as many bytes as it knows and reports that size in
 * {@code info_len}, so fields newer than the running kernel read as zero.
 */
public final class BpfInfo {
  private BpfInfo() {}

  /** struct bpf_prog_info. */
  public static final class Prog {
    private Prog() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("type"), u32("id"), chars(Bpf.BPF_TAG_SIZE, "tag"), u32("jited_prog_len"), u32("xlated_prog_len"),
        u64("jited_prog_insns"), u64("xlated_prog_insns"), u64("load_time"), u32("created_by_uid"), u32("nr_map_ids"),
        u64("map_ids"), chars(Bpf.BPF_OBJ_NAME_LEN, "name"), u32("ifindex"), u32("gpl_compatible"), u64("netns_dev"),
        u64("netns_ino"), u32("nr_jited_ksyms"), u32("nr_jited_func_lens"), u64("jited_ksyms"), u64("jited_func_lens"),
        u32("btf_id"), u32("func_info_rec_size"), u64("func_info"), u32("nr_func_info"), u32("nr_line_info"),
        u64("line_info"), u64("jited_line_info"), u32("nr_jited_line_info"), u32("line_info_rec_size"),
        u32("jited_line_info_rec_size"), u32("nr_prog_tags"), u64("prog_tags"), u64("run_time_ns"), u64("run_cnt"),
        u64("recursion_misses"), u32("verified_insns"), u32("attach_btf_obj_id"), u32("attach_btf_id"), pad(4));
    public static final long type = off(LAYOUT, "type");
    public static final long id = off(LAYOUT, "id");
    public static final long tag = off(LAYOUT, "tag");
    public static final long jited_prog_len = off(LAYOUT, "jited_prog_len");
    public static final long xlated_prog_len = off(LAYOUT, "xlated_prog_len");
    public static final long xlated_prog_insns = off(LAYOUT, "xlated_prog_insns");
    public static final long load_time = off(LAYOUT, "load_time");
    public static final long created_by_uid = off(LAYOUT, "created_by_uid");
    public static final long nr_map_ids = off(LAYOUT, "nr_map_ids");
    public static final long map_ids = off(LAYOUT, "map_ids");
    public static final long name = off(LAYOUT, "name");
    /** The word whose bit 0 is {@code gpl_compatible}. */
    public static final long gpl_compatible = off(LAYOUT, "gpl_compatible");
    public static final long btf_id = off(LAYOUT, "btf_id");
    public static final long run_time_ns = off(LAYOUT, "run_time_ns");
    public static final long run_cnt = off(LAYOUT, "run_cnt");
    public static final long recursion_misses = off(LAYOUT, "recursion_misses");
    public static final long verified_insns = off(LAYOUT, "verified_insns");
    public static final long attach_btf_obj_id = off(LAYOUT, "attach_btf_obj_id");
    public static final long attach_btf_id = off(LAYOUT, "attach_btf_id");
  }

  /** struct bpf_map_info. */
  public static final class Map {
    private Map() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("type"), u32("id"), u32("key_size"), u32("value_size"), u32("max_entries"), u32("map_flags"),
        chars(Bpf.BPF_OBJ_NAME_LEN, "name"), u32("ifindex"), u32("btf_vmlinux_value_type_id"), u64("netns_dev"),
        u64("netns_ino"), u32("btf_id"), u32("btf_key_type_id"), u32("btf_value_type_id"), u32("btf_vmlinux_id"),
        u64("map_extra"), u64("hash"), u32("hash_size"), pad(4));
    public static final long type = off(LAYOUT, "type");
    public static final long id = off(LAYOUT, "id");
    public static final long key_size = off(LAYOUT, "key_size");
    public static final long value_size = off(LAYOUT, "value_size");
    public static final long max_entries = off(LAYOUT, "max_entries");
    public static final long map_flags = off(LAYOUT, "map_flags");
    public static final long name = off(LAYOUT, "name");
    public static final long btf_id = off(LAYOUT, "btf_id");
  }

  /**
   * struct bpf_link_info: {@code type}, {@code id}, {@code prog_id}, then a union whose variant the link type
   * selects; the variants jbpf reads are laid out here.
   */
  public static final class Link {
    private Link() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("type"), u32("id"), u32("prog_id"), pad(4),
        MemoryLayout.unionLayout(
            MemoryLayout.structLayout(u64("tp_name"), u32("tp_name_len"), pad(4), u64("cookie")).withName("raw_tracepoint"),
            MemoryLayout.structLayout(u32("attach_type"), u32("target_obj_id"), u32("target_btf_id"), pad(4), u64("cookie"))
                .withName("tracing"),
            MemoryLayout.structLayout(u64("addrs"), u32("count"), u32("flags"), u64("missed"), u64("cookies"))
                .withName("kprobe_multi"),
            MemoryLayout.structLayout(u64("path"), u64("offsets"), u64("ref_ctr_offsets"), u64("cookies"), u32("path_size"),
                u32("count"), u32("flags"), u32("pid")).withName("uprobe_multi"),
            MemoryLayout.structLayout(u32("type"), pad(4),
                MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(u64("file_name"), u32("name_len"), u32("offset"), u64("cookie"),
                        u64("ref_ctr_offset")).withName("uprobe"),
                    MemoryLayout.structLayout(u64("func_name"), u32("name_len"), u32("offset"), u64("addr"), u64("missed"),
                        u64("cookie")).withName("kprobe"),
                    MemoryLayout.structLayout(u64("tp_name"), u32("name_len"), pad(4), u64("cookie")).withName("tracepoint"),
                    MemoryLayout.structLayout(u64("config"), u32("type"), pad(4), u64("cookie")).withName("event"))
                    .withName("e")).withName("perf_event")).withName("u"));
    public static final long type = off(LAYOUT, "type");
    public static final long id = off(LAYOUT, "id");
    public static final long prog_id = off(LAYOUT, "prog_id");
    public static final long raw_tracepoint_tp_name = off(LAYOUT, "u", "raw_tracepoint", "tp_name");
    public static final long raw_tracepoint_tp_name_len = off(LAYOUT, "u", "raw_tracepoint", "tp_name_len");
    public static final long raw_tracepoint_cookie = off(LAYOUT, "u", "raw_tracepoint", "cookie");
    public static final long tracing_attach_type = off(LAYOUT, "u", "tracing", "attach_type");
    public static final long tracing_target_btf_id = off(LAYOUT, "u", "tracing", "target_btf_id");
    public static final long kprobe_multi_count = off(LAYOUT, "u", "kprobe_multi", "count");
    public static final long kprobe_multi_flags = off(LAYOUT, "u", "kprobe_multi", "flags");
    public static final long uprobe_multi_count = off(LAYOUT, "u", "uprobe_multi", "count");
    public static final long uprobe_multi_flags = off(LAYOUT, "u", "uprobe_multi", "flags");
    public static final long uprobe_multi_pid = off(LAYOUT, "u", "uprobe_multi", "pid");
    public static final long perf_event_type = off(LAYOUT, "u", "perf_event", "type");
    public static final long perf_event_tracepoint_tp_name = off(LAYOUT, "u", "perf_event", "e", "tracepoint", "tp_name");
    public static final long perf_event_tracepoint_name_len = off(LAYOUT, "u", "perf_event", "e", "tracepoint", "name_len");
    public static final long perf_event_tracepoint_cookie = off(LAYOUT, "u", "perf_event", "e", "tracepoint", "cookie");
    public static final long perf_event_uprobe_file_name = off(LAYOUT, "u", "perf_event", "e", "uprobe", "file_name");
    public static final long perf_event_uprobe_name_len = off(LAYOUT, "u", "perf_event", "e", "uprobe", "name_len");
    public static final long perf_event_uprobe_offset = off(LAYOUT, "u", "perf_event", "e", "uprobe", "offset");
    public static final long perf_event_uprobe_cookie = off(LAYOUT, "u", "perf_event", "e", "uprobe", "cookie");
    public static final long perf_event_event_config = off(LAYOUT, "u", "perf_event", "e", "event", "config");
    public static final long perf_event_event_type = off(LAYOUT, "u", "perf_event", "e", "event", "type");
    public static final long perf_event_event_cookie = off(LAYOUT, "u", "perf_event", "e", "event", "cookie");
  }
}
