package jbpf.elf;

/**
 * A well-formed file uses a feature this reader does not implement, e.g. BTF-defined maps in a BPF object.
 * The message names the feature and, where there is one, what to use instead.
 */
public final class ElfNotSupportedException extends ElfFormatException {
  public ElfNotSupportedException(String message) { super(message); }
}
