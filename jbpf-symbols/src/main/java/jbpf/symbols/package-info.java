/**
 * Symbols for probes and stacks: kernel symbols from {@code /proc/kallsyms}, user symbols of a process from
 * {@code /proc/PID/maps} and the ELF files it maps (with separate debug files, MiniDebugInfo and JIT perf maps),
 * library and program lookup as the dynamic linker and the shell do it, and matching of probe targets by symbol
 * name, wildcard or demangled C++ name. See https://docs.kernel.org/filesystems/proc.html and
 * https://docs.kernel.org/trace/uprobetracer.html.
 */
package jbpf.symbols;
