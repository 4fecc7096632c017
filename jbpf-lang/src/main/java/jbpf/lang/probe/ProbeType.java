package jbpf.lang.probe;

import java.util.List;

/** A kind of probe, with the provider names a script may use for it ({@code t} is {@code tracepoint}). */
public enum ProbeType {
  BEGIN("BEGIN"), END("END"),
  TRACEPOINT("tracepoint", "t"), RAWTRACEPOINT("rawtracepoint", "rt"),
  KPROBE("kprobe", "k"), KRETPROBE("kretprobe", "kr"),
  UPROBE("uprobe", "u"), URETPROBE("uretprobe", "ur"), USDT("usdt", "U"),
  PROFILE("profile", "p"), INTERVAL("interval", "i"),
  SOFTWARE("software", "s"), HARDWARE("hardware", "h"),
  WATCHPOINT("watchpoint", "w"), ASYNCWATCHPOINT("asyncwatchpoint", "aw"),
  KFUNC("kfunc", "f", "fentry"), KRETFUNC("kretfunc", "fr", "fexit"),
  ITER("iter", "it");

  private final String canonical;
  private final List<String> aliases;

  ProbeType(String canonical, String... aliases) {
    this.canonical = canonical;
    this.aliases = List.of(aliases);
  }

  /** {@return the name bpftrace uses in full probe names, e.g. {@code tracepoint}} */
  public String canonical() { return canonical; }

  /** {@return the probe type a provider name stands for, or {@code null}} */
  public static ProbeType ofProvider(String provider) {
    for (ProbeType t : values()) if (t.canonical.equals(provider) || t.aliases.contains(provider)) return t;
    return null;
  }
}
