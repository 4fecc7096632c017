package jbpf.lang.ast;

import jbpf.source.Span;

/** One {@code key = value} of a {@code config = { ... }} block; the value is an integer or string literal, or an identifier. */
public record ConfigEntry(String key, Expr value, Span span) implements Node {}
