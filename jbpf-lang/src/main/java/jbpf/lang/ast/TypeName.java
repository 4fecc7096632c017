package jbpf.lang.ast;

import jbpf.source.Span;

/**
 * A type as written in a cast, {@code sizeof}, {@code offsetof}, a declaration or a signature:
 * {@code uint64}, {@code struct task_struct *}, {@code char[16]}, {@code unsigned int}.
 *
 * @param name the base name with any {@code struct}/{@code union}/{@code enum} keyword, e.g. {@code struct task_struct}
 * @param pointers the number of {@code *}
 * @param arrayLength the array length for {@code T[N]}, or -1
 */
public record TypeName(String name, int pointers, int arrayLength, Span span) implements Node {
  @Override public String toString() {
    return name + (pointers > 0 ? " " + "*".repeat(pointers) : "") + (arrayLength >= 0 ? "[" + arrayLength + "]" : "");
  }
}
