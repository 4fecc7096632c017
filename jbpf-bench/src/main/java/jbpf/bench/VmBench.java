package jbpf.bench;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jbpf.asm.text.AsmParser;
import jbpf.vm.Context;
import jbpf.vm.Engine;
import jbpf.vm.Vm;
import jbpf.vm.VmProgram;
import jbpf.vm.filter.EventFilter;
import jbpf.vm.filter.EventLayout;
import jbpf.vm.filter.FieldType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per event for the programs of {@code shared/vm-bench} (found through {@code -Djbpf.shared=DIR},
 * {@code $JBPF_SHARED}, a {@code shared} directory beside the working directory or an ancestor, or
 * {@code /work/shared}), in the interpreter and the JIT, next to the same filter written by hand in Java over the
 * same native {@link MemorySegment}, so that ratios come from one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class VmBench {
  static final String AND7 = "foo == 42 && bar == \"baz\" && pid != 0 && cpu_id < 64 && latency_ns > 1000 && prio <= 20 && comm == \"myapp\"";

  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  MemorySegment eventTrue, eventFalse;
  Engine trivialJit, trivialInterp, filterJit, filterInterp, arithJit, arithInterp;
  EventFilter filterApi;

  static Path shared() {
    List<Path> candidates = new ArrayList<>();
    String prop = System.getProperty("jbpf.shared");
    if (prop != null) candidates.add(Path.of(prop));
    String env = System.getenv("JBPF_SHARED");
    if (env != null) candidates.add(Path.of(env));
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) candidates.add(p.resolve("shared"));
    candidates.add(Path.of("/work/shared"));
    for (Path c : candidates) if (Files.isDirectory(c.resolve("vm-bench"))) return c.resolve("vm-bench");
    throw new IllegalStateException("vm-bench programs not found in any of " + candidates + "; set -Djbpf.shared=DIR");
  }

  static VmProgram load(Path dir, String name) throws Exception {
    return Vm.builder().build().load(AsmParser.parse(new jbpf.source.Source(name, Files.readString(dir.resolve(name)))), Context.readOnly(64));
  }

  static MemorySegment event(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    MemorySegment s = Arena.global().allocate(b.length, 8);
    MemorySegment.copy(MemorySegment.ofArray(b), 0, s, 0, b.length);
    return s;
  }

  static EventLayout layout() {
    return EventLayout.builder(64)
        .field("timestamp", FieldType.U64, 0).field("pid", FieldType.U32, 8).field("tid", FieldType.U32, 12)
        .field("foo", FieldType.S32, 16).field("cpu_id", FieldType.U16, 20).field("prio", FieldType.U8, 22)
        .field("flags", FieldType.U8, 23).field("latency_ns", FieldType.U64, 24).field("bar", FieldType.chars(16), 32)
        .field("comm", FieldType.chars(16), 48).build();
  }

  @Setup
  public void setup() throws Exception {
    Path dir = shared();
    eventTrue = event(dir.resolve("event_true.bin"));
    eventFalse = event(dir.resolve("event_false.bin"));
    VmProgram trivial = load(dir, "trivial.asm"), filter = load(dir, "filter_and7.asm"), arith = load(dir, "arith100.asm");
    trivialJit = trivial.jit();
    trivialInterp = trivial.interpreter();
    filterJit = filter.jit();
    filterInterp = filter.interpreter();
    arithJit = arith.jit();
    arithInterp = arith.interpreter();
    filterApi = EventFilter.compile(AND7, layout());
    if (filterJit.run(eventTrue) != 1 || filterJit.run(eventFalse) != 0 || handWritten(eventTrue) != 1 || handWritten(eventFalse) != 0
        || !filterApi.test(eventTrue) || filterApi.test(eventFalse) || arithJit.run(eventTrue) != arithInterp.run(eventTrue))
      throw new IllegalStateException("benchmark programs disagree");
  }

  /** filter_and7 written by hand in Java, reading the same native segment. */
  static long handWritten(MemorySegment e) {
    if (e.get(I32, 16) != 42) return 0;
    if (e.get(I32, 32) != 0x007a6162) return 0;
    if (e.get(I32, 8) == 0) return 0;
    if (Short.toUnsignedInt(e.get(I16, 20)) >= 64) return 0;
    if (Long.compareUnsigned(e.get(I64, 24), 1000) <= 0) return 0;
    if (Byte.toUnsignedInt(e.get(JAVA_BYTE, 22)) > 20) return 0;
    if (e.get(I32, 48) != 0x7061796d) return 0;
    if (e.get(I16, 52) != 0x70) return 0;
    return 1;
  }

  @Benchmark public long trivialJit() { return trivialJit.run(eventTrue); }
  @Benchmark public long trivialInterp() { return trivialInterp.run(eventTrue); }
  @Benchmark public long filterJitTrue() { return filterJit.run(eventTrue); }
  @Benchmark public long filterJitFalse() { return filterJit.run(eventFalse); }
  @Benchmark public long filterInterpTrue() { return filterInterp.run(eventTrue); }
  @Benchmark public long filterInterpFalse() { return filterInterp.run(eventFalse); }
  @Benchmark public boolean filterApiTrue() { return filterApi.test(eventTrue); }
  @Benchmark public boolean filterApiFalse() { return filterApi.test(eventFalse); }
  @Benchmark public long handWrittenTrue() { return handWritten(eventTrue); }
  @Benchmark public long handWrittenFalse() { return handWritten(eventFalse); }
  @Benchmark public long arith100Jit() { return arithJit.run(eventTrue); }
  @Benchmark public long arith100Interp() { return arithInterp.run(eventTrue); }
}
