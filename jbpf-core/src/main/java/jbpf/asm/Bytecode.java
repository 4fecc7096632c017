package jbpf.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import jbpf.source.Span;

/**
 * A finished program: instructions with jumps resolved, the span and comment of each, and label names for
 * listings. Map references stay symbolic until {@link #encode(ToIntFunction)} is given the maps' fds.
 *
 * @param labels label names by the instruction index they are bound to
 */
public record Bytecode(List<Insn> insns, List<Span> spans, List<String> comments, Map<Integer, String> labels) {
  public Bytecode {
    insns = List.copyOf(insns);
    spans = Collections.unmodifiableList(new ArrayList<>(spans));
    comments = Collections.unmodifiableList(new ArrayList<>(comments));
    labels = Map.copyOf(labels);
    if (spans.size() != insns.size() || comments.size() != insns.size()) throw new IllegalArgumentException("metadata size mismatch");
  }

  /** {@return a program of plain instructions with no metadata} */
  public static Bytecode of(List<Insn> insns) {
    List<Span> none = Arrays.asList(new Span[insns.size()]);
    return new Bytecode(insns, none, Arrays.asList(new String[insns.size()]), Map.of());
  }

  /** {@return the program length in 8-byte slots, the unit the kernel counts instructions in} */
  public int slots() {
    int n = 0;
    for (Insn i : insns) n += i.slots();
    return n;
  }

  /** {@return the index of the instruction occupying {@code slot}, or -1 if out of range} */
  public int indexAtSlot(int slot) {
    int s = 0;
    for (int i = 0; i < insns.size(); i++) {
      int next = s + insns.get(i).slots();
      if (slot >= s && slot < next) return i;
      s = next;
    }
    return -1;
  }

  /** {@return the names of the maps this program references, in order of first use} */
  public List<String> mapNames() {
    List<String> out = new ArrayList<>();
    for (Insn i : insns) {
      String name = switch (i.ref()) {
        case Ref.Map(String n) -> n;
        case Ref.MapValue(String n, int off) -> n;
        case null, default -> null;
      };
      if (name != null && !out.contains(name)) out.add(name);
    }
    return out;
  }

  /**
   * {@return the bytes the kernel loads, with each map reference replaced by the fd {@code mapFd} gives}
   * @throws IllegalStateException if a jump or call was never resolved
   */
  public byte[] encode(ToIntFunction<String> mapFd) {
    ByteBuffer out = ByteBuffer.allocate(slots() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (Insn i : insns) {
      Insn fixed = switch (i.ref()) {
        case Ref.Map(String n) -> i.withImm(mapFd.applyAsInt(n) & 0xffff_ffffL);
        case Ref.MapValue(String n, int off) -> i.withImm(((long) off << 32) | (mapFd.applyAsInt(n) & 0xffff_ffffL));
        case Ref.Jump j -> throw new IllegalStateException("unresolved jump in encode");
        case Ref.Call c -> throw new IllegalStateException("unresolved call in encode");
        case Ref.Func f -> i;
        case null -> i;
      };
      fixed.encode(out);
    }
    return out.array();
  }

  /** {@return the bytes, for a program that references no maps} */
  public byte[] encode() {
    return encode(n -> { throw new IllegalStateException("map " + n + " has no fd"); });
  }

  /** {@return a listing in the kernel verifier's syntax, with labels, comments and source lines} */
  public String disassemble() { return Disassembler.listing(this); }
}
