package jbpf.lang.typed;

import jbpf.lang.types.Type;

/** A scratch variable of one probe, with the type fixed at its first assignment. Compared by identity. */
public final class Variable {
  private final String name;
  private final Type type;

  public Variable(String name, Type type) {
    this.name = name;
    this.type = type;
  }

  /** {@return the name without the {@code $}} */
  public String name() { return name; }

  /** {@return the type} */
  public Type type() { return type; }

  @Override public String toString() { return "$" + name; }
}
