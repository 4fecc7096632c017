/**
 * The bpftrace lexer: script text to {@link jbpf.lang.lex.Token}s. Lexing is context sensitive the way bpftrace's
 * is: at the start of a probe everything up to whitespace, {@code ,}, a predicate or {@code {} is one
 * {@link jbpf.lang.lex.TokenKind#ATTACH_POINT} token, and inside a predicate a {@code /} followed by {@code {} ends
 * it. The language is described in bpftrace's manual (https://github.com/bpftrace/bpftrace/blob/master/man/adoc/bpftrace.adoc).
 */
package jbpf.lang.lex;
