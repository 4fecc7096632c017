package jbpf.btf;

import java.util.List;
import java.util.Objects;

/**
 * One BTF type record, as described in https://docs.kernel.org/bpf/btf.html. Types refer to each other by type id
 * ({@code int}, 0 = void), so a record is small and the graph may be cyclic; {@link Btf#type(int)} decodes a
 * referenced id. Names are {@code ""} for anonymous types.
 */
public sealed interface BtfType {
  /** {@return the kind of this record} */
  BtfKind kind();

  /** {@return the name, or {@code ""} for anonymous types and kinds without a name} */
  default String name() { return ""; }

  /** The linkage of a {@link Func} or {@link Var}. */
  enum Linkage { STATIC, GLOBAL, EXTERN }

  /** A type that only qualifies, tags or renames the type it refers to. */
  sealed interface Modifier extends BtfType permits Typedef, Volatile, Const, Restrict, TypeTag {
    /** {@return the id of the type being modified} */
    int type();
  }

  /** A struct or union. */
  sealed interface Composite extends BtfType permits Struct, Union {
    /** {@return the size in bytes} */
    int size();

    /** {@return the members in declaration order} */
    List<Member> members();
  }

  /** An enum of either width. */
  sealed interface Enumeration extends BtfType permits Enum, Enum64 {
    /** {@return the size in bytes} */
    int size();

    /** {@return whether the values are signed} */
    boolean signed();

    /** {@return the enumerators in declaration order} */
    List<Enumerator> values();
  }

  /** Type id 0: {@code void}. */
  record Void() implements BtfType {
    public BtfKind kind() { return BtfKind.VOID; }
  }

  /**
   * An integer, {@code char} or {@code _Bool}.
   *
   * @param size size in bytes (1, 2, 4, 8 or 16)
   * @param bitOffset {@code BTF_INT_OFFSET}: where the value starts within the storage; non-zero only for old-style
   *     bitfields
   * @param bits {@code BTF_INT_BITS}: the number of value bits
   */
  record Int(String name, int size, int bitOffset, int bits, Encoding encoding) implements BtfType {
    /** {@code BTF_INT_ENCODING}: at most one of signed, char and bool. */
    public enum Encoding { NONE, SIGNED, CHAR, BOOL }

    public Int {
      Objects.requireNonNull(name);
      Objects.requireNonNull(encoding);
      if (size < 0 || bitOffset < 0 || bits < 0) throw new IllegalArgumentException("negative int size, offset or bits");
    }

    /** {@return whether the value is signed} */
    public boolean signed() { return encoding == Encoding.SIGNED; }

    public BtfKind kind() { return BtfKind.INT; }
  }

  /** A pointer to {@code type}. */
  record Ptr(int type) implements BtfType {
    public BtfKind kind() { return BtfKind.PTR; }
  }

  /**
   * An array.
   *
   * @param type the element type
   * @param indexType the index type (usually an int); not part of the C type
   * @param nelems the number of elements (0 for flexible arrays)
   */
  record Array(int type, int indexType, int nelems) implements BtfType {
    public Array { if (nelems < 0) throw new IllegalArgumentException("negative array length"); }

    public BtfKind kind() { return BtfKind.ARRAY; }
  }

  /**
   * A member of a struct or union. Old-style bitfields (an int type with {@code BTF_INT_OFFSET}/{@code BTF_INT_BITS}
   * in a struct without {@code kind_flag}) are decoded to the same form as new ones: the int's bit offset is added to
   * {@code bitOffset} and its bit count becomes {@code bitfieldSize}.
   *
   * @param name the member name, {@code ""} for an anonymous struct or union member
   * @param bitOffset the offset in bits from the start of the enclosing struct
   * @param bitfieldSize the bitfield width in bits, or 0 if the member is not a bitfield
   */
  record Member(String name, int type, int bitOffset, int bitfieldSize) {
    public Member {
      Objects.requireNonNull(name);
      if (bitOffset < 0 || bitfieldSize < 0) throw new IllegalArgumentException("negative member offset or bitfield size");
    }

    public Member(String name, int type, int bitOffset) { this(name, type, bitOffset, 0); }

    /** {@return the offset in bytes (of the storage unit holding a bitfield, rounded down)} */
    public int byteOffset() { return bitOffset >>> 3; }

    /** {@return whether the member is a bitfield} */
    public boolean isBitfield() { return bitfieldSize != 0; }
  }

  /** A struct. */
  record Struct(String name, int size, List<Member> members) implements Composite {
    public Struct {
      Objects.requireNonNull(name);
      members = List.copyOf(members);
      if (size < 0) throw new IllegalArgumentException("negative struct size");
    }

    public BtfKind kind() { return BtfKind.STRUCT; }
  }

  /** A union. */
  record Union(String name, int size, List<Member> members) implements Composite {
    public Union {
      Objects.requireNonNull(name);
      members = List.copyOf(members);
      if (size < 0) throw new IllegalArgumentException("negative union size");
    }

    public BtfKind kind() { return BtfKind.UNION; }
  }

  /**
   * An enum constant.
   *
   * @param value the value; for unsigned 32-bit enums zero-extended, for signed ones sign-extended; for unsigned
   *     64-bit enums the two's complement bit pattern
   */
  record Enumerator(String name, long value) {
    public Enumerator { Objects.requireNonNull(name); }
  }

  /** An enum with 32-bit values ({@code BTF_KIND_ENUM}). */
  record Enum(String name, int size, boolean signed, List<Enumerator> values) implements Enumeration {
    public Enum {
      Objects.requireNonNull(name);
      values = List.copyOf(values);
      if (size < 0) throw new IllegalArgumentException("negative enum size");
    }

    public BtfKind kind() { return BtfKind.ENUM; }
  }

  /** An enum with 64-bit values ({@code BTF_KIND_ENUM64}). */
  record Enum64(String name, int size, boolean signed, List<Enumerator> values) implements Enumeration {
    public Enum64 {
      Objects.requireNonNull(name);
      values = List.copyOf(values);
      if (size < 0) throw new IllegalArgumentException("negative enum size");
    }

    public BtfKind kind() { return BtfKind.ENUM64; }
  }

  /** A forward declaration of a struct or union. */
  record Fwd(String name, boolean union) implements BtfType {
    public Fwd { Objects.requireNonNull(name); }

    public BtfKind kind() { return BtfKind.FWD; }
  }

  /** A typedef naming {@code type}. */
  record Typedef(String name, int type) implements Modifier {
    public Typedef { Objects.requireNonNull(name); }

    public BtfKind kind() { return BtfKind.TYPEDEF; }
  }

  /** {@code volatile type}. */
  record Volatile(int type) implements Modifier {
    public BtfKind kind() { return BtfKind.VOLATILE; }
  }

  /** {@code const type}. */
  record Const(int type) implements Modifier {
    public BtfKind kind() { return BtfKind.CONST; }
  }

  /** {@code type restrict}. */
  record Restrict(int type) implements Modifier {
    public BtfKind kind() { return BtfKind.RESTRICT; }
  }

  /**
   * A function.
   *
   * @param type the id of its {@link FuncProto}
   */
  record Func(String name, int type, Linkage linkage) implements BtfType {
    public Func {
      Objects.requireNonNull(name);
      Objects.requireNonNull(linkage);
    }

    public BtfKind kind() { return BtfKind.FUNC; }
  }

  /** A parameter of a {@link FuncProto}; the name is {@code ""} in prototypes of function pointers. */
  record Param(String name, int type) {
    public Param { Objects.requireNonNull(name); }
  }

  /**
   * A function prototype.
   *
   * @param returnType the id of the return type (0 for void)
   * @param varargs whether the parameter list ends in {@code ...}
   */
  record FuncProto(int returnType, List<Param> params, boolean varargs) implements BtfType {
    public FuncProto { params = List.copyOf(params); }

    public BtfKind kind() { return BtfKind.FUNC_PROTO; }
  }

  /** A global or static variable. */
  record Var(String name, int type, Linkage linkage) implements BtfType {
    public Var {
      Objects.requireNonNull(name);
      Objects.requireNonNull(linkage);
    }

    public BtfKind kind() { return BtfKind.VAR; }
  }

  /** A variable placed in a {@link Datasec}, at {@code offset} bytes, {@code size} bytes long. */
  record SecInfo(int type, int offset, int size) {
    public SecInfo { if (offset < 0 || size < 0) throw new IllegalArgumentException("negative section offset or size"); }
  }

  /** A data section such as {@code .data..percpu}. */
  record Datasec(String name, int size, List<SecInfo> vars) implements BtfType {
    public Datasec {
      Objects.requireNonNull(name);
      vars = List.copyOf(vars);
      if (size < 0) throw new IllegalArgumentException("negative section size");
    }

    public BtfKind kind() { return BtfKind.DATASEC; }
  }

  /** A floating-point type. */
  record Float(String name, int size) implements BtfType {
    public Float {
      Objects.requireNonNull(name);
      if (size < 0) throw new IllegalArgumentException("negative float size");
    }

    public BtfKind kind() { return BtfKind.FLOAT; }
  }

  /**
   * A declaration tag ({@code __attribute__((btf_decl_tag("name")))}).
   *
   * @param type the tagged type, variable or function
   * @param componentIndex the tagged member or parameter, or -1 for {@code type} itself
   * @param attribute whether the tag stands for a plain {@code __attribute__((name))} ({@code kind_flag})
   */
  record DeclTag(String name, int type, int componentIndex, boolean attribute) implements BtfType {
    public DeclTag {
      Objects.requireNonNull(name);
      if (componentIndex < -1) throw new IllegalArgumentException("bad decl tag component index " + componentIndex);
    }

    public BtfKind kind() { return BtfKind.DECL_TAG; }
  }

  /**
   * A type tag ({@code __attribute__((btf_type_tag("name")))}), e.g. {@code __user} or {@code __rcu}.
   *
   * @param attribute whether the tag stands for a plain {@code __attribute__((name))} ({@code kind_flag})
   */
  record TypeTag(String name, int type, boolean attribute) implements Modifier {
    public TypeTag { Objects.requireNonNull(name); }

    public BtfKind kind() { return BtfKind.TYPE_TAG; }
  }
}
