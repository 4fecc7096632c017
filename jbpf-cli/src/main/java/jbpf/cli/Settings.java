package jbpf.cli;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import jbpf.lang.typed.TypedProgram;

/**
 * Compiler settings from bpftrace's environment variables, under both their bpftrace 0.17 names
 * ({@code BPFTRACE_MAP_KEYS_MAX}, {@code BPFTRACE_STRLEN}) and later bpftrace's ({@code BPFTRACE_MAX_MAP_KEYS},
 * {@code BPFTRACE_MAX_STRLEN}). A setting made here wins over the script's {@code config} block, as in bpftrace.
 */
final class Settings {
  private Settings() {}

  /** The largest {@code BPFTRACE_STRLEN}: string buffers live on the 512-byte BPF stack. */
  private static final int MAX_STRLEN = 200;

  static TypedProgram.Settings from(Map<String, String> env) {
    TypedProgram.Settings d = TypedProgram.Settings.DEFAULT;
    Set<String> set = new HashSet<>();
    long strlen = var(env, set, "max_strlen", d.maxStrlen(), "BPFTRACE_MAX_STRLEN", "BPFTRACE_STRLEN");
    if (strlen < 1 || strlen > MAX_STRLEN) throw new IllegalArgumentException("BPFTRACE_STRLEN must be from 1 to " + MAX_STRLEN);
    long keys = var(env, set, "max_map_keys", d.maxMapKeys(), "BPFTRACE_MAX_MAP_KEYS", "BPFTRACE_MAP_KEYS_MAX");
    if (keys < 1 || keys > Integer.MAX_VALUE) throw new IllegalArgumentException("BPFTRACE_MAP_KEYS_MAX must be from 1 to " + Integer.MAX_VALUE);
    int ring = d.ringBufBytes();
    long pages = var(env, set, "perf_rb_pages", 0, "BPFTRACE_PERF_RB_PAGES");
    if (pages != 0) {
      if (pages < 1 || pages > (1 << 18)) throw new IllegalArgumentException("BPFTRACE_PERF_RB_PAGES must be from 1 to " + (1 << 18));
      long bytes = Math.max(4096L, pages * 4096);
      ring = (int) Math.min(1L << 30, Long.highestOneBit(bytes - 1) << 1);
    }
    return new TypedProgram.Settings((int) strlen, (int) keys, ring, d.printMapsOnExit(), set, false);
  }

  /** {@return the value of the first of {@code names} that is set, recording {@code key} in {@code set}, or {@code dflt}} */
  private static long var(Map<String, String> env, Set<String> set, String key, long dflt, String... names) {
    for (String name : names) {
      String v = env.get(name);
      if (v == null || v.isBlank()) continue;
      try {
        long n = Long.parseLong(v.strip());
        if (n <= 0) throw new NumberFormatException();
        set.add(key);
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Env var '" + name + "' did not contain a valid uint64_t, or was zero-valued.");
      }
    }
    return dflt;
  }
}
