package jbpf.map;

import jbpf.sys.Bpf;

/** How an update treats an existing key: the {@code flags} of {@code BPF_MAP_UPDATE_ELEM}. */
public enum UpdateFlag {
  /** {@code BPF_ANY}: create the entry or overwrite it. */
  ANY(Bpf.BPF_ANY),
  /** {@code BPF_NOEXIST}: create the entry; fail if the key exists. */
  NOEXIST(Bpf.BPF_NOEXIST),
  /** {@code BPF_EXIST}: overwrite the entry; fail if the key does not exist. */
  EXIST(Bpf.BPF_EXIST);

  private final int value;

  UpdateFlag(int value) { this.value = value; }

  /** {@return the kernel's flag value} */
  public int value() { return value; }
}
