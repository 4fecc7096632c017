package jbpf.lang.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jbpf.btf.Btf;
import jbpf.btf.BtfKind;
import jbpf.btf.BtfType;
import jbpf.elf.DwarfFunctions;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.Type;

/**
 * The typed arguments of probes whose context is an array of 64-bit slots described by the kernel's BTF: kfunc and
 * kretfunc (the traced function's parameters, then its return value) and raw tracepoints (the tracepoint's
 * arguments). Each argument sits in the slot its position gives; a struct passed by value takes as many slots as
 * it has eight-byte words. Pointers are typed as {@link BtfTypes} types them, so {@code args->prev->pid} reads on
 * through the kernel's structs.
 */
public final class ProbeArgs {
  private ProbeArgs() {}

  /**
   * One argument.
   *
   * @param name its name, e.g. {@code filename}; {@code retval} for a function's return value
   * @param cType its C type as bpftrace lists it, e.g. {@code const char *}
   * @param type how a script sees it
   * @param offset its byte offset in the context
   */
  public record Arg(String name, String cType, Type type, int offset) {}

  /**
   * {@return the parameters of kernel function {@code function}, followed by {@code retval} when {@code ret} and the
   * function returns a value; empty if BTF does not describe the function}
   */
  public static Optional<List<Arg>> kfunc(BtfTypes types, String function, boolean ret) {
    Btf btf = types.btf();
    OptionalInt f = btf.findType(BtfKind.FUNC, function);
    if (f.isEmpty()) return Optional.empty();
    BtfType.FuncProto proto = (BtfType.FuncProto) btf.type(((BtfType.Func) btf.type(f.getAsInt())).type());
    List<Arg> out = new ArrayList<>();
    int slot = slots(types, proto.params(), 0, out);
    if (ret && proto.returnType() != 0) out.add(arg(types, "retval", proto.returnType(), slot * 8));
    return Optional.of(List.copyOf(out));
  }

  /** {@return the arguments of raw tracepoint {@code tracepoint}; empty if BTF does not describe it} */
  public static Optional<List<Arg>> rawTracepoint(BtfTypes types, String tracepoint) {
    Optional<List<BtfType.Param>> ps = types.btf().rawTracepointArgs(tracepoint);
    if (ps.isEmpty()) return Optional.empty();
    List<Arg> out = new ArrayList<>();
    slots(types, ps.get(), 0, out);
    return Optional.of(List.copyOf(out));
  }

  private static int slots(BtfTypes types, List<BtfType.Param> params, int first, List<Arg> out) {
    Btf btf = types.btf();
    int slot = first;
    for (int i = 0; i < params.size(); i++) {
      BtfType.Param p = params.get(i);
      String name = p.name().isEmpty() ? "arg" + i : p.name();
      out.add(arg(types, name, p.type(), slot * 8));
      long size = p.type() == 0 ? 8 : sizeOrWord(btf, p.type());
      slot += (int) Math.max(1, (size + 7) / 8);
    }
    return slot;
  }

  private static long sizeOrWord(Btf btf, int id) {
    try {
      return btf.sizeOf(id);
    } catch (IllegalArgumentException e) {
      return 8;
    }
  }

  private static Arg arg(BtfTypes types, String name, int typeId, int offset) {
    return new Arg(name, types.btf().typeName(typeId), type(types, typeId), offset);
  }

  /** x86-64 {@code struct pt_regs} offsets of rdi, rsi, rdx, rcx, r8 and r9: the integer argument registers. */
  private static final int[] ARG_REGS = {112, 104, 96, 88, 72, 64};

  /**
   * {@return the arguments of a user function at its entry, as DWARF describes its parameters, each in the register
   * the x86-64 calling convention passes it in}: integers, enums and pointers take the integer registers in order,
   * floating-point values the vector registers (which a uprobe cannot read: they are left out); after a struct
   * passed by value, or past the sixth integer register, where an argument is depends on more than its type, so
   * those are left out too
   */
  public static List<Arg> uprobe(List<DwarfFunctions.Param> params) {
    List<Arg> out = new ArrayList<>();
    int reg = 0;
    for (int i = 0; i < params.size() && reg < ARG_REGS.length; i++) {
      DwarfFunctions.Param p = params.get(i);
      DwarfFunctions.DType t = strip(p.type());
      String name = p.name().isEmpty() ? "arg" + i : p.name();
      switch (t) {
        case DwarfFunctions.Base b when b.floating() -> {}
        case DwarfFunctions.Base b when b.size() <= 8 -> out.add(new Arg(name, DwarfFunctions.cName(p.type()), userType(t), ARG_REGS[reg++]));
        case DwarfFunctions.Pointer ptr -> out.add(new Arg(name, DwarfFunctions.cName(p.type()), userType(t), ARG_REGS[reg++]));
        case DwarfFunctions.Array a -> out.add(new Arg(name, DwarfFunctions.cName(p.type()), userType(t), ARG_REGS[reg++]));
        case DwarfFunctions.Enum e -> out.add(new Arg(name, DwarfFunctions.cName(p.type()), userType(t), ARG_REGS[reg++]));
        default -> reg = ARG_REGS.length;     // a struct by value, or something unknown: where the rest are is unknown
      }
    }
    return List.copyOf(out);
  }

  private static DwarfFunctions.DType strip(DwarfFunctions.DType t) {
    for (int i = 0; i < 16; i++) {
      switch (t) {
        case DwarfFunctions.Typedef td -> t = td.target();
        case DwarfFunctions.Qualified q -> t = q.target();
        default -> { return t; }
      }
    }
    return t;
  }

  /** {@return how a script sees a user value of type {@code t} passed in a register} */
  private static Type userType(DwarfFunctions.DType t) {
    return switch (strip(t)) {
      case DwarfFunctions.Base b -> b.encoding() == 2 ? Type.UINT8 : sized(b.size(), b.signed());
      case DwarfFunctions.Enum e -> sized(e.size(), e.signed());
      case DwarfFunctions.Pointer p -> new Type.Ptr(pointee(p.target()), true);
      case DwarfFunctions.Array a -> new Type.Ptr(pointee(a.element()), true);
      default -> Type.UINT64;
    };
  }

  private static Type pointee(DwarfFunctions.DType t) {
    return switch (strip(t)) {
      case DwarfFunctions.Base b when !b.floating() && b.size() <= 8 -> userType(b);
      case DwarfFunctions.Enum e -> userType(e);
      case DwarfFunctions.Composite c -> new Type.Record(c.kind() + " " + c.name(), c.size(), List.of());
      case DwarfFunctions.Pointer p -> new Type.Ptr(Type.UINT8, true);
      default -> Type.UINT8;
    };
  }

  private static Type.Int sized(int size, boolean signed) {
    return size == 1 || size == 2 || size == 4 || size == 8 ? new Type.Int(size, signed) : Type.UINT64;
  }

  /** {@return the record whose fields are {@code args}, named {@code name}: the type of a probe's {@code args}} */
  public static Type.Record record(String name, List<Arg> args) {
    List<Type.Field> fields = new ArrayList<>();
    int size = 0;
    for (Arg a : args) {
      fields.add(new Type.Field(a.name(), a.type(), a.offset()));
      size = Math.max(size, a.offset() + 8);
    }
    return new Type.Record(name, size, fields);
  }

  /**
   * {@return how a script sees a value of BTF type {@code id} that fills a context slot}: integers and enums keep
   * their size and sign; pointers are typed as {@link BtfTypes} types them (into kernel memory unless tagged
   * {@code __user}); anything else is the slot's 64 bits
   */
  public static Type type(BtfTypes types, int id) {
    Btf btf = types.btf();
    int r = btf.resolve(id);
    BtfType t = btf.type(r);
    return switch (t.kind()) {
      case INT -> {
        BtfType.Int i = (BtfType.Int) t;
        int size = i.size();
        yield size == 1 || size == 2 || size == 4 || size == 8 ? new Type.Int(size, i.signed()) : Type.UINT64;
      }
      case ENUM, ENUM64 -> {
        int size = (int) btf.sizeOf(r);
        boolean signed = t instanceof BtfType.Enum e ? e.signed() : ((BtfType.Enum64) t).signed();
        yield size == 1 || size == 2 || size == 4 || size == 8 ? new Type.Int(size, signed) : Type.UINT64;
      }
      // from id, not r: the __user tag is on the pointer's target, before qualifiers
      case PTR -> types.type(id);
      default -> Type.UINT64;
    };
  }
}
