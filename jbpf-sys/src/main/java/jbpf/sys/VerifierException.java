package jbpf.sys;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel verifier rejected a program. {@link #getMessage()} is a one-line summary naming the failing
 * instruction and the verifier's reason, {@code load program count: verifier rejected insn 14: R1 invalid mem
 * access 'scalar' (EACCES)}; {@link #log()} has every line of the verifier log.
 */
public final class VerifierException extends BpfException {
  private final String operation;
  private final Errno errno;
  private final List<String> log;
  private final int insn;
  private final String reason;
  private final String insnText;

  private VerifierException(String operation, Errno errno, List<String> log, int insn, String reason, String insnText,
                            Throwable cause) {
    super(summary(operation, errno, insn, reason), cause);
    this.operation = Objects.requireNonNull(operation);
    this.errno = Objects.requireNonNull(errno);
    this.log = List.copyOf(log);
    this.insn = insn;
    this.reason = reason;
    this.insnText = insnText;
  }

  /**
   * {@return the exception for a load that failed with {@code errno} and produced {@code logText}}, with the
   * decisive line and the failing instruction found in the log.
   */
  public static VerifierException fromLog(String operation, Errno errno, String logText) {
    List<String> lines = logText.lines().toList();
    int decisive = decisiveLine(lines);
    String reason = decisive >= 0 ? lines.get(decisive).strip() : "the verifier gave no reason";
    int insn = -1;
    String insnText = null;
    if (decisive >= 0) {
      Matcher m = INSN_IN_REASON.matcher(reason);
      if (m.find()) insn = Integer.parseInt(m.group(1));
      for (int i = decisive - 1; i >= 0 && insn < 0; i--) {
        Matcher d = INSN_DUMP.matcher(lines.get(i));
        if (d.find()) {
          insn = Integer.parseInt(d.group(1));
          insnText = d.group(2).strip();
        }
      }
      for (int i = decisive - 1; i >= 0 && insn < 0; i--) {
        Matcher s = INSN_STATE.matcher(lines.get(i));
        if (s.find()) insn = Integer.parseInt(s.group(1));
      }
    }
    return new VerifierException(operation, errno, lines, insn, reason, insnText, null);
  }

  // "14: (79) r1 = *(u64 *)(r1 +104)" or, at log level 2, "14: (79) r1 = *(u64 *)(r1 +104)  ; R1_w=scalar()".
  private static final Pattern INSN_DUMP = Pattern.compile("^(\\d+): (\\([0-9a-f]{2}\\)[^;]*)");
  // "14: R1=ctx() R10=fp0": the state before instruction 14.
  private static final Pattern INSN_STATE = Pattern.compile("^(\\d+): ");
  // "back-edge from insn 5 to 2", "unreachable insn 7", "jump out of range from insn 3 to 40".
  private static final Pattern INSN_IN_REASON = Pattern.compile("\\binsn (\\d+)");

  /** {@return the index of the last line that explains the rejection, skipping the statistics the kernel appends} */
  private static int decisiveLine(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("processed ") || l.startsWith("verification time") || l.startsWith("stack depth")
          || l.startsWith("-- END PROG LOAD LOG --") || l.startsWith("mark_precise") || l.startsWith("func#"))
        continue;
      return i;
    }
    return -1;
  }

  private static String summary(String operation, Errno errno, int insn, String reason) {
    String where = insn >= 0 ? "verifier rejected insn " + insn : "verifier rejected the program";
    return operation + ": " + where + ": " + reason + " (" + errno.name() + ")";
  }

  /** {@return what was attempted, e.g. {@code load program count}} */
  public String operation() { return operation; }

  /** {@return the errno {@code bpf(BPF_PROG_LOAD)} returned, usually EACCES or EINVAL} */
  public Errno errno() { return errno; }

  /** {@return every line of the verifier log} */
  public List<String> log() { return log; }

  /**
   * {@return the index of the rejected instruction as the log numbers it, in 8-byte slots (a {@code lddw} counts
   * two), or empty if the log does not say}
   */
  public OptionalInt failingInsn() { return insn >= 0 ? OptionalInt.of(insn) : OptionalInt.empty(); }

  /** {@return the verifier's reason, the decisive log line, e.g. {@code R1 invalid mem access 'scalar'}} */
  public String reason() { return reason; }

  /** {@return the rejected instruction as the log printed it, e.g. {@code (79) r1 = *(u64 *)(r1 +104)}, or {@code null}} */
  public String insnText() { return insnText; }

  @Override public VerifierException withContext(String action) {
    return new VerifierException(join(action, operation), errno, log, insn, reason, insnText, this);
  }
}
