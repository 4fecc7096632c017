package jbpf.lang.ast;

import java.util.List;
import jbpf.source.Span;

/**
 * One probe: its attach points ({@code kprobe:a, kprobe:b}), an optional {@code /predicate/}, and its body.
 *
 * @param predicate the filter, or {@code null}
 */
public record Probe(List<AttachPoint> attachPoints, Expr predicate, Stmt.Block body, Span span) implements Node {
  public Probe { attachPoints = List.copyOf(attachPoints); }
}
