package jbpf.vm.filter;

/**
 * The type of an event field: a signed or unsigned integer of 1, 2, 4 or 8 bytes, or a fixed-size character
 * array holding a NUL-terminated string.
 */
public record FieldType(Kind kind, int size) {
  /** What a field holds. */
  public enum Kind { SIGNED, UNSIGNED, CHARS }

  public static final FieldType U8 = new FieldType(Kind.UNSIGNED, 1), U16 = new FieldType(Kind.UNSIGNED, 2),
      U32 = new FieldType(Kind.UNSIGNED, 4), U64 = new FieldType(Kind.UNSIGNED, 8), S8 = new FieldType(Kind.SIGNED, 1),
      S16 = new FieldType(Kind.SIGNED, 2), S32 = new FieldType(Kind.SIGNED, 4), S64 = new FieldType(Kind.SIGNED, 8);

  public FieldType {
    if (kind == null) throw new IllegalArgumentException("field kind is null");
    if (kind != Kind.CHARS && size != 1 && size != 2 && size != 4 && size != 8)
      throw new IllegalArgumentException("integer fields have 1, 2, 4 or 8 bytes, not " + size);
    if (kind == Kind.CHARS && size <= 0) throw new IllegalArgumentException("a char array needs a positive length");
  }

  /** {@return a {@code char[length]} string field} */
  public static FieldType chars(int length) { return new FieldType(Kind.CHARS, length); }

  /** {@return whether this is an integer} */
  public boolean isInteger() { return kind != Kind.CHARS; }

  @Override public String toString() {
    return switch (kind) {
      case SIGNED -> "int" + size * 8;
      case UNSIGNED -> "uint" + size * 8;
      case CHARS -> "char[" + size + "]";
    };
  }
}
