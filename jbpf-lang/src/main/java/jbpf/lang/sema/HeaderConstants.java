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

  private static final Map<String, Map<String, Long>> BY_HEADER = Map.of(
      "linux/socket.h", SOCKET, "sys/socket.h", SOCKET, "net/sock.h", SOCKET, "linux/sched.h", SCHED);

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
