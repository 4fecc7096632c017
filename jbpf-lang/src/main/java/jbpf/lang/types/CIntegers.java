package jbpf.lang.types;

/**
 * The integer types C and the kernel name without BTF: {@code unsigned long}, {@code u32}, {@code pid_t}...
 * as on 64-bit Linux (LP64), where {@code char} is signed.
 */
public final class CIntegers {
  private CIntegers() {}

  /** {@return the integer type {@code name} declares, qualifiers ignored, or {@code null} if it is not one} */
  public static Type.Int of(String name) {
    String t = name.replace("const ", "").replace("volatile ", "").strip().replaceAll("\\s+", " ");
    boolean unsigned = t.startsWith("unsigned ") || t.equals("unsigned");
    boolean signedKw = t.startsWith("signed ") || t.equals("signed");
    if (unsigned) t = t.equals("unsigned") ? "int" : t.substring(9).strip();
    else if (signedKw) t = t.equals("signed") ? "int" : t.substring(7).strip();
    Type.Int base = switch (t) {
      case "char" -> Type.INT8;
      case "short", "short int" -> Type.INT16;
      case "int" -> Type.INT32;
      case "long", "long int", "long long", "long long int" -> Type.INT64;
      case "int8", "int8_t", "s8", "__s8" -> Type.INT8;
      case "int16", "int16_t", "s16", "__s16" -> Type.INT16;
      case "int32", "int32_t", "s32", "__s32", "pid_t", "clockid_t", "timer_t", "mqd_t", "key_t", "key_serial_t" -> Type.INT32;
      case "int64", "int64_t", "s64", "__s64", "loff_t", "off_t", "ssize_t", "time_t", "__kernel_old_time_t", "clock_t",
           "__kernel_ssize_t", "__kernel_loff_t" -> Type.INT64;
      case "uint8", "uint8_t", "u8", "__u8" -> Type.UINT8;
      case "uint16", "uint16_t", "u16", "__u16", "umode_t", "__be16", "__le16", "sa_family_t" -> Type.UINT16;
      case "uint32", "uint32_t", "u32", "__u32", "uid_t", "gid_t", "dev_t", "__be32", "__le32", "gfp_t", "fmode_t" -> Type.UINT32;
      case "uint64", "uint64_t", "u64", "__u64", "size_t", "sector_t", "ino_t", "blkcnt_t", "__kernel_size_t",
           "dma_addr_t", "phys_addr_t", "resource_size_t", "uintptr_t", "__be64", "__le64" -> Type.UINT64;
      default -> null;
    };
    if (base == null) return null;
    if (unsigned) return new Type.Int(base.bytes(), false);
    return base;
  }
}
