package jbpf.lang.types;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import jbpf.elf.DwarfFunctions;
import jbpf.elf.UsdtProbe;

/**
 * What probes other than tracepoints can attach to on the running system, as far as the compiler needs to know:
 * kprobes name kernel functions, uprobes and USDT probes name ELF files and their symbols and notes, and {@code -p}
 * or {@code -c} name the process traced (raw tracepoints and kfuncs are typed from the kernel's BTF,
 * {@link KernelInfo#btf()}). Every method has a default that knows nothing, so a fake kernel implements only what a
 * test uses; {@link KernelInfo} extends it.
 */
public interface AttachTargets {
  // ---- the traced process --------------------------------------------------------------------------------

  /**
   * The process a script traces: the one given with {@code -p PID}, or the command started with {@code -c CMD},
   * which waits to run its program until the probes are attached.
   *
   * @param pid the process id
   * @param child whether jbpf started the process for {@code -c}; its pid is the {@code cpid} builtin
   * @param program for {@code -c}, the program the command will run, as a path; otherwise {@code null}
   */
  record Target(int pid, boolean child, String program) {
    public Target {
      if (pid <= 0) throw new IllegalArgumentException("target pid must be positive, not " + pid);
    }
  }

  /** {@return the process given with {@code -p} or {@code -c}, if any} */
  default Optional<Target> target() { return Optional.empty(); }

  // ---- the kernel's own functions ------------------------------------------------------------------------

  /**
   * A kernel function a kprobe can attach to.
   *
   * @param module the module that defines it, or {@code null} for the kernel image
   */
  record KernelFunction(String name, String module) {}

  /** {@return the kernel functions kprobes may attach to, in the kernel's order} */
  default List<KernelFunction> kprobeFunctions() { return List.of(); }

  // ---- user programs and libraries -----------------------------------------------------------------------

  /** A probe target that cannot be found; the message names it and says what was looked for. */
  final class NotFoundException extends Exception {
    public NotFoundException(String message) { super(message); }
  }

  /**
   * {@return the ELF files a uprobe or USDT target names, as paths the kernel can open: a path (wildcards
   * allowed), a program on {@code PATH}, or a library name such as {@code libc}, looked up as the dynamic linker
   * does and, for a target process, among the files it has mapped}
   *
   * @param pid the target process, or 0
   * @throws NotFoundException if it names no file
   */
  default List<String> binaries(String target, int pid) throws NotFoundException {
    throw new NotFoundException("uprobe target " + target + ": no such file");
  }

  /**
   * A function of an ELF file.
   *
   * @param symbol the symbol as stored (mangled for C++)
   * @param demangled its demangled name, or the symbol itself
   * @param address its link-time virtual address
   * @param fileOffset the file offset of {@code address}, where a uprobe attaches
   * @param size its size in bytes, 0 if unknown
   */
  record UserFunction(String symbol, String demangled, long address, long fileOffset, long size) {}

  /**
   * {@return the functions of ELF file {@code file} that {@code pattern} names, by symbol or by demangled name,
   * with or without parameter list, wildcards allowed}
   *
   * @throws NotFoundException if the file cannot be read
   */
  default List<UserFunction> userFunctions(String file, String pattern) throws NotFoundException {
    throw new NotFoundException("read " + file + ": no such file");
  }

  /**
   * {@return the parameters of the function starting at file offset {@code functionOffset} of ELF file {@code file},
   * from its DWARF debug information; empty if the file has none for it}
   *
   * @throws NotFoundException if the file cannot be read
   */
  default Optional<List<DwarfFunctions.Param>> userParameters(String file, long functionOffset) throws NotFoundException {
    return Optional.empty();
  }

  /**
   * {@return whether an instruction starts {@code offset} bytes into the function at file offset
   * {@code functionOffset} of ELF file {@code file}}: a uprobe placed inside an instruction would corrupt it
   *
   * @throws NotFoundException if the file cannot be read
   */
  default boolean instructionBoundary(String file, long functionOffset, long offset) throws NotFoundException { return true; }

  /**
   * {@return the function of ELF file {@code file} containing link-time virtual address {@code address} (its
   * {@code address} field is then the function's start), or a nameless one if no symbol covers it; empty if no
   * loaded segment holds the address}
   *
   * @throws NotFoundException if the file cannot be read
   */
  default Optional<UserFunction> userAddress(String file, long address) throws NotFoundException {
    throw new NotFoundException("read " + file + ": no such file");
  }

  /**
   * {@return the USDT probes of ELF file {@code file}, from its {@code .note.stapsdt} notes}
   *
   * @throws NotFoundException if the file cannot be read
   */
  default List<UsdtProbe> usdtProbes(String file) throws NotFoundException {
    throw new NotFoundException("read " + file + ": no such file");
  }

  /**
   * {@return the link-time virtual address of symbol {@code name} (a function or a variable) of ELF file
   * {@code file}, for USDT arguments that name one, e.g. {@code -4@counter(%rip)}}
   */
  default OptionalLong symbolAddress(String file, String name) { return OptionalLong.empty(); }

  /** {@return the ELF files process {@code pid} has mapped, as paths the kernel can open} */
  default List<String> mappedFiles(int pid) { return List.of(); }
}
