package jbpf.sys;

import java.util.Objects;

/**
 * The running kernel or machine lacks a {@link Feature}, e.g. {@code ring buffer maps not supported (requires
 * Linux >= 5.8; running 5.4.0)} or {@code this kernel cannot attach kprobes (CONFIG_KPROBES is not set)}.
 */
public final class NotSupportedException extends BpfException {
  private final Feature feature;
  private final String reason;
  private final String detail;

  /**
   * Creates the exception for {@code feature}, explained by {@code reason} (a full sentence without context).
   *
   * @param detail what was found, e.g. {@code perf_event_open: ENOENT}, or {@code null}
   */
  public NotSupportedException(Feature feature, String reason, String detail) { this(feature, reason, detail, null, null); }

  private NotSupportedException(Feature feature, String reason, String detail, String context, Throwable cause) {
    super(join(context, reason), cause);
    this.feature = Objects.requireNonNull(feature);
    this.reason = Objects.requireNonNull(reason);
    this.detail = detail;
  }

  /** {@return what the probe or the failed call found, e.g. {@code perf_event_open: ENOENT}, or {@code null}} */
  public String detail() { return detail; }

  /** {@return the missing feature} */
  public Feature feature() { return feature; }

  /** {@return the explanation without the callers' context, e.g. {@code this kernel cannot attach kprobes (CONFIG_KPROBES is not set)}} */
  public String reason() { return reason; }

  @Override public NotSupportedException withContext(String action) {
    String message = getMessage();
    String context = message.equals(reason) ? action : join(action, message.substring(0, message.length() - reason.length() - 2));
    return new NotSupportedException(feature, reason, detail, context, this);
  }
}
