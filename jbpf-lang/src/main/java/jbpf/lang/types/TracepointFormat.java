package jbpf.lang.types;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record layout of a tracepoint, parsed from its tracefs {@code format} file:
 * <pre>
 * name: sys_enter_openat
 * ID: 782
 * format:
 * 	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 * 	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
 * 	field:const char * filename;	offset:24;	size:8;	signed:0;
 * 	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
 * 	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
 * </pre>
 *
 * @param fields every field, the {@code common_*} ones included, in file order
 */
public record TracepointFormat(String category, String name, int id, List<TracepointField> fields) {
  public TracepointFormat { fields = List.copyOf(fields); }

  /**
   * One field as the format file declares it.
   *
   * @param ctype the C declaration without the name, e.g. {@code const char *} or {@code char[16]}
   */
  public record TracepointField(String name, String ctype, int offset, int size, boolean signed) {
    /** {@return whether this is a {@code __data_loc} field: a locator of variable-length data} */
    public boolean dataLoc() { return ctype.startsWith("__data_loc"); }

    /** {@return whether this is one of the {@code common_*} fields every tracepoint has} */
    public boolean common() { return name.startsWith("common_"); }
  }

  private static final Pattern FIELD =
      Pattern.compile("field:(.+?);\\s*offset:(\\d+);\\s*size:(\\d+);\\s*signed:(\\d+);");
  private static final Pattern ARRAY = Pattern.compile("^(.*?)\\s*(\\w+)\\s*(\\[[^\\]]*\\])$");

  /** Parses a format file's text. @throws IllegalArgumentException if it has no fields */
  public static TracepointFormat parse(String category, String text) {
    String name = "";
    int id = -1;
    List<TracepointField> fields = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("name:")) name = l.substring(5).strip();
      else if (l.startsWith("ID:")) id = Integer.parseInt(l.substring(3).strip());
      else {
        Matcher m = FIELD.matcher(l);
        if (!m.find()) continue;
        String decl = m.group(1).strip();
        String ctype;
        String fname;
        Matcher arr = ARRAY.matcher(decl);
        if (arr.matches()) {
          fname = arr.group(2);
          ctype = arr.group(1) + arr.group(3);
        } else {
          int i = decl.length();
          while (i > 0 && (Character.isLetterOrDigit(decl.charAt(i - 1)) || decl.charAt(i - 1) == '_')) i--;
          fname = decl.substring(i);
          ctype = decl.substring(0, i).strip();
        }
        fields.add(new TracepointField(fname, ctype, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4).equals("1")));
      }
    }
    if (fields.isEmpty()) throw new IllegalArgumentException("tracepoint format of " + category + ":" + name + " has no fields");
    return new TracepointFormat(category, name, id, fields);
  }

  /** {@return the field named {@code name}, or {@code null}} */
  public TracepointField field(String name) {
    for (TracepointField f : fields) if (f.name().equals(name)) return f;
    return null;
  }

  /** {@return the record type of {@code args}: every non-common field, typed from its declaration} */
  public Type.Record record() {
    List<Type.Field> out = new ArrayList<>();
    int size = 0;
    for (TracepointField f : fields) {
      size = Math.max(size, f.offset() + f.size());
      if (f.common()) continue;
      out.add(new Type.Field(f.name(), typeOf(f), f.offset(), 0, 0, f.dataLoc()));
    }
    return new Type.Record("struct _tracepoint_" + category + "_" + name, size, out);
  }

  /**
   * {@return the integer type a C type name declares, for the base types and the kernel typedefs that
   * tracepoints use, or {@code null} for others} Syscall tracepoints declare {@code int flags} in an 8-byte
   * slot: bpftrace reads it as the declared {@code int}.
   */
  static Type.Int cInt(String ctype) {
    String t = ctype.replace("const ", "").replace("volatile ", "").replace("signed ", "").strip();
    boolean unsigned = t.startsWith("unsigned ");
    if (unsigned) t = t.substring(9).strip();
    Type.Int base = switch (t) {
      case "char" -> Type.INT8;
      case "short", "short int" -> Type.INT16;
      case "int" -> Type.INT32;
      case "long", "long int", "long long", "long long int" -> Type.INT64;
      case "bool", "_Bool", "u8", "__u8", "uint8_t" -> Type.UINT8;
      case "s8", "__s8", "int8_t" -> Type.INT8;
      case "u16", "__u16", "uint16_t", "umode_t", "__be16", "__le16", "sa_family_t" -> Type.UINT16;
      case "s16", "__s16", "int16_t" -> Type.INT16;
      case "u32", "__u32", "uint32_t", "uid_t", "gid_t", "dev_t", "__be32", "__le32", "gfp_t", "fmode_t", "key_serial_t" -> Type.UINT32;
      case "s32", "__s32", "int32_t", "pid_t", "clockid_t", "timer_t", "mqd_t", "key_t" -> Type.INT32;
      case "u64", "__u64", "uint64_t", "size_t", "sector_t", "ino_t", "blkcnt_t", "cputime_t", "aio_context_t",
           "qid_t", "__kernel_size_t", "unsigned long", "dma_addr_t", "phys_addr_t", "resource_size_t", "u64 *" -> Type.UINT64;
      case "s64", "__s64", "int64_t", "loff_t", "off_t", "ssize_t", "time_t", "__kernel_old_time_t", "clock_t", "long long *" -> Type.INT64;
      default -> null;
    };
    if (base == null) return null;
    return unsigned ? new Type.Int(base.bytes(), false) : base;
  }

  /**
   * The type bpftrace gives a field: {@code char[N]} and {@code __data_loc char[]} are strings, other
   * arrays are arrays of their element, pointers are 64-bit pointers, the rest are integers of the field's
   * size and signedness. The kernel's format files describe syscall pointer arguments as
   * {@code const char *}; bpftrace reads those as user pointers.
   */
  static Type typeOf(TracepointField f) {
    String t = f.ctype();
    if (f.dataLoc()) return t.contains("char") ? new Type.Str(Math.max(1, f.size())) : new Type.Int(4, false);
    int bracket = t.indexOf('[');
    if (bracket >= 0) {
      String elem = t.substring(0, bracket).strip();
      if (elem.endsWith("char")) return new Type.Str(f.size());
      int len;
      try { len = Integer.parseInt(t.substring(bracket + 1, t.indexOf(']')).strip()); } catch (NumberFormatException e) { len = 0; }
      if (len <= 0) return new Type.Int(Math.min(8, Math.max(1, f.size())), f.signed());
      int esize = f.size() / len;
      Type et = esize == 1 || esize == 2 || esize == 4 || esize == 8 ? new Type.Int(esize, f.signed()) : Type.UINT8;
      return new Type.Array(et, len);
    }
    if (t.endsWith("*")) {
      String pointee = t.substring(0, t.length() - 1).strip().replace("const ", "");
      Type p = pointee.equals("char") ? new Type.Int(1, true) : Type.UINT8;
      return new Type.Ptr(p, true);
    }
    Type.Int declared = cInt(t);
    if (declared != null && declared.bytes() <= f.size()) return declared;
    int size = f.size();
    if (size != 1 && size != 2 && size != 4 && size != 8) size = 8;
    return new Type.Int(size, f.signed());
  }
}
