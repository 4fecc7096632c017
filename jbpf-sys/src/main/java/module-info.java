/**
 * Linux system calls through the FFM API: bpf, perf_event_open, mmap, ioctl, epoll, eventfd; owned fds, errno and
 * the BPF exception hierarchy. The only module given {@code --enable-native-access}.
 */
module jbpf.sys {
  exports jbpf.sys;
}
