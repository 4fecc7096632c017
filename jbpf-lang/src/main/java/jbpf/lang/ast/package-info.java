/**
 * The syntax tree of a bpftrace script: sealed records that passes take apart with exhaustive switches.
 * The grammar is bpftrace's (https://github.com/bpftrace/bpftrace/blob/master/man/adoc/bpftrace.adoc).
 */
package jbpf.lang.ast;
