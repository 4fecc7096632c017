package jbpf.lang.sema;

import java.util.List;
import java.util.Locale;
import jbpf.lang.ast.ConfigEntry;
import jbpf.lang.ast.Expr;
import jbpf.lang.typed.TypedProgram.Settings;
import jbpf.source.Diagnostic;

/**
 * Applies a script's {@code config = { key = value; ... }} block to the settings, as bpftrace does: keys are
 * matched without regard to case and may carry a {@code BPFTRACE_} prefix ({@code BPFTRACE_MAX_MAP_KEYS}), and a
 * key that an environment variable already set keeps the environment's value. The older names {@code strlen} and
 * {@code map_keys_max} mean {@code max_strlen} and {@code max_map_keys}.
 */
final class ScriptConfig {
  private ScriptConfig() {}

  /** The largest string buffer, which lives on the 512-byte BPF stack. */
  static final int MAX_STRLEN = 200;

  /** {@return {@code settings} with the block's entries applied; problems are added to {@code errors}} */
  static Settings apply(List<ConfigEntry> config, Settings settings, List<Diagnostic> errors) {
    Settings s = settings;
    for (ConfigEntry e : config) {
      String key = e.key().toLowerCase(Locale.ROOT);
      if (key.startsWith("bpftrace_")) key = key.substring("bpftrace_".length());
      key = switch (key) {
        case "strlen" -> "max_strlen";
        case "map_keys_max" -> "max_map_keys";
        default -> key;
      };
      switch (key) {
        case "max_map_keys" -> {
          Long v = integer(e, errors);
          if (v == null) continue;
          if (v < 1 || v > Integer.MAX_VALUE) { errors.add(Diagnostic.error(e.span(), "max_map_keys must be from 1 to " + Integer.MAX_VALUE + " (" + v + " provided)")); continue; }
          if (!s.fromEnvironment().contains(key)) s = new Settings(s.maxStrlen(), v.intValue(), s.ringBufBytes(), s.printMapsOnExit(), s.fromEnvironment(), s.unsafe());
        }
        case "max_strlen" -> {
          Long v = integer(e, errors);
          if (v == null) continue;
          if (v < 1 || v > MAX_STRLEN) { errors.add(Diagnostic.error(e.span(), "max_strlen must be from 1 to " + MAX_STRLEN + " (" + v + " provided)")); continue; }
          if (!s.fromEnvironment().contains(key)) s = new Settings(v.intValue(), s.maxMapKeys(), s.ringBufBytes(), s.printMapsOnExit(), s.fromEnvironment(), s.unsafe());
        }
        case "perf_rb_pages" -> {
          Long v = integer(e, errors);
          if (v == null) continue;
          if (v < 1 || v > (1 << 18)) { errors.add(Diagnostic.error(e.span(), "perf_rb_pages must be from 1 to " + (1 << 18) + " (" + v + " provided)")); continue; }
          if (!s.fromEnvironment().contains(key)) s = new Settings(s.maxStrlen(), s.maxMapKeys(), ringBufBytes(v.intValue()), s.printMapsOnExit(), s.fromEnvironment(), s.unsafe());
        }
        case "print_maps_on_exit" -> {
          Boolean v = bool(e, errors);
          if (v == null) continue;
          if (!s.fromEnvironment().contains(key)) s = new Settings(s.maxStrlen(), s.maxMapKeys(), s.ringBufBytes(), v, s.fromEnvironment(), s.unsafe());
        }
        // bpftrace's other settings: accepted, and without effect here
        case "stack_mode", "log_size", "max_probes", "max_bpf_progs", "cpp_demangle", "lazy_symbolication", "license",
             "missing_probes", "on_stack_limit", "str_trunc_trailer", "cache_user_symbols", "max_cat_bytes",
             "max_type_res_iterations", "show_debug_info", "max_ast_nodes", "no_cpp_demangle", "unstable_map_decl",
             "unstable_tseries", "unstable_addr", "unstable_import", "unstable_macro" -> {}
        default -> errors.add(Diagnostic.error(e.span(), "Unrecognized config variable: " + e.key()));
      }
    }
    return s;
  }

  /** {@return the size of the event ring buffer for {@code pages} pages: a power of two, as the kernel wants} */
  static int ringBufBytes(int pages) {
    long bytes = Math.max(4096L, (long) pages * 4096);
    return (int) Math.min(1L << 30, Long.highestOneBit(bytes - 1) << 1);
  }

  private static Long integer(ConfigEntry e, List<Diagnostic> errors) {
    if (e.value() instanceof Expr.Int(long v, boolean unsigned, var span)) return v;
    errors.add(Diagnostic.error(e.span(), "Invalid type for " + e.key() + ". Type: " + kind(e.value()) + ". Expected Type: integer"));
    return null;
  }

  private static Boolean bool(ConfigEntry e, List<Diagnostic> errors) {
    switch (e.value()) {
      case Expr.Bool(boolean v, var span) -> { return v; }
      case Expr.Int(long v, boolean unsigned, var span) when v == 0 || v == 1 -> { return v == 1; }
      case Expr.Ident(String name, var span) when name.equals("true") || name.equals("false") -> { return name.equals("true"); }
      default -> {
        errors.add(Diagnostic.error(e.span(), "Invalid value for " + e.key() + ": expected true, false, 1 or 0"));
        return null;
      }
    }
  }

  private static String kind(Expr e) {
    return switch (e) {
      case Expr.Str s -> "string";
      case Expr.Bool b -> "bool";
      case Expr.Int i -> "integer";
      default -> "identifier";
    };
  }
}
