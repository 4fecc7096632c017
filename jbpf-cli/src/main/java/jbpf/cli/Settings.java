package jbpf.cli;

import java.util.Map;
import jbpf.lang.typed.TypedProgram;

/** Compiler settings from bpftrace's environment variables. */
final class Settings {
  private Settings() {}

  static TypedProgram.Settings from(Map<String, String> env) {
    TypedProgram.Settings d = TypedProgram.Settings.DEFAULT;
    int strlen = intVar(env, "BPFTRACE_STRLEN", d.maxStrlen());
    if (strlen < 1 || strlen > 200) throw new IllegalArgumentException("BPFTRACE_STRLEN must be from 1 to 200");
    int keys = intVar(env, "BPFTRACE_MAP_KEYS_MAX", d.maxMapKeys());
    return new TypedProgram.Settings(strlen, keys, d.ringBufBytes());
  }

  private static int intVar(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Env var '" + name + "' did not contain a valid uint64_t, or was zero-valued.");
    }
  }
}
