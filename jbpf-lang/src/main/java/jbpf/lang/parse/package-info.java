/**
 * The bpftrace parser: {@link jbpf.lang.lex.Token}s to a {@link jbpf.lang.ast.Program}, by recursive descent with
 * precedence climbing, reporting every syntax error in bpftrace's words and resynchronising at the next statement or
 * probe. It also runs the small part of the C preprocessor that scripts rely on ({@code #include}, {@code #define},
 * {@code #if}/{@code #ifdef}/{@code #ifndef}). The grammar is bpftrace's
 * (https://github.com/bpftrace/bpftrace/blob/master/man/adoc/bpftrace.adoc).
 */
package jbpf.lang.parse;
