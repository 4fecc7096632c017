package jbpf.btf;

/** A BTF type kind, numbered as {@code BTF_KIND_*} in include/uapi/linux/btf.h; {@link #VOID} is type id 0. */
public enum BtfKind {
  VOID, INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO, VAR,
  DATASEC, FLOAT, DECL_TAG, TYPE_TAG, ENUM64;

  private static final BtfKind[] BY_VALUE = values();

  /** {@return the kernel's number for this kind} */
  public int value() { return ordinal(); }

  /** {@return the kind numbered {@code value}, or {@code null} if there is none} */
  static BtfKind of(int value) { return value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null; }

  /** {@return whether types of this kind are qualifiers or tags that {@link Btf#resolve} skips, typedefs included} */
  public boolean isModifier() {
    return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT || this == TYPE_TAG;
  }
}
