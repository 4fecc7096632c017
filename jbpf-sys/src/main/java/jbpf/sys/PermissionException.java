package jbpf.sys;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The process lacks a capability the kernel asked for. The message names what was needed and what the process
 * has: {@code loading BPF programs needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has none of them.}
 */
public final class PermissionException extends BpfException {
  private final String reason;
  private final Set<Capability> needed;
  private final Set<Capability> effective;

  /**
   * Creates the exception.
   *
   * @param activity what needs the capabilities, as a gerund phrase: {@code "loading BPF programs"}
   * @param needed the capabilities needed; {@code CAP_SYS_ADMIN} is offered as the alternative for
   *     {@code CAP_BPF} and {@code CAP_PERFMON}
   * @param effective the capabilities this process has
   */
  public PermissionException(String activity, Set<Capability> needed, Set<Capability> effective) {
    this(sentence(activity, needed, effective), needed, effective, null, null);
  }

  private PermissionException(String reason, Set<Capability> needed, Set<Capability> effective, String context, Throwable cause) {
    super(join(context, reason), cause);
    this.reason = reason;
    this.needed = Set.copyOf(needed);
    this.effective = Set.copyOf(effective);
  }

  /**
   * {@return the exception for {@code activity} on the running kernel, which needs {@code modern} (on Linux 5.8
   * and later; {@code CAP_SYS_ADMIN} before), with this process's capabilities}
   */
  public static PermissionException of(String activity, Capability... modern) {
    return new PermissionException(activity, Capabilities.needed(KernelVersion.current(), EnumSet.copyOf(List.of(modern))),
        Capabilities.effective());
  }

  /** {@return the exception for {@code activity}, BPF work that needs {@code CAP_BPF} and {@code CAP_PERFMON}} */
  public static PermissionException forBpf(String activity) {
    return of(activity, Capability.CAP_BPF, Capability.CAP_PERFMON);
  }

  /** {@return the sentence without the callers' context} */
  public String reason() { return reason; }

  /** {@return the capabilities that were needed} */
  public Set<Capability> needed() { return needed; }

  /** {@return the capabilities the process had} */
  public Set<Capability> effective() { return effective; }

  @Override public PermissionException withContext(String action) {
    String message = getMessage();
    String context = message.equals(reason) ? action : join(action, message.substring(0, message.length() - reason.length() - 2));
    return new PermissionException(reason, needed, effective, context, this);
  }

  /** {@return the sentence, e.g. {@code ... needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has only CAP_BPF.}} */
  static String sentence(String activity, Set<Capability> needed, Set<Capability> effective) {
    Objects.requireNonNull(activity);
    List<Capability> sorted = needed.stream().sorted(Capability.messageOrder()).toList();
    boolean adminAlternative = !needed.contains(Capability.CAP_SYS_ADMIN)
        && needed.stream().anyMatch(c -> c == Capability.CAP_BPF || c == Capability.CAP_PERFMON);
    String list = joinAnd(sorted.stream().map(Enum::name).toList());
    StringBuilder b = new StringBuilder(activity).append(" needs ").append(list);
    if (adminAlternative) b.append(" (or CAP_SYS_ADMIN)");
    List<Capability> has = sorted.stream().filter(effective::contains).toList();
    if (sorted.size() == 1) b.append("; this process lacks it.");
    else if (has.isEmpty()) b.append("; this process has none of them.");
    else b.append("; this process has only ").append(has.stream().map(Enum::name).collect(Collectors.joining(", "))).append('.');
    return b.toString();
  }

  private static String joinAnd(List<String> items) {
    if (items.size() <= 1) return String.join("", items);
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
  }
}
