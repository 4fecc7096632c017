package jbpf.asm;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jbpf.source.Span;

/**
 * A program under construction: instructions, the labels bound between them, and for each instruction the
 * script span it was generated from and an optional comment. {@link #resolve()} fixes jump and call offsets
 * once the last instruction is in.
 */
public final class InsnList {
  /** One instruction with where it came from. */
  public record Entry(Insn insn, Span span, String comment) {}

  private final List<Entry> entries = new ArrayList<>();
  /** Labels (which compare by identity) in the order they were bound, so that listings name them the same every time. */
  private final Map<Label, Integer> bound = new java.util.LinkedHashMap<>();
  private Span span;
  private String comment;

  /** Makes the following instructions carry {@code span} (may be {@code null}). */
  public InsnList at(Span span) {
    this.span = span;
    return this;
  }

  /** {@return the span that following instructions carry} */
  public Span span() { return span; }

  /** Attaches {@code text} to the next instruction added. */
  public InsnList comment(String text) {
    this.comment = comment == null ? text : comment + "; " + text;
    return this;
  }

  /** Appends instructions. */
  public InsnList add(Insn... insns) {
    for (Insn i : insns) {
      entries.add(new Entry(i, span, comment));
      comment = null;
    }
    return this;
  }

  /** Binds {@code label} to the position of the next instruction. */
  public InsnList bind(Label label) {
    if (bound.putIfAbsent(label, entries.size()) != null) throw new IllegalStateException("label " + label + " bound twice");
    return this;
  }

  /** {@return whether {@code label} has been bound} */
  public boolean isBound(Label label) { return bound.containsKey(label); }

  /** Appends all of {@code other}, with its labels. */
  public InsnList addAll(InsnList other) {
    int base = entries.size();
    other.bound.forEach((l, i) -> {
      if (bound.putIfAbsent(l, base + i) != null) throw new IllegalStateException("label " + l + " bound twice");
    });
    entries.addAll(other.entries);
    return this;
  }

  /** {@return the number of instructions (not slots)} */
  public int size() { return entries.size(); }

  /** {@return entry {@code i}} */
  public Entry get(int i) { return entries.get(i); }

  /** {@return a read-only view of the entries} */
  public List<Entry> entries() { return java.util.Collections.unmodifiableList(entries); }

  /** Replaces the instruction at {@code i}, keeping its span and comment. */
  public void set(int i, Insn insn) {
    Entry e = entries.get(i);
    entries.set(i, new Entry(insn, e.span(), e.comment()));
  }

  /** Removes the instruction at {@code i}; labels bound after it move up by one. */
  public void remove(int i) {
    entries.remove(i);
    bound.replaceAll((l, at) -> at > i ? at - 1 : at);
  }

  /** {@return every bound label with the instruction index it is bound to (the size for a label at the end)} */
  public Map<Label, Integer> labels() { return java.util.Collections.unmodifiableMap(bound); }

  /** {@return the labels bound at instruction {@code i}} */
  public List<Label> labelsAt(int i) {
    List<Label> out = new ArrayList<>();
    bound.forEach((l, at) -> { if (at == i) out.add(l); });
    return out;
  }

  /** {@return the instruction index {@code label} is bound to} @throws IllegalStateException if unbound */
  public int indexOf(Label label) {
    Integer at = bound.get(label);
    if (at == null) throw new IllegalStateException("label " + label + " was never bound");
    return at;
  }

  /**
   * Fixes every jump, local call and function reference to its label's position, in 8-byte slots.
   * An unconditional jump too far for 16 bits becomes a {@code gotol} (JMP32 JA with a 32-bit offset).
   *
   * @throws IllegalStateException if a label is unbound or a conditional jump is out of range
   */
  public Bytecode resolve() {
    int n = entries.size();
    int[] slot = new int[n + 1];
    for (int i = 0; i < n; i++) slot[i + 1] = slot[i] + entries.get(i).insn().slots();
    List<Insn> out = new ArrayList<>(n);
    List<Span> spans = new ArrayList<>(n);
    List<String> comments = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      Insn insn = e.insn();
      switch (insn.ref()) {
        case Ref.Jump(Label t) -> {
          int delta = slot[indexOf(t)] - slot[i] - 1;
          if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) insn = insn.withOff(delta).withRef(null);
          else if (insn.opcode() == (Opcode.JMP | Opcode.JA)) insn = new Insn(Opcode.JMP32 | Opcode.JA, 0, 0, 0, delta);
          else throw new IllegalStateException("conditional jump of " + delta + " instructions is out of range");
        }
        case Ref.Call(Label t) -> insn = insn.withImm(slot[indexOf(t)] - slot[i] - 1).withRef(null);
        case Ref.Func(Label t) -> insn = insn.withImm(slot[indexOf(t)] - slot[i] - 1).withRef(new Ref.Func(t));
        case null, default -> {}
      }
      out.add(insn);
      spans.add(e.span());
      comments.add(e.comment());
    }
    Map<Integer, String> labels = new java.util.TreeMap<>();
    Map<Label, String> names = new IdentityHashMap<>();
    int[] counter = {0};
    bound.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(en -> {
      String name = en.getKey().name() + counter[0]++;
      names.put(en.getKey(), name);
      labels.merge(en.getValue(), name, (a, b) -> a + ", " + b);
    });
    return new Bytecode(out, spans, comments, labels);
  }
}
