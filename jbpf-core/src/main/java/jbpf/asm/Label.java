package jbpf.asm;

/**
 * A position in an {@link InsnList}, created before it is known and bound once with {@link InsnList#bind}.
 * Labels compare by identity; the name is only for listings.
 */
public final class Label {
  private final String name;

  public Label(String name) { this.name = name; }

  public Label() { this("L"); }

  /** {@return the name shown in listings} */
  public String name() { return name; }

  @Override public String toString() { return name; }
}
