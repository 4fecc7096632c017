/**
 * Linux system calls through the FFM API, and the kernel's structs and constants spelled as in its headers:
 * {@code bpf(2)} with the members of {@code union bpf_attr}, {@code perf_event_open(2)}, {@code mmap},
 * {@code ioctl}, {@code epoll}, {@code eventfd}; owned file descriptors ({@link jbpf.sys.Fd}), error numbers
 * ({@link jbpf.sys.Errno}) and the {@link jbpf.sys.BpfException} hierarchy every kernel error is reported in.
 * This is the only module given {@code --enable-native-access}. See https://docs.kernel.org/userspace-api/ebpf/syscall.html
 * and https://man7.org/linux/man-pages/man2/bpf.2.html.
 */
package jbpf.sys;
