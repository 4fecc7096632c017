package jbpf.prog;

import java.util.List;

/**
 * What the kernel reports about a loaded program ({@code struct bpf_prog_info}).
 *
 * @param type bpftool's name of the program type, e.g. {@code raw_tracepoint}
 * @param tag the program's tag (a hash of its instructions), in hex
 * @param runTimeNanos total run time, counted while statistics are enabled ({@link BpfStats#enable()})
 * @param runCount runs, counted while statistics are enabled
 * @param xlatedLength length of the program after the verifier's rewrites, in bytes
 * @param jitedLength length of the JIT-compiled machine code, in bytes
 * @param verifiedInsns instructions the verifier processed (Linux 5.16 and later, else 0)
 * @param mapIds ids of the maps the program uses
 */
public record ProgramInfo(int id, String name, String type, String tag, long runTimeNanos, long runCount, int xlatedLength,
                          int jitedLength, int verifiedInsns, List<Integer> mapIds) {
  public ProgramInfo {
    mapIds = List.copyOf(mapIds);
  }
}
