package jbpf.sys;

import static jbpf.sys.BpfAttr.off;
import static jbpf.sys.BpfAttr.u32;
import static jbpf.sys.BpfAttr.u64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * struct perf_event_attr, include/uapi/linux/perf_event.h (Linux 6.18, {@code PERF_ATTR_SIZE_VER8}). The one-bit
 * flags share the 64-bit word at {@link #flags}; the {@code FLAG_*} constants are their masks.
 */
public final class PerfEventAttr {
  private PerfEventAttr() {}

  public static final StructLayout LAYOUT = MemoryLayout.structLayout(
      u32("type"), u32("size"), u64("config"), u64("sample_period"), u64("sample_type"), u64("read_format"),
      u64("flags"), u32("wakeup_events"), u32("bp_type"), u64("config1"), u64("config2"), u64("branch_sample_type"),
      u64("sample_regs_user"), u32("sample_stack_user"), u32("clockid"), u64("sample_regs_intr"), u32("aux_watermark"),
      ValueLayout.JAVA_SHORT.withName("sample_max_stack"), ValueLayout.JAVA_SHORT.withName("__reserved_2"),
      u32("aux_sample_size"), u32("aux_action"), u64("sig_data"), u64("config3"));

  public static final long type = off(LAYOUT, "type");
  public static final long size = off(LAYOUT, "size");
  public static final long config = off(LAYOUT, "config");
  /** {@code sample_period}, or {@code sample_freq} when {@link #FLAG_freq} is set (a union in the kernel). */
  public static final long sample_period = off(LAYOUT, "sample_period");
  public static final long sample_freq = sample_period;
  public static final long sample_type = off(LAYOUT, "sample_type");
  public static final long read_format = off(LAYOUT, "read_format");
  /** The word of one-bit flags ({@code disabled}, {@code inherit}, ... {@code sigtrap}). */
  public static final long flags = off(LAYOUT, "flags");
  /** {@code wakeup_events}, or {@code wakeup_watermark}. */
  public static final long wakeup_events = off(LAYOUT, "wakeup_events");
  public static final long bp_type = off(LAYOUT, "bp_type");
  /** {@code config1}: also {@code bp_addr}, {@code kprobe_func}, {@code uprobe_path}. */
  public static final long config1 = off(LAYOUT, "config1");
  public static final long bp_addr = config1;
  public static final long kprobe_func = config1;
  public static final long uprobe_path = config1;
  /** {@code config2}: also {@code bp_len}, {@code kprobe_addr}, {@code probe_offset}. */
  public static final long config2 = off(LAYOUT, "config2");
  public static final long bp_len = config2;
  public static final long kprobe_addr = config2;
  public static final long probe_offset = config2;

  /** {@code PERF_ATTR_SIZE_VER8}: the size this layout has, stored in {@code size}. */
  public static final int PERF_ATTR_SIZE_VER8 = (int) LAYOUT.byteSize();

  public static final long FLAG_disabled = 1L;
  public static final long FLAG_inherit = 1L << 1;
  public static final long FLAG_pinned = 1L << 2;
  public static final long FLAG_exclusive = 1L << 3;
  public static final long FLAG_exclude_user = 1L << 4;
  public static final long FLAG_exclude_kernel = 1L << 5;
  public static final long FLAG_exclude_hv = 1L << 6;
  public static final long FLAG_exclude_idle = 1L << 7;
  public static final long FLAG_freq = 1L << 10;
  public static final long FLAG_watermark = 1L << 14;
}
