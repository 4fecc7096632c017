package jbpf.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The members of {@code union bpf_attr} (include/uapi/linux/bpf.h, Linux 6.18), one layout per group of commands,
 * with the byte offset of every field named as the kernel names it.
 *
 * <p>{@code bpf(2)} is given the size of the member it needs: the kernel zero-fills what a shorter attr lacks,
 * and refuses non-zero bytes past the last field it knows, so a field newer than the running kernel must stay
 * zero unless the feature is wanted (CHECK_ATTR in kernel/bpf/syscall.c).
 */
public final class BpfAttr {
  private BpfAttr() {}

  static ValueLayout u32(String name) { return ValueLayout.JAVA_INT.withName(name); }

  static ValueLayout u64(String name) { return ValueLayout.JAVA_LONG.withName(name); }

  static MemoryLayout chars(int n, String name) { return MemoryLayout.sequenceLayout(n, ValueLayout.JAVA_BYTE).withName(name); }

  static MemoryLayout pad(int n) { return MemoryLayout.paddingLayout(n); }

  static long off(StructLayout layout, String... path) {
    MemoryLayout.PathElement[] p = new MemoryLayout.PathElement[path.length];
    for (int i = 0; i < path.length; i++) p[i] = groupElement(path[i]);
    return layout.byteOffset(p);
  }

  /** The {@code BPF_MAP_CREATE} member. */
  public static final class MapCreate {
    private MapCreate() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("map_type"), u32("key_size"), u32("value_size"), u32("max_entries"), u32("map_flags"), u32("inner_map_fd"),
        u32("numa_node"), chars(Bpf.BPF_OBJ_NAME_LEN, "map_name"), u32("map_ifindex"), u32("btf_fd"),
        u32("btf_key_type_id"), u32("btf_value_type_id"), u32("btf_vmlinux_value_type_id"), u64("map_extra"));
    public static final long map_type = off(LAYOUT, "map_type");
    public static final long key_size = off(LAYOUT, "key_size");
    public static final long value_size = off(LAYOUT, "value_size");
    public static final long max_entries = off(LAYOUT, "max_entries");
    public static final long map_flags = off(LAYOUT, "map_flags");
    public static final long inner_map_fd = off(LAYOUT, "inner_map_fd");
    public static final long map_name = off(LAYOUT, "map_name");
    public static final long btf_fd = off(LAYOUT, "btf_fd");
    public static final long btf_key_type_id = off(LAYOUT, "btf_key_type_id");
    public static final long btf_value_type_id = off(LAYOUT, "btf_value_type_id");
    public static final long map_extra = off(LAYOUT, "map_extra");
  }

  /** The member of {@code BPF_MAP_LOOKUP_ELEM}, {@code _UPDATE_ELEM}, {@code _DELETE_ELEM}, {@code _GET_NEXT_KEY}. */
  public static final class MapElem {
    private MapElem() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("map_fd"), pad(4), u64("key"), u64("value"), u64("flags"));
    public static final long map_fd = off(LAYOUT, "map_fd");
    public static final long key = off(LAYOUT, "key");
    /** {@code value}, or {@code next_key} for {@code BPF_MAP_GET_NEXT_KEY} (a union in the kernel). */
    public static final long value = off(LAYOUT, "value");
    public static final long next_key = value;
    public static final long flags = off(LAYOUT, "flags");
  }

  /** The {@code batch} member, of {@code BPF_MAP_LOOKUP_BATCH} and friends. */
  public static final class MapBatch {
    private MapBatch() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u64("in_batch"), u64("out_batch"), u64("keys"), u64("values"), u32("count"), u32("map_fd"),
        u64("elem_flags"), u64("flags"));
    public static final long in_batch = off(LAYOUT, "in_batch");
    public static final long out_batch = off(LAYOUT, "out_batch");
    public static final long keys = off(LAYOUT, "keys");
    public static final long values = off(LAYOUT, "values");
    public static final long count = off(LAYOUT, "count");
    public static final long map_fd = off(LAYOUT, "map_fd");
    public static final long elem_flags = off(LAYOUT, "elem_flags");
    public static final long flags = off(LAYOUT, "flags");
  }

  /** The {@code BPF_PROG_LOAD} member, up to {@code log_true_size} (Linux 6.4); later fields stay zero. */
  public static final class ProgLoad {
    private ProgLoad() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("prog_type"), u32("insn_cnt"), u64("insns"), u64("license"), u32("log_level"), u32("log_size"),
        u64("log_buf"), u32("kern_version"), u32("prog_flags"), chars(Bpf.BPF_OBJ_NAME_LEN, "prog_name"),
        u32("prog_ifindex"), u32("expected_attach_type"), u32("prog_btf_fd"), u32("func_info_rec_size"),
        u64("func_info"), u32("func_info_cnt"), u32("line_info_rec_size"), u64("line_info"), u32("line_info_cnt"),
        u32("attach_btf_id"), u32("attach_btf_obj_fd"), u32("core_relo_cnt"), u64("fd_array"), u64("core_relos"),
        u32("core_relo_rec_size"), u32("log_true_size"));
    public static final long prog_type = off(LAYOUT, "prog_type");
    public static final long insn_cnt = off(LAYOUT, "insn_cnt");
    public static final long insns = off(LAYOUT, "insns");
    public static final long license = off(LAYOUT, "license");
    public static final long log_level = off(LAYOUT, "log_level");
    public static final long log_size = off(LAYOUT, "log_size");
    public static final long log_buf = off(LAYOUT, "log_buf");
    public static final long kern_version = off(LAYOUT, "kern_version");
    public static final long prog_flags = off(LAYOUT, "prog_flags");
    public static final long prog_name = off(LAYOUT, "prog_name");
    public static final long expected_attach_type = off(LAYOUT, "expected_attach_type");
    public static final long prog_btf_fd = off(LAYOUT, "prog_btf_fd");
    public static final long func_info_rec_size = off(LAYOUT, "func_info_rec_size");
    public static final long func_info = off(LAYOUT, "func_info");
    public static final long func_info_cnt = off(LAYOUT, "func_info_cnt");
    public static final long line_info_rec_size = off(LAYOUT, "line_info_rec_size");
    public static final long line_info = off(LAYOUT, "line_info");
    public static final long line_info_cnt = off(LAYOUT, "line_info_cnt");
    public static final long attach_btf_id = off(LAYOUT, "attach_btf_id");
    /** {@code attach_btf_obj_fd}, which shares its place with {@code attach_prog_fd}. */
    public static final long attach_btf_obj_fd = off(LAYOUT, "attach_btf_obj_fd");
    public static final long attach_prog_fd = attach_btf_obj_fd;
    public static final long fd_array = off(LAYOUT, "fd_array");
    public static final long log_true_size = off(LAYOUT, "log_true_size");
  }

  /** The {@code test} member, of {@code BPF_PROG_TEST_RUN}. */
  public static final class TestRun {
    private TestRun() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("prog_fd"), u32("retval"), u32("data_size_in"), u32("data_size_out"), u64("data_in"), u64("data_out"),
        u32("repeat"), u32("duration"), u32("ctx_size_in"), u32("ctx_size_out"), u64("ctx_in"), u64("ctx_out"),
        u32("flags"), u32("cpu"), u32("batch_size"), pad(4));
    public static final long prog_fd = off(LAYOUT, "prog_fd");
    public static final long retval = off(LAYOUT, "retval");
    public static final long data_size_in = off(LAYOUT, "data_size_in");
    public static final long data_size_out = off(LAYOUT, "data_size_out");
    public static final long data_in = off(LAYOUT, "data_in");
    public static final long data_out = off(LAYOUT, "data_out");
    public static final long repeat = off(LAYOUT, "repeat");
    public static final long duration = off(LAYOUT, "duration");
    public static final long ctx_size_in = off(LAYOUT, "ctx_size_in");
    public static final long ctx_size_out = off(LAYOUT, "ctx_size_out");
    public static final long ctx_in = off(LAYOUT, "ctx_in");
    public static final long ctx_out = off(LAYOUT, "ctx_out");
    public static final long flags = off(LAYOUT, "flags");
    public static final long cpu = off(LAYOUT, "cpu");
  }

  /** The member of {@code BPF_*_GET_NEXT_ID} and {@code BPF_*_GET_FD_BY_ID}. */
  public static final class GetId {
    private GetId() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(u32("start_id"), u32("next_id"), u32("open_flags"));
    /** {@code start_id}, which shares its place with {@code prog_id}, {@code map_id}, {@code btf_id}, {@code link_id}. */
    public static final long start_id = off(LAYOUT, "start_id");
    public static final long id = start_id;
    public static final long next_id = off(LAYOUT, "next_id");
    public static final long open_flags = off(LAYOUT, "open_flags");
  }

  /** The {@code info} member, of {@code BPF_OBJ_GET_INFO_BY_FD}. */
  public static final class Info {
    private Info() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(u32("bpf_fd"), u32("info_len"), u64("info"));
    public static final long bpf_fd = off(LAYOUT, "bpf_fd");
    public static final long info_len = off(LAYOUT, "info_len");
    public static final long info = off(LAYOUT, "info");
  }

  /** The {@code raw_tracepoint} member, of {@code BPF_RAW_TRACEPOINT_OPEN}; {@code cookie} since Linux 6.10. */
  public static final class RawTracepoint {
    private RawTracepoint() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(u64("name"), u32("prog_fd"), pad(4), u64("cookie"));
    public static final long name = off(LAYOUT, "name");
    public static final long prog_fd = off(LAYOUT, "prog_fd");
    public static final long cookie = off(LAYOUT, "cookie");
  }

  /**
   * The {@code link_create} member, of {@code BPF_LINK_CREATE}: four common fields, then a union whose variant the
   * attach type selects ({@code perf_event}, {@code kprobe_multi}, {@code tracing}, {@code uprobe_multi}).
   */
  public static final class LinkCreate {
    private LinkCreate() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u32("prog_fd"), u32("target_fd"), u32("attach_type"), u32("flags"),
        MemoryLayout.unionLayout(
            u32("target_btf_id"),
            MemoryLayout.structLayout(u64("bpf_cookie")).withName("perf_event"),
            MemoryLayout.structLayout(u32("flags"), u32("cnt"), u64("syms"), u64("addrs"), u64("cookies")).withName("kprobe_multi"),
            MemoryLayout.structLayout(u32("target_btf_id"), pad(4), u64("cookie")).withName("tracing"),
            MemoryLayout.structLayout(u64("path"), u64("offsets"), u64("ref_ctr_offsets"), u64("cookies"), u32("cnt"),
                u32("flags"), u32("pid"), pad(4)).withName("uprobe_multi")).withName("u"));
    public static final long prog_fd = off(LAYOUT, "prog_fd");
    public static final long target_fd = off(LAYOUT, "target_fd");
    public static final long attach_type = off(LAYOUT, "attach_type");
    public static final long flags = off(LAYOUT, "flags");
    public static final long target_btf_id = off(LAYOUT, "u", "target_btf_id");
    public static final long perf_event_bpf_cookie = off(LAYOUT, "u", "perf_event", "bpf_cookie");
    public static final long kprobe_multi_flags = off(LAYOUT, "u", "kprobe_multi", "flags");
    public static final long kprobe_multi_cnt = off(LAYOUT, "u", "kprobe_multi", "cnt");
    public static final long kprobe_multi_syms = off(LAYOUT, "u", "kprobe_multi", "syms");
    public static final long kprobe_multi_addrs = off(LAYOUT, "u", "kprobe_multi", "addrs");
    public static final long kprobe_multi_cookies = off(LAYOUT, "u", "kprobe_multi", "cookies");
    public static final long tracing_target_btf_id = off(LAYOUT, "u", "tracing", "target_btf_id");
    public static final long tracing_cookie = off(LAYOUT, "u", "tracing", "cookie");
    public static final long uprobe_multi_path = off(LAYOUT, "u", "uprobe_multi", "path");
    public static final long uprobe_multi_offsets = off(LAYOUT, "u", "uprobe_multi", "offsets");
    public static final long uprobe_multi_ref_ctr_offsets = off(LAYOUT, "u", "uprobe_multi", "ref_ctr_offsets");
    public static final long uprobe_multi_cookies = off(LAYOUT, "u", "uprobe_multi", "cookies");
    public static final long uprobe_multi_cnt = off(LAYOUT, "u", "uprobe_multi", "cnt");
    public static final long uprobe_multi_flags = off(LAYOUT, "u", "uprobe_multi", "flags");
    public static final long uprobe_multi_pid = off(LAYOUT, "u", "uprobe_multi", "pid");
  }

  /** The member of {@code BPF_BTF_LOAD}, up to {@code btf_log_true_size} (Linux 6.4); later fields stay zero. */
  public static final class BtfLoad {
    private BtfLoad() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        u64("btf"), u64("btf_log_buf"), u32("btf_size"), u32("btf_log_size"), u32("btf_log_level"), u32("btf_log_true_size"));
    public static final long btf = off(LAYOUT, "btf");
    public static final long btf_log_buf = off(LAYOUT, "btf_log_buf");
    public static final long btf_size = off(LAYOUT, "btf_size");
    public static final long btf_log_size = off(LAYOUT, "btf_log_size");
    public static final long btf_log_level = off(LAYOUT, "btf_log_level");
    public static final long btf_log_true_size = off(LAYOUT, "btf_log_true_size");
  }

  /** The {@code enable_stats} member, of {@code BPF_ENABLE_STATS}. */
  public static final class EnableStats {
    private EnableStats() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(u32("type"));
    public static final long type = off(LAYOUT, "type");
  }
}
