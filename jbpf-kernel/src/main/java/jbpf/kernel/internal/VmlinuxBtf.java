package jbpf.kernel.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Finds the type id of a kernel function in the vmlinux BTF ({@code /sys/kernel/btf/vmlinux}), which fentry and
 * fexit programs name as their {@code attach_btf_id}. Only type sizes are decoded; see
 * https://docs.kernel.org/bpf/btf.html for the format.
 */
public final class VmlinuxBtf {
  private VmlinuxBtf() {}

  /** The file the kernel exposes its own BTF in. */
  public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

  private static final int BTF_MAGIC = 0xeB9F;
  private static final int KIND_FUNC = 12;

  /**
   * {@return the id of the {@code BTF_KIND_FUNC} named {@code name} in {@code btf}, or empty}
   * @throws IllegalArgumentException if {@code btf} is not BTF
   */
  public static OptionalInt findFunction(ByteBuffer btf, String name) {
    ByteBuffer b = btf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if ((b.getShort(0) & 0xffff) != BTF_MAGIC) throw new IllegalArgumentException("not BTF (bad magic)");
    int hdrLen = b.getInt(4);
    int typeOff = hdrLen + b.getInt(8);
    int typeLen = b.getInt(12);
    int strOff = hdrLen + b.getInt(16);
    int strLen = b.getInt(20);
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    int pos = typeOff, end = typeOff + typeLen, id = 1;
    while (pos < end) {
      int nameOff = b.getInt(pos);
      int info = b.getInt(pos + 4);
      int kind = (info >>> 24) & 0x1f;
      int vlen = info & 0xffff;
      if (kind == KIND_FUNC && nameOff < strLen && nameEquals(b, strOff + nameOff, want)) return OptionalInt.of(id);
      pos += 12 + switch (kind) {
        case 1, 14, 17 -> 4;            // INT, VAR, DECL_TAG: one u32
        case 3 -> 12;                   // ARRAY: struct btf_array
        case 4, 5, 15, 19 -> vlen * 12; // STRUCT, UNION, DATASEC, ENUM64
        case 6, 13 -> vlen * 8;         // ENUM, FUNC_PROTO
        default -> 0;                   // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
      };
      id++;
    }
    return OptionalInt.empty();
  }

  private static boolean nameEquals(ByteBuffer b, int at, byte[] want) {
    if (at + want.length >= b.limit()) return false;
    for (int i = 0; i < want.length; i++) if (b.get(at + i) != want[i]) return false;
    return b.get(at + want.length) == 0;
  }

  /** {@return the id of kernel function {@code name} in the vmlinux BTF, or empty if it or the BTF is missing} */
  public static OptionalInt findFunction(String name) {
    if (!Files.isReadable(VMLINUX)) return OptionalInt.empty();
    try {
      return findFunction(ByteBuffer.wrap(Files.readAllBytes(VMLINUX)), name);
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }
}
