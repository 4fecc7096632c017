package jbpf.sys;

import java.util.Objects;

/**
 * A system call failed: {@link #operation()} says what was attempted, {@link #errno()} why. The message reads
 * {@code open perf event: no such file or directory (ENOENT)}.
 */
public final class SyscallException extends BpfException {
  private final String operation;
  private final Errno errno;

  /** Creates the exception for {@code operation} failing with {@code errno}. */
  public SyscallException(String operation, Errno errno) { this(operation, errno, null); }

  private SyscallException(String operation, Errno errno, Throwable cause) {
    super(join(operation, Objects.requireNonNull(errno).describe()), cause);
    this.operation = Objects.requireNonNull(operation);
    this.errno = errno;
  }

  /** {@return what was attempted, with the context of every layer, e.g. {@code attach kprobe vfs_read: open perf event}} */
  public String operation() { return operation; }

  /** {@return why it failed} */
  public Errno errno() { return errno; }

  @Override public SyscallException withContext(String action) {
    return new SyscallException(join(action, operation), errno, this);
  }
}
