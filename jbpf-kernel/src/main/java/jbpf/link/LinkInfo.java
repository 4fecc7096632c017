package jbpf.link;

/**
 * What the kernel reports about a BPF link ({@code struct bpf_link_info}).
 *
 * @param type bpftool's name of the link type, e.g. {@code perf_event}
 * @param progId the id of the attached program
 */
public record LinkInfo(int id, String type, int progId) {}
