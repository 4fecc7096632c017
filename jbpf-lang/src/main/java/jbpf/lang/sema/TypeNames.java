package jbpf.lang.sema;

import jbpf.lang.ast.TypeName;
import jbpf.lang.typed.TypedProgram.Settings;
import jbpf.lang.types.Type;
import jbpf.source.Span;

/** Resolves type names as written in casts and declarations. */
final class TypeNames {
  private TypeNames() {}

  interface Errors { void error(Span span, String message); }

  /** {@return the type {@code tn} names, or {@code null} after reporting why there is none} */
  static Type resolve(TypeName tn, Errors errors, Settings settings) {
    Type base = switch (tn.name()) {
      case "int8", "int8_t", "s8", "char", "signed char" -> Type.INT8;
      case "int16", "int16_t", "s16", "short", "signed short" -> Type.INT16;
      case "int32", "int32_t", "s32", "int", "signed int", "signed" -> Type.INT32;
      case "int64", "int64_t", "s64", "long", "long long", "signed long", "ssize_t" -> Type.INT64;
      case "uint8", "uint8_t", "u8", "unsigned char", "bool" -> Type.UINT8;
      case "uint16", "uint16_t", "u16", "unsigned short" -> Type.UINT16;
      case "uint32", "uint32_t", "u32", "unsigned int", "unsigned" -> Type.UINT32;
      case "uint64", "uint64_t", "u64", "unsigned long", "unsigned long long", "size_t" -> Type.UINT64;
      case "string" -> new Type.Str(settings.maxStrlen());
      default -> null;
    };
    if (base == null) {
      errors.error(tn.span(), "Unknown type: " + tn.name());
      return null;
    }
    if (tn.pointers() > 0) {
      Type t = base;
      for (int i = 0; i < tn.pointers(); i++) t = new Type.Ptr(t, false);
      return t;
    }
    if (tn.arrayLength() >= 0) return base instanceof Type.Int && base.size() == 1 && tn.name().contains("char") ? new Type.Str(tn.arrayLength()) : new Type.Array(base, tn.arrayLength());
    return base;
  }
}
