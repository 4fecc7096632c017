/**
 * The JIT: a verified program becomes one hidden class built with {@code java.lang.classfile}
 * (https://openjdk.org/jeps/484) and defined with {@code Lookup.defineHiddenClass}.
 */
package jbpf.vm.jit;
