package jbpf.lang.ast;

import jbpf.source.Span;

/** Anything in a script's syntax tree. Every node knows the span of source it was parsed from. */
public sealed interface Node permits Program, Probe, AttachPoint, Stmt, Expr, TypeName, Decl, ConfigEntry {
  Span span();
}
