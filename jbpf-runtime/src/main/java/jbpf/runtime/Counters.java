package jbpf.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jbpf.lang.typed.MapInfo;
import jbpf.lang.typed.TExpr;
import jbpf.lang.typed.TStmt;
import jbpf.lang.typed.TypedProgram;
import jbpf.map.BpfMap;
import jbpf.output.Output;
import jbpf.output.SourceLocation;
import jbpf.source.Span;

/**
 * Reports what programs count for userspace: events the ring buffer had no room for ({@code Lost N events}, as
 * the count grows), and maps they failed to update (a full map), once per map.
 *
 * <p>Both are single-entry arrays that programs address directly. {@code CompiledScript.LOST_MAP} holds the
 * number of lost events. {@code CompiledScript.ERRORS_MAP} holds a u64 per map: the failed update's return value
 * in the low 32 bits, one more than the source offset of the updating statement in the high 32 bits.
 */
final class Counters {
  private static final byte[] KEY = new byte[4];

  private final TypedProgram script;
  private final BpfMap lost;
  private final BpfMap errors;
  private final boolean[] reported;
  private long lostReported;

  Counters(TypedProgram script, BpfMap lost, BpfMap errors) {
    this.script = script;
    this.lost = lost;
    this.errors = errors;
    this.reported = new boolean[script.maps().size()];
  }

  /** Reports events lost since the last check, then each map whose updates failed and that was not reported yet. */
  void check(Output out) {
    long count = ByteBuffer.wrap(lost.lookup(KEY)).order(ByteOrder.nativeOrder()).getLong(0);
    if (Long.compareUnsigned(count, lostReported) > 0) {
      out.lostEvents(count - lostReported);
      lostReported = count;
    }
    List<MapInfo> maps = script.maps();
    ByteBuffer failures = null;
    for (int i = 0; i < maps.size(); i++) {
      if (reported[i]) continue;
      if (failures == null) failures = ByteBuffer.wrap(errors.lookup(KEY)).order(ByteOrder.nativeOrder());
      long failure = failures.getLong(8 * i);
      if (failure == 0) continue;
      reported[i] = true;
      out.mapUpdateFailed((int) failure, location(maps.get(i), (int) (failure >>> 32) - 1));
    }
  }

  /** {@return where the update of {@code map} at source offset {@code start} is, or its first update if none starts there} */
  private SourceLocation location(MapInfo map, int start) {
    Span span = null;
    for (TypedProgram.TProbe p : script.probes()) {
      span = update(p.body(), map, start);
      if (span != null) break;
    }
    for (int i = 0; span == null && i < script.probes().size(); i++) span = update(script.probes().get(i).body(), map, -1);
    if (span == null) return new SourceLocation(script.source().name(), 0, 0, "");
    return new SourceLocation(span.toString(), span.line(), span.column(), span.excerpt() + "\n");
  }

  /**
   * {@return the span of the first statement in {@code s} that stores into {@code map} and starts at {@code start}
   * (anywhere if {@code start} is -1), or {@code null}}
   */
  private static Span update(TStmt s, MapInfo map, int start) {
    return switch (s) {
      case TStmt.Block b -> {
        for (TStmt x : b.stmts()) {
          Span found = update(x, map, start);
          if (found != null) yield found;
        }
        yield null;
      }
      case TStmt.MapStore m -> matches(m.map(), m.span(), map, start);
      case TStmt.Aggregate a -> matches(a.map(), a.span(), map, start);
      case TStmt.Eval e -> e.expr() instanceof TExpr.Update u && u.target() instanceof TExpr.MapGet g
          ? matches(g.map(), e.span(), map, start) : null;
      case TStmt.If i -> {
        Span found = update(i.then(), map, start);
        yield found != null || i.otherwise() == null ? found : update(i.otherwise(), map, start);
      }
      case TStmt.While w -> update(w.body(), map, start);
      default -> null;
    };
  }

  private static Span matches(MapInfo updated, Span span, MapInfo map, int start) {
    return updated.specName().equals(map.specName()) && (start == -1 || span.start() == start) ? span : null;
  }
}
