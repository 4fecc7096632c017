package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Offsets of the mirror structs, as gcc computes them from the Linux 6.18 headers (offsetof over vmlinux.h). */
class LayoutTest {
  static Stream<Arguments> offsets() {
    return Stream.of(
        arguments("bpf_attr.map_extra", BpfAttr.MapCreate.map_extra, 64),
        arguments("bpf_attr.flags", BpfAttr.MapElem.flags, 24),
        arguments("bpf_attr.batch.count", BpfAttr.MapBatch.count, 32),
        arguments("bpf_attr.batch.flags", BpfAttr.MapBatch.flags, 48),
        arguments("bpf_attr.prog_name", BpfAttr.ProgLoad.prog_name, 48),
        arguments("bpf_attr.expected_attach_type", BpfAttr.ProgLoad.expected_attach_type, 68),
        arguments("bpf_attr.attach_btf_obj_fd", BpfAttr.ProgLoad.attach_btf_obj_fd, 112),
        arguments("bpf_attr.fd_array", BpfAttr.ProgLoad.fd_array, 120),
        arguments("bpf_attr.log_true_size", BpfAttr.ProgLoad.log_true_size, 140),
        arguments("bpf_attr.test.ctx_out", BpfAttr.TestRun.ctx_out, 56),
        arguments("bpf_attr.test.cpu", BpfAttr.TestRun.cpu, 68),
        arguments("bpf_attr.raw_tracepoint.cookie", BpfAttr.RawTracepoint.cookie, 16),
        arguments("bpf_attr.link_create.perf_event.bpf_cookie", BpfAttr.LinkCreate.perf_event_bpf_cookie, 16),
        arguments("bpf_attr.link_create.kprobe_multi.cookies", BpfAttr.LinkCreate.kprobe_multi_cookies, 40),
        arguments("bpf_attr.link_create.tracing.cookie", BpfAttr.LinkCreate.tracing_cookie, 24),
        arguments("bpf_attr.link_create.uprobe_multi.cnt", BpfAttr.LinkCreate.uprobe_multi_cnt, 48),
        arguments("bpf_attr.link_create.uprobe_multi.pid", BpfAttr.LinkCreate.uprobe_multi_pid, 56),
        arguments("bpf_prog_info.name", BpfInfo.Prog.name, 64),
        arguments("bpf_prog_info.run_time_ns", BpfInfo.Prog.run_time_ns, 192),
        arguments("bpf_prog_info.verified_insns", BpfInfo.Prog.verified_insns, 216),
        arguments("sizeof(bpf_prog_info)", BpfInfo.Prog.LAYOUT.byteSize(), 232),
        arguments("sizeof(bpf_map_info)", BpfInfo.Map.LAYOUT.byteSize(), 104),
        arguments("bpf_link_info.perf_event.tracepoint.cookie", BpfInfo.Link.perf_event_tracepoint_cookie, 40),
        arguments("bpf_link_info.uprobe_multi.pid", BpfInfo.Link.uprobe_multi_pid, 60),
        arguments("sizeof(bpf_link_info)", BpfInfo.Link.LAYOUT.byteSize(), 64),
        arguments("perf_event_attr.bp_type", PerfEventAttr.bp_type, 52),
        arguments("perf_event_attr.config2", PerfEventAttr.config2, 64),
        arguments("sizeof(perf_event_attr)", PerfEventAttr.LAYOUT.byteSize(), 136),
        arguments("sizeof(epoll_event)", Sys.EPOLL_EVENT.byteSize(), 12));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("offsets")
  void matchesTheKernel(String field, long actual, long expected) { assertEquals(expected, actual); }
}
