package jbpf.lang.sema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The macro constants of the kernel headers bpftrace's tools include. jbpf reads types from BTF and never
 * parses C headers, and BTF keeps enums but not {@code #define}s; these few are what the shipped tools use
 * ({@code TASK_RUNNING}, {@code AF_INET}...), with the values of Linux's uapi and {@code include/linux/sched.h}.
 * A name is known only when its header is included, as with bpftrace.
 */
final class HeaderConstants {
  private HeaderConstants() {}

  private static final Map<String, Long> SOCKET = Map.ofEntries(
      Map.entry("AF_UNSPEC", 0L), Map.entry("AF_UNIX", 1L), Map.entry("AF_LOCAL", 1L), Map.entry("AF_INET", 2L),
      Map.entry("AF_AX25", 3L), Map.entry("AF_IPX", 4L), Map.entry("AF_APPLETALK", 5L), Map.entry("AF_NETROM", 6L),
      Map.entry("AF_BRIDGE", 7L), Map.entry("AF_ATMPVC", 8L), Map.entry("AF_X25", 9L), Map.entry("AF_INET6", 10L),
      Map.entry("AF_ROSE", 11L), Map.entry("AF_DECnet", 12L), Map.entry("AF_NETBEUI", 13L), Map.entry("AF_SECURITY", 14L),
      Map.entry("AF_KEY", 15L), Map.entry("AF_NETLINK", 16L), Map.entry("AF_ROUTE", 16L), Map.entry("AF_PACKET", 17L),
      Map.entry("AF_CAN", 29L), Map.entry("AF_TIPC", 30L), Map.entry("AF_BLUETOOTH", 31L), Map.entry("AF_VSOCK", 40L),
      Map.entry("AF_XDP", 44L), Map.entry("AF_MCTP", 45L),
      Map.entry("PF_UNSPEC", 0L), Map.entry("PF_UNIX", 1L), Map.entry("PF_LOCAL", 1L), Map.entry("PF_INET", 2L),
      Map.entry("PF_INET6", 10L), Map.entry("PF_NETLINK", 16L), Map.entry("PF_PACKET", 17L),
      Map.entry("SOCK_STREAM", 1L), Map.entry("SOCK_DGRAM", 2L), Map.entry("SOCK_RAW", 3L), Map.entry("SOCK_RDM", 4L),
      Map.entry("SOCK_SEQPACKET", 5L), Map.entry("SOCK_DCCP", 6L), Map.entry("SOCK_PACKET", 10L));

  private static final Map<String, Long> SCHED = Map.ofEntries(
      Map.entry("TASK_RUNNING", 0x0L), Map.entry("TASK_INTERRUPTIBLE", 0x1L), Map.entry("TASK_UNINTERRUPTIBLE", 0x2L),
      Map.entry("__TASK_STOPPED", 0x4L), Map.entry("__TASK_TRACED", 0x8L), Map.entry("EXIT_DEAD", 0x10L),
      Map.entry("EXIT_ZOMBIE", 0x20L), Map.entry("EXIT_TRACE", 0x30L), Map.entry("TASK_PARKED", 0x40L),
      Map.entry("TASK_DEAD", 0x80L), Map.entry("TASK_WAKEKILL", 0x100L), Map.entry("TASK_WAKING", 0x200L),
      Map.entry("TASK_NOLOAD", 0x400L), Map.entry("TASK_NEW", 0x800L), Map.entry("TASK_KILLABLE", 0x102L),
      Map.entry("TASK_STOPPED", 0x104L), Map.entry("TASK_TRACED", 0x8L), Map.entry("TASK_IDLE", 0x402L),
      Map.entry("TASK_NORMAL", 0x3L), Map.entry("TASK_COMM_LEN", 16L),
      Map.entry("PF_EXITING", 0x4L), Map.entry("PF_KTHREAD", 0x00200000L));

  /** The error numbers of {@code asm-generic/errno-base.h} and {@code errno.h} (x86-64), with glibc's aliases. */
  private static final Map<String, Long> ERRNO = Map.ofEntries(
      Map.entry("EPERM", 1L), Map.entry("ENOENT", 2L), Map.entry("ESRCH", 3L), Map.entry("EINTR", 4L),
      Map.entry("EIO", 5L), Map.entry("ENXIO", 6L), Map.entry("E2BIG", 7L), Map.entry("ENOEXEC", 8L),
      Map.entry("EBADF", 9L), Map.entry("ECHILD", 10L), Map.entry("EAGAIN", 11L), Map.entry("ENOMEM", 12L),
      Map.entry("EACCES", 13L), Map.entry("EFAULT", 14L), Map.entry("ENOTBLK", 15L), Map.entry("EBUSY", 16L),
      Map.entry("EEXIST", 17L), Map.entry("EXDEV", 18L), Map.entry("ENODEV", 19L), Map.entry("ENOTDIR", 20L),
      Map.entry("EISDIR", 21L), Map.entry("EINVAL", 22L), Map.entry("ENFILE", 23L), Map.entry("EMFILE", 24L),
      Map.entry("ENOTTY", 25L), Map.entry("ETXTBSY", 26L), Map.entry("EFBIG", 27L), Map.entry("ENOSPC", 28L),
      Map.entry("ESPIPE", 29L), Map.entry("EROFS", 30L), Map.entry("EMLINK", 31L), Map.entry("EPIPE", 32L),
      Map.entry("EDOM", 33L), Map.entry("ERANGE", 34L), Map.entry("EDEADLK", 35L), Map.entry("ENAMETOOLONG", 36L),
      Map.entry("ENOLCK", 37L), Map.entry("ENOSYS", 38L), Map.entry("ENOTEMPTY", 39L), Map.entry("ELOOP", 40L),
      Map.entry("ENOMSG", 42L), Map.entry("EIDRM", 43L), Map.entry("ECHRNG", 44L), Map.entry("EL2NSYNC", 45L),
      Map.entry("EL3HLT", 46L), Map.entry("EL3RST", 47L), Map.entry("ELNRNG", 48L), Map.entry("EUNATCH", 49L),
      Map.entry("ENOCSI", 50L), Map.entry("EL2HLT", 51L), Map.entry("EBADE", 52L), Map.entry("EBADR", 53L),
      Map.entry("EXFULL", 54L), Map.entry("ENOANO", 55L), Map.entry("EBADRQC", 56L), Map.entry("EBADSLT", 57L),
      Map.entry("EBFONT", 59L), Map.entry("ENOSTR", 60L), Map.entry("ENODATA", 61L), Map.entry("ETIME", 62L),
      Map.entry("ENOSR", 63L), Map.entry("ENONET", 64L), Map.entry("ENOPKG", 65L), Map.entry("EREMOTE", 66L),
      Map.entry("ENOLINK", 67L), Map.entry("EADV", 68L), Map.entry("ESRMNT", 69L), Map.entry("ECOMM", 70L),
      Map.entry("EPROTO", 71L), Map.entry("EMULTIHOP", 72L), Map.entry("EDOTDOT", 73L), Map.entry("EBADMSG", 74L),
      Map.entry("EOVERFLOW", 75L), Map.entry("ENOTUNIQ", 76L), Map.entry("EBADFD", 77L), Map.entry("EREMCHG", 78L),
      Map.entry("ELIBACC", 79L), Map.entry("ELIBBAD", 80L), Map.entry("ELIBSCN", 81L), Map.entry("ELIBMAX", 82L),
      Map.entry("ELIBEXEC", 83L), Map.entry("EILSEQ", 84L), Map.entry("ERESTART", 85L), Map.entry("ESTRPIPE", 86L),
      Map.entry("EUSERS", 87L), Map.entry("ENOTSOCK", 88L), Map.entry("EDESTADDRREQ", 89L),
      Map.entry("EMSGSIZE", 90L), Map.entry("EPROTOTYPE", 91L), Map.entry("ENOPROTOOPT", 92L),
      Map.entry("EPROTONOSUPPORT", 93L), Map.entry("ESOCKTNOSUPPORT", 94L), Map.entry("EOPNOTSUPP", 95L),
      Map.entry("EPFNOSUPPORT", 96L), Map.entry("EAFNOSUPPORT", 97L), Map.entry("EADDRINUSE", 98L),
      Map.entry("EADDRNOTAVAIL", 99L), Map.entry("ENETDOWN", 100L), Map.entry("ENETUNREACH", 101L),
      Map.entry("ENETRESET", 102L), Map.entry("ECONNABORTED", 103L), Map.entry("ECONNRESET", 104L),
      Map.entry("ENOBUFS", 105L), Map.entry("EISCONN", 106L), Map.entry("ENOTCONN", 107L),
      Map.entry("ESHUTDOWN", 108L), Map.entry("ETOOMANYREFS", 109L), Map.entry("ETIMEDOUT", 110L),
      Map.entry("ECONNREFUSED", 111L), Map.entry("EHOSTDOWN", 112L), Map.entry("EHOSTUNREACH", 113L),
      Map.entry("EALREADY", 114L), Map.entry("EINPROGRESS", 115L), Map.entry("ESTALE", 116L),
      Map.entry("EUCLEAN", 117L), Map.entry("ENOTNAM", 118L), Map.entry("ENAVAIL", 119L), Map.entry("EISNAM", 120L),
      Map.entry("EREMOTEIO", 121L), Map.entry("EDQUOT", 122L), Map.entry("ENOMEDIUM", 123L),
      Map.entry("EMEDIUMTYPE", 124L), Map.entry("ECANCELED", 125L), Map.entry("ENOKEY", 126L),
      Map.entry("EKEYEXPIRED", 127L), Map.entry("EKEYREVOKED", 128L), Map.entry("EKEYREJECTED", 129L),
      Map.entry("EOWNERDEAD", 130L), Map.entry("ENOTRECOVERABLE", 131L), Map.entry("ERFKILL", 132L),
      Map.entry("ERESTARTSYS", 512L), Map.entry("ERESTARTNOINTR", 513L), Map.entry("ERESTARTNOHAND", 514L),
      Map.entry("ENOIOCTLCMD", 515L), Map.entry("EOPENSTALE", 518L), Map.entry("ENOPARAM", 519L),
      Map.entry("EBADHANDLE", 521L), Map.entry("ENOTSYNC", 522L), Map.entry("EBADCOOKIE", 523L),
      Map.entry("ENOTSUPP", 524L), Map.entry("ETOOSMALL", 525L), Map.entry("ESERVERFAULT", 526L),
      Map.entry("EBADTYPE", 527L), Map.entry("EJUKEBOX", 528L), Map.entry("EIOCBQUEUED", 529L),
      Map.entry("ERECALLCONFLICT", 530L), Map.entry("ENOGRACE", 531L), Map.entry("EWOULDBLOCK", 11L),
      Map.entry("EDEADLOCK", 35L), Map.entry("ENOTSUP", 95L));

  private static final Map<String, Map<String, Long>> BY_HEADER = Map.of(
      "linux/socket.h", SOCKET, "sys/socket.h", SOCKET, "net/sock.h", SOCKET, "linux/sched.h", SCHED,
      "errno.h", ERRNO, "linux/errno.h", ERRNO, "asm-generic/errno.h", ERRNO, "asm-generic/errno-base.h", ERRNO);

  /** {@return the constants the {@code includes} (as written, e.g. {@code <linux/sched.h>}) define} */
  static Map<String, Long> of(List<String> includes) {
    Map<String, Long> out = new HashMap<>();
    for (String inc : includes) {
      String h = inc.strip();
      if (h.length() > 2 && (h.startsWith("<") || h.startsWith("\""))) h = h.substring(1, h.length() - 1);
      Map<String, Long> c = BY_HEADER.get(h);
      if (c != null) out.putAll(c);
    }
    return out;
  }
}
