/**
 * JUnit 5 extensions for kernel tests: {@link jbpf.testkit.RequiresKernel} (skip reasons that tell a person what
 * to do; failures where a feature must exist) and {@link jbpf.testkit.LeakCheck} (no fd, program, map or link
 * outlives the test class). See https://junit.org/junit5/docs/current/user-guide/#extensions and, for the
 * objects checked, https://docs.kernel.org/bpf/bpf_design_QA.html.
 */
package jbpf.testkit;
