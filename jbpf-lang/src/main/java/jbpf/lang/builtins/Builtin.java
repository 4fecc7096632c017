package jbpf.lang.builtins;

import jbpf.lang.types.Type;

/**
 * The builtin variables of the language, each with its type. How each is computed in the kernel is
 * {@code jbpf.lang.codegen}'s business; this table is the one place that lists them.
 */
public enum Builtin {
  PID("pid", Type.UINT32), TID("tid", Type.UINT32), UID("uid", Type.UINT32), GID("gid", Type.UINT32),
  NSECS("nsecs", Type.UINT64), ELAPSED("elapsed", Type.UINT64), JIFFIES("jiffies", Type.UINT64),
  CPU("cpu", Type.UINT32), NUMAID("numaid", Type.UINT32), COMM("comm", new Type.Str(16)),
  PROBE("probe", Type.PROBE), RAND("rand", Type.UINT32), CGROUP("cgroup", Type.UINT64),
  CURTASK("curtask", Type.UINT64), NCPUS("ncpus", Type.UINT64), CPID("cpid", Type.UINT32),
  USERMODE("usermode", Type.UINT8), FUNC("func", Type.UINT64), RETVAL("retval", Type.INT64),
  USERNAME("username", Type.UINT64);

  private final String id;
  private final Type type;

  Builtin(String id, Type type) {
    this.id = id;
    this.type = type;
  }

  /** {@return the name in the language} */
  public String id() { return id; }

  /** {@return the type of the value; some builtins are retyped per probe by semantic analysis} */
  public Type type() { return type; }

  /** {@return the builtin named {@code name}, or {@code null}} */
  public static Builtin named(String name) {
    for (Builtin b : values()) if (b.id.equals(name)) return b;
    return null;
  }
}
