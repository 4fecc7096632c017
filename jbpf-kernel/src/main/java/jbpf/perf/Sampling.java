package jbpf.perf;

/**
 * When a counting perf event samples, which is when an attached BPF program runs: every {@code n} events
 * ({@code sample_period}) or about {@code hz} times a second ({@code sample_freq} with the {@code freq} flag).
 *
 * @param value the period or the frequency
 * @param frequency whether {@code value} is a frequency in Hz
 */
public record Sampling(long value, boolean frequency) {
  public Sampling {
    if (value <= 0) throw new IllegalArgumentException("sampling " + (frequency ? "frequency" : "period") + " must be positive");
  }

  /** {@return a sample every {@code n} events} */
  public static Sampling period(long n) { return new Sampling(n, false); }

  /** {@return about {@code hz} samples a second} */
  public static Sampling frequency(long hz) { return new Sampling(hz, true); }

  @Override public String toString() { return frequency ? value + " Hz" : "every " + value; }
}
