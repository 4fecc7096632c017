package jbpf.btf;

/**
 * BTF data that breaks the format: a bad header, a record past the end of its section, a reference to a type or
 * string that does not exist, or a cycle of type references. Because records are decoded on demand, any query on a
 * {@link Btf} may throw it, not only {@link Btf#parse}.
 */
public final class BtfException extends RuntimeException {
  public BtfException(String message) { super(message); }

  public BtfException(String message, Throwable cause) { super(message, cause); }
}
