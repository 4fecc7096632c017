package jbpf.sys;

import java.util.Optional;

/**
 * Answers whether the running kernel has a {@link Feature}. {@code jbpf.kernel} provides the implementation as a
 * service ({@code provides jbpf.sys.FeatureProbe with ...}) so that code below it, such as test conditions,
 * can ask without depending on it.
 */
public interface FeatureProbe {
  /** {@return empty if the feature is available, otherwise the exception explaining why not} */
  Optional<NotSupportedException> check(Feature feature);
}
