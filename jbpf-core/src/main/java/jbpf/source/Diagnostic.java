package jbpf.source;

import java.util.Objects;

/**
 * A message about a place in a script, rendered the way bpftrace renders it:
 * <pre>
 * stdin:1:12-20: ERROR: unknown builtin 'pdi'
 * tracepoint:syscalls:sys_enter_openat /pdi == 1/ { }
 *            ~~~~~~~~
 * HINT: did you mean 'pid'?
 * </pre>
 *
 * @param span where, or {@code null} for a message about the whole script
 * @param hint one concrete way forward, or {@code null}
 */
public record Diagnostic(Severity severity, Span span, String message, String hint) {
  /** How bad a diagnostic is. */
  public enum Severity { ERROR, WARNING }

  public Diagnostic {
    Objects.requireNonNull(severity);
    Objects.requireNonNull(message);
  }

  public static Diagnostic error(Span span, String message) { return new Diagnostic(Severity.ERROR, span, message, null); }

  public static Diagnostic error(Span span, String message, String hint) { return new Diagnostic(Severity.ERROR, span, message, hint); }

  public static Diagnostic warning(Span span, String message) { return new Diagnostic(Severity.WARNING, span, message, null); }

  /** {@return this diagnostic with {@code hint} attached} */
  public Diagnostic withHint(String hint) { return new Diagnostic(severity, span, message, hint); }

  /** {@return the full text shown to the user, ending in a newline} */
  public String render() {
    StringBuilder out = new StringBuilder();
    if (span != null) out.append(span).append(": ");
    out.append(severity).append(": ").append(message).append('\n');
    if (span != null) out.append(span.excerpt()).append('\n');
    if (hint != null) out.append("HINT: ").append(hint).append('\n');
    return out.toString();
  }
}
