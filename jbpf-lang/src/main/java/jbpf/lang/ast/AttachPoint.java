package jbpf.lang.ast;

import java.util.List;
import jbpf.source.Span;

/**
 * One attach point as written, e.g. {@code tracepoint:syscalls:sys_enter_*} or {@code uprobe:"/a b/c":"ns::f(int)"}.
 *
 * <p>{@code parts} are the colon-separated parts with quotes removed; {@code raw} is the text as written.
 * The first part is the provider as written ({@code t}, {@code tracepoint}, {@code BEGIN}...); resolving
 * aliases, wildcards and targets belongs to semantic analysis. A C++ name with {@code ::} inside quotes
 * stays one part.
 */
public record AttachPoint(String raw, List<String> parts, Span span) implements Node {
  public AttachPoint { parts = List.copyOf(parts); }

  /** {@return the provider as written, e.g. {@code t} or {@code tracepoint}} */
  public String provider() { return parts.getFirst(); }
}
