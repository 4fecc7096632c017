/**
 * JUnit 5 support for tests that need a kernel: {@link jbpf.testkit.RequiresKernel} skips them with a reason when
 * privileges or features are missing, and checks that they leak no fds and leave no BPF objects behind.
 */
module jbpf.testkit {
  requires transitive jbpf.sys;
  requires transitive org.junit.jupiter.api;

  exports jbpf.testkit;

  uses jbpf.sys.FeatureProbe;
}
