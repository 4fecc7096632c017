package jbpf.output;

/**
 * A problem with a printf-style format string or its arguments, worded as bpftrace words it.
 *
 * @param message what is wrong, e.g. {@code printf: %d specifier expects a value of type integer (string supplied)}
 * @param offset the index in the format string of the specifier at fault, or -1 when the fault is the call's
 *     argument count
 * @param length the length of that specifier, or 0
 * @param argument the index of the argument at fault, or -1
 */
public record FormatError(String message, int offset, int length, int argument) {}
