package jbpf.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jbpf.sys.Capabilities;
import jbpf.sys.Capability;
import jbpf.sys.Feature;
import jbpf.sys.FeatureProbe;
import jbpf.sys.KernelVersion;
import jbpf.sys.NotSupportedException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The condition behind {@link RequiresKernel}: skips when capabilities or features are missing, and turns a
 * {@link NotSupportedException} thrown by the test into a skip, unless the kernel is new enough that the feature
 * must be there, in which case the test fails.
 */
public final class KernelCondition implements ExecutionCondition, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
  private static final Map<Feature, Optional<NotSupportedException>> PROBED = new ConcurrentHashMap<>();

  /** Creates the condition; JUnit does, for {@link RequiresKernel}. */
  public KernelCondition() {}

  @Override public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<RequiresKernel> req = context.getElement().map(KernelCondition::annotation);
    if (req.isEmpty()) return ConditionEvaluationResult.enabled("no kernel requirements");
    if (!System.getProperty("os.name", "").equals("Linux")) return skip("needs Linux; this is " + System.getProperty("os.name"));
    Optional<String> caps = missingCapabilities(List.of(req.get().caps()), Capabilities.effective(), KernelVersion.current());
    if (caps.isPresent()) return skip(caps.get());
    for (Feature f : req.get().feature()) {
      Optional<NotSupportedException> missing = PROBED.computeIfAbsent(f, KernelCondition::probe);
      if (missing.isPresent()) {
        if (f.expectedOn(KernelVersion.current())) throw mustHave(missing.get());
        return skip(missing.get().getMessage());
      }
    }
    return ConditionEvaluationResult.enabled("kernel requirements met");
  }

  private static RequiresKernel annotation(AnnotatedElement e) {
    RequiresKernel r = e.getAnnotation(RequiresKernel.class);
    if (r == null && e instanceof java.lang.reflect.Method m) r = m.getDeclaringClass().getAnnotation(RequiresKernel.class);
    return r;
  }

  /**
   * {@return the skip reason when {@code effective} lacks some of {@code needed} on {@code kernel}}, e.g.
   * {@code needs CAP_BPF, CAP_PERFMON (effective: none); run as root, e.g. sudo mvn verify}.
   */
  public static Optional<String> missingCapabilities(List<Capability> needed, Set<Capability> effective, KernelVersion kernel) {
    Set<Capability> want = needed.isEmpty() ? EnumSet.noneOf(Capability.class) : Capabilities.needed(kernel, EnumSet.copyOf(needed));
    if (Capabilities.grants(effective, want)) return Optional.empty();
    Set<Capability> relevant = EnumSet.copyOf(want);
    relevant.add(Capability.CAP_SYS_ADMIN);
    String has = relevant.stream().filter(effective::contains).sorted(Capability.messageOrder()).map(Enum::name)
        .collect(Collectors.joining(", "));
    return Optional.of("needs " + want.stream().sorted(Capability.messageOrder()).map(Enum::name).collect(Collectors.joining(", "))
        + " (effective: " + (has.isEmpty() ? "none" : has) + "); run as root, e.g. sudo mvn verify");
  }

  private static Optional<NotSupportedException> probe(Feature f) {
    FeatureProbe probe = ServiceLoader.load(FeatureProbe.class).findFirst().orElseThrow(() -> new IllegalStateException(
        "probing " + f.description() + " needs jbpf-kernel on the test path (it provides jbpf.sys.FeatureProbe)"));
    return probe.check(f);
  }

  private static ConditionEvaluationResult skip(String reason) {
    System.err.println("skipped: " + reason);
    return ConditionEvaluationResult.disabled(reason);
  }

  private static AssertionError mustHave(NotSupportedException e) {
    Feature f = e.feature();
    return new AssertionError("Linux " + KernelVersion.current() + " must have " + f.description() + " (since "
        + f.minimumVersion() + "), but: " + e.getMessage(), e);
  }

  @Override public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    throw judge(throwable);
  }

  @Override public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    throw judge(throwable);
  }

  @Override public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    throw judge(throwable);
  }

  /** {@return what to throw instead of {@code t}: a skip for a feature this kernel may lack, else {@code t}} */
  private static Throwable judge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NotSupportedException e) {
        if (e.feature().expectedOn(KernelVersion.current())) return mustHave(e);
        System.err.println("skipped: " + e.getMessage());
        try {
          Assumptions.abort(e.getMessage());
        } catch (Throwable aborted) {
          return aborted;
        }
      }
    }
    return t;
  }
}
