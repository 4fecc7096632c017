package jbpf.cli;

import static jbpf.sys.Capability.CAP_BPF;
import static jbpf.sys.Capability.CAP_PERFMON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jbpf.sys.Feature;
import jbpf.testkit.RequiresKernel;
import org.junit.jupiter.api.Test;

/**
 * Cases of bpftrace's runtime test suite (tests/runtime) that jbpf once failed while bpftrace 0.17 passed them,
 * with bpftrace 0.17's output on this machine as the expected text.
 */
@RequiresKernel(caps = {CAP_BPF, CAP_PERFMON}, feature = {Feature.RINGBUF, Feature.TRACEFS})
class RuntimeSuiteKernelTest {
  private static String run(String... args) throws Exception {
    Jbpf.Result r = Jbpf.run(args);
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    return r.out();
  }

  @Test
  void catNeedsNoUnsafe() throws Exception {
    // builtin.cat, call.cat: bpftrace guards system() only
    assertEquals("Attaching 1 probe...\nLinux\n\n\n", run("-e", "BEGIN { cat(\"/proc/sys/kernel/%s\", \"ostype\"); exit(); }"));
  }

  @Test
  void bufOfAStringLiteralHasTheLengthAsked() throws Exception {
    // call.buf_map_multikey, call.buf_no_ascii: the bytes past the literal are zeros
    assertEquals("Attaching 1 probe...\n\\x61\\x62\\x00\\x00|48 65 6c 6c 6f 00\n\n\n@[ok_key\\x00\\x00, 1]: 1\n",
        run("-e", "BEGIN { printf(\"%rx|%rh\\n\", buf(\"ab\", 4), buf(\"Hello\\0\", 6)); @[buf(\"ok_key\", 8), 1] = 1; exit(); }"));
  }

  @Test
  void ternaryOfPrintfsRunsOneOfThem() throws Exception {
    // other.ternary_none_type
    assertEquals("Attaching 1 probe...\nyes\n\n\n", run("-e", "BEGIN { nsecs ? printf(\"yes\\n\") : printf(\"no\"); exit(); }"));
  }

  @Test
  void positionalParametersInAttachPoints() throws Exception {
    // other.positional attachpoint, ... probe, ... full
    assertEquals("Attaching 1 probe...\nhello 1\n\n\n", run("-e", "i:ms:$1 { printf(\"hello %s\\n\", str($1)); exit(); }", "1"));
    assertEquals("Attaching 1 probe...\nhello\n\n\n", run("-e", "BEG$1 { printf(\"hello\\n\"); exit(); }", "IN"));
    assertEquals("Attaching 1 probe...\nhello\n\n\n", run("-e", "$1 { printf(\"hello\\n\"); exit(); }", "i:ms:1"));
  }

  @Test
  void strncmpLengthFromAPositionalParameter() throws Exception {
    // other.positional strncmp
    assertEquals("Attaching 1 probe...\nok\n\n\n",
        run("-e", "BEGIN { if (strncmp(\"hello\", \"hell\", $1) == 0) { printf(\"ok\\n\"); } exit(); }", "3"));
  }

  @Test
  void strerrorWithErrnoNamesFromAnInclude() throws Exception {
    // call.strerror: --include errno.h defines EPERM
    assertEquals("Attaching 1 probe...\nOperation not permitted\nNo such file or directory|Unknown error 4000\n\n\n",
        run("--include", "errno.h", "-e",
            "BEGIN { print(strerror(EPERM)); printf(\"%s|%s\\n\", strerror(ENOENT), strerror(4000)); exit(); }"));
  }
}
