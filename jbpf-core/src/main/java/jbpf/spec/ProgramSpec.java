package jbpf.spec;

import java.util.Objects;
import jbpf.asm.Bytecode;

/**
 * A blueprint of a kernel program; {@code jbpf.prog.BpfProgram} loads it.
 *
 * @param name the program name the kernel shows (at most 15 bytes are kept)
 * @param expectedAttachType the attach type fixed at load time, or {@code null}
 * @param attachTo for {@link ProgramType#TRACING} programs, the kernel function name; otherwise {@code null}
 * @param license the license string; helpers such as {@code probe_read} need a GPL-compatible one
 */
public record ProgramSpec(String name, ProgramType type, AttachType expectedAttachType, String attachTo, Bytecode code, String license) {
  public ProgramSpec {
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
    Objects.requireNonNull(code);
    Objects.requireNonNull(license);
  }

  public ProgramSpec(String name, ProgramType type, Bytecode code) { this(name, type, null, null, code, "GPL"); }
}
