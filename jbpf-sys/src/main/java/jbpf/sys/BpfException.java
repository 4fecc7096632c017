package jbpf.sys;

/**
 * A failure of a kernel operation, in one of four kinds that callers tell apart by type, never by message:
 * a failed system call ({@link SyscallException}), a program the verifier rejected ({@link VerifierException}),
 * a feature the kernel or machine lacks ({@link NotSupportedException}) and a missing privilege
 * ({@link PermissionException}).
 *
 * <p>The message says what was attempted, then why, the innermost cause last:
 * {@code attach kprobe vfs_read: open perf event: no such file or directory (ENOENT)}. Each layer adds its
 * verb with {@link #withContext(String)}, which returns an exception of the same kind.
 */
public abstract sealed class BpfException extends RuntimeException
    permits SyscallException, VerifierException, NotSupportedException, PermissionException {

  BpfException(String message, Throwable cause) { super(message, cause); }

  /**
   * {@return an exception of the same kind whose message is {@code action + ": " + getMessage()}}, with this one
   * as its cause; e.g. {@code e.withContext("attach kprobe vfs_read")}.
   */
  public abstract BpfException withContext(String action);

  static String join(String action, String message) {
    return action == null || action.isEmpty() ? message : action + ": " + message;
  }
}
