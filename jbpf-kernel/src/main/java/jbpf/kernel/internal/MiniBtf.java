package jbpf.kernel.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The smallest BTF that describes a program's functions, for loading programs with callbacks when the caller has
 * no BTF of its own (the verifier wants {@code func_info} for every function a {@code BPF_PSEUDO_FUNC} names):
 * an {@code int}, a prototype {@code int (void)}, and one {@code BTF_KIND_FUNC} per function, the first global,
 * the others static. See https://docs.kernel.org/bpf/btf.html.
 */
public final class MiniBtf {
  private MiniBtf() {}

  private static final int KIND_INT = 1, KIND_FUNC_PROTO = 13, KIND_FUNC = 12;
  private static final int LINKAGE_STATIC = 0, LINKAGE_GLOBAL = 1;

  /** A function: its name and its first instruction slot. */
  public record Function(String name, int insnOff) {}

  /** The BTF blob and its func_info records. */
  public record Result(byte[] btf, byte[] funcInfo) {}

  /** {@return BTF for {@code functions} (the main program first, at slot 0) and their func_info records} */
  public static Result of(List<Function> functions) {
    ByteArrayOutputStream strings = new ByteArrayOutputStream();
    strings.write(0);
    int intName = addString(strings, "int");
    ByteBuffer types = ByteBuffer.allocate(16 + 12 + 12 * functions.size()).order(ByteOrder.LITTLE_ENDIAN);
    // [1] int: size 4, encoding BTF_INT_SIGNED, 32 bits
    types.putInt(intName).putInt(KIND_INT << 24).putInt(4).putInt((1 << 24) | 32);
    // [2] int (void)
    types.putInt(0).putInt(KIND_FUNC_PROTO << 24).putInt(1);
    ByteBuffer info = ByteBuffer.allocate(8 * functions.size()).order(ByteOrder.LITTLE_ENDIAN);
    int id = 3;
    for (int i = 0; i < functions.size(); i++, id++) {
      Function f = functions.get(i);
      types.putInt(addString(strings, f.name())).putInt((KIND_FUNC << 24) | (i == 0 ? LINKAGE_GLOBAL : LINKAGE_STATIC)).putInt(2);
      info.putInt(f.insnOff()).putInt(id);
    }
    byte[] str = strings.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(24 + types.position() + str.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24)
        .putInt(0).putInt(types.position()).putInt(types.position()).putInt(str.length);
    out.put(types.array(), 0, types.position()).put(str);
    return new Result(out.array(), info.array());
  }

  private static int addString(ByteArrayOutputStream strings, String s) {
    int at = strings.size();
    strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    strings.write(0);
    return at;
  }
}
