package jbpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The BPF programs, maps and links loaded in the kernel, by every process: their ids ({@code BPF_*_GET_NEXT_ID}),
 * fds by id ({@code BPF_*_GET_FD_BY_ID}) and info ({@code BPF_OBJ_GET_INFO_BY_FD}). Reading another process's
 * objects needs {@code CAP_SYS_ADMIN}.
 */
public final class BpfObjects {
  private BpfObjects() {}

  /** A kind of BPF object, with the commands that enumerate and open it. */
  public enum Kind {
    PROGRAM("program", Bpf.BPF_PROG_GET_NEXT_ID, Bpf.BPF_PROG_GET_FD_BY_ID),
    MAP("map", Bpf.BPF_MAP_GET_NEXT_ID, Bpf.BPF_MAP_GET_FD_BY_ID),
    LINK("link", Bpf.BPF_LINK_GET_NEXT_ID, Bpf.BPF_LINK_GET_FD_BY_ID);

    private final String noun;
    private final int nextIdCmd;
    private final int fdByIdCmd;

    Kind(String noun, int nextIdCmd, int fdByIdCmd) {
      this.noun = noun;
      this.nextIdCmd = nextIdCmd;
      this.fdByIdCmd = fdByIdCmd;
    }

    /** {@return the noun for messages: program, map, link} */
    public String noun() { return noun; }
  }

  /**
   * What identifies a loaded object in a listing.
   *
   * @param type bpftool's name of its type, e.g. {@code raw_tracepoint}
   * @param name its name (empty for links, which have none)
   * @param progId for a link, the id of its program; otherwise 0
   */
  public record Summary(Kind kind, int id, String type, String name, int progId) {
    @Override public String toString() {
      return kind.noun() + " " + id + " " + type + (name.isEmpty() ? "" : " " + name) + (progId > 0 ? " prog " + progId : "");
    }
  }

  /** {@return the ids of the loaded objects of {@code kind}, ascending} */
  public static List<Integer> ids(Kind kind) {
    List<Integer> out = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(BpfAttr.GetId.LAYOUT);
      MemorySegment state = Sys.callState(arena);
      int id = 0;
      while (true) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, BpfAttr.GetId.start_id, id);
        if (Sys.bpf(state, kind.nextIdCmd, attr) < 0) {
          Errno e = Errno.from(state);
          if (e == Errno.ENOENT) return out;
          if (e == Errno.EPERM) throw PermissionException.forBpf("listing BPF " + kind.noun() + "s");
          throw new SyscallException("list BPF " + kind.noun() + "s", e);
        }
        id = attr.get(JAVA_INT, BpfAttr.GetId.next_id);
        out.add(id);
      }
    }
  }

  /**
   * {@return a new fd for the loaded object {@code id}}
   * @throws SyscallException with {@link Errno#ENOENT} if it no longer exists
   */
  public static Fd open(Kind kind, int id) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(BpfAttr.GetId.LAYOUT);
      attr.set(JAVA_INT, BpfAttr.GetId.id, id);
      MemorySegment state = Sys.callState(arena);
      long fd = Sys.bpf(state, kind.fdByIdCmd, attr);
      if (fd < 0) {
        Errno e = Errno.from(state);
        if (e == Errno.EPERM) throw PermissionException.forBpf("opening BPF " + kind.noun() + "s by id").withContext("open " + kind.noun() + " " + id);
        throw new SyscallException("open BPF " + kind.noun() + " " + id, e);
      }
      return Fd.adopt((int) fd, "bpf " + kind.noun() + " " + id);
    }
  }

  /**
   * Reads the info struct of the object behind {@code fd} ({@code BPF_OBJ_GET_INFO_BY_FD}) into a zeroed
   * segment of {@code layout} allocated in {@code arena}. {@code prepare} may set pointer and count fields
   * first, e.g. to fetch a link's tracepoint name. {@return the filled segment}
   */
  public static MemorySegment info(Fd fd, StructLayout layout, Arena arena, java.util.function.Consumer<MemorySegment> prepare) {
    MemorySegment info = arena.allocate(layout);
    if (prepare != null) prepare.accept(info);
    try (Arena call = Arena.ofConfined()) {
      MemorySegment attr = call.allocate(BpfAttr.Info.LAYOUT);
      attr.set(JAVA_INT, BpfAttr.Info.bpf_fd, fd.get());
      attr.set(JAVA_INT, BpfAttr.Info.info_len, (int) layout.byteSize());
      attr.set(java.lang.foreign.ValueLayout.JAVA_LONG, BpfAttr.Info.info, info.address());
      MemorySegment state = Sys.callState(call);
      if (Sys.bpf(state, Bpf.BPF_OBJ_GET_INFO_BY_FD, attr) < 0)
        throw new SyscallException("get info of " + fd.what(), Errno.from(state));
    }
    return info;
  }

  /** {@return the info struct of {@code fd}, as {@link #info(Fd, StructLayout, Arena, java.util.function.Consumer)} with nothing to prepare} */
  public static MemorySegment info(Fd fd, StructLayout layout, Arena arena) { return info(fd, layout, arena, null); }

  /** {@return a summary of object {@code id}, or empty if it went away meanwhile} */
  public static Optional<Summary> describe(Kind kind, int id) {
    Fd fd;
    try {
      fd = open(kind, id);
    } catch (SyscallException e) {
      if (e.errno() == Errno.ENOENT) return Optional.empty();
      throw e;
    }
    try (fd; Arena arena = Arena.ofConfined()) {
      return Optional.of(switch (kind) {
        case PROGRAM -> {
          MemorySegment i = info(fd, BpfInfo.Prog.LAYOUT, arena);
          yield new Summary(kind, id, Bpf.progTypeName(i.get(JAVA_INT, BpfInfo.Prog.type)), cString(i, BpfInfo.Prog.name, 16), 0);
        }
        case MAP -> {
          MemorySegment i = info(fd, BpfInfo.Map.LAYOUT, arena);
          yield new Summary(kind, id, Bpf.mapTypeName(i.get(JAVA_INT, BpfInfo.Map.type)), cString(i, BpfInfo.Map.name, 16), 0);
        }
        case LINK -> {
          MemorySegment i = info(fd, BpfInfo.Link.LAYOUT, arena);
          yield new Summary(kind, id, Bpf.linkTypeName(i.get(JAVA_INT, BpfInfo.Link.type)), "", i.get(JAVA_INT, BpfInfo.Link.prog_id));
        }
      });
    }
  }

  /** {@return summaries of every loaded object of {@code kind}} */
  public static List<Summary> list(Kind kind) {
    List<Summary> out = new ArrayList<>();
    for (int id : ids(kind)) describe(kind, id).ifPresent(out::add);
    return out;
  }

  /** {@return the NUL-terminated string of at most {@code max} bytes at {@code offset} of {@code s}} */
  public static String cString(MemorySegment s, long offset, int max) {
    int n = 0;
    while (n < max && s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + n) != 0) n++;
    byte[] b = new byte[n];
    MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, b, 0, n);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
