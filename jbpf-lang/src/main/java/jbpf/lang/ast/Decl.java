package jbpf.lang.ast;

import java.util.List;
import jbpf.source.Span;

/** A top-level declaration other than a probe: C type definitions, user functions and macros. */
public sealed interface Decl extends Node {
  /** {@code struct NAME { fields };} or {@code union NAME { ... };} written in the script. */
  record Struct(boolean union, String name, List<Field> fields, Span span) implements Decl {
    public Struct { fields = List.copyOf(fields); }
  }

  /** A field of a {@link Struct}: {@code type name;} with an optional bit width ({@code int a : 3;}), or -1. */
  record Field(TypeName type, String name, int bitWidth, Span span) {}

  /** {@code enum NAME { A, B = 5, ... };}; values without {@code =} count up from the previous one. */
  record Enum(String name, List<Enumerator> values, Span span) implements Decl {
    public Enum { values = List.copyOf(values); }
  }

  /** One name of an {@link Enum}, with its value expression or {@code null}. */
  record Enumerator(String name, Expr value, Span span) {}

  /** {@code typedef TYPE NAME;} */
  record Typedef(TypeName type, String name, Span span) implements Decl {}

  /** {@code fn name($a: type, ...): type { ... }}: a user function, compiled to a BPF subprogram. */
  record Function(String name, List<Param> params, TypeName returnType, Stmt.Block body, Span span) implements Decl {
    public Function { params = List.copyOf(params); }
  }

  /** A parameter {@code $name: type}; for macros the type is {@code null} and the name may be a map ({@code @m}). */
  record Param(String name, TypeName type, Span span) {}

  /** {@code macro name(a, $b, @c) { ... }}: expanded inline where it is called. */
  record Macro(String name, List<Param> params, Stmt.Block body, Span span) implements Decl {
    public Macro { params = List.copyOf(params); }
  }
}
