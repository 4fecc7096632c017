package jbpf.asm;

/**
 * A symbolic operand of an instruction, resolved after code generation: jump targets and local calls when the
 * {@link InsnList} is resolved, map references when the program is loaded and its maps have file descriptors.
 */
public sealed interface Ref {
  /** A jump to a label: fills {@code off} (or {@code imm} for a 32-bit {@code gotol}). */
  record Jump(Label target) implements Ref {}

  /** A bpf-to-bpf call of the function at a label: fills {@code imm}. */
  record Call(Label target) implements Ref {}

  /** The address of the function at a label ({@code lddw} with {@code BPF_PSEUDO_FUNC}), for callbacks. */
  record Func(Label target) implements Ref {}

  /** A map by name ({@code lddw} with {@code BPF_PSEUDO_MAP_FD}): its fd is filled in at load time. */
  record Map(String name) implements Ref {}

  /** The address {@code offset} bytes into the value of a single-entry array map ({@code BPF_PSEUDO_MAP_VALUE}). */
  record MapValue(String name, int offset) implements Ref {}
}
