package jbpf.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jbpf.lang.Compiler;
import jbpf.lang.codegen.CodeGen;
import jbpf.lang.codegen.CompiledScript;
import jbpf.lang.typed.TypedProgram;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;
import jbpf.source.CompileException;
import jbpf.source.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Milliseconds to compile a generated script of {@link #lines} lines, from text to eBPF bytecode (parse, analysis,
 * code generation, peephole optimisation), with no kernel. {@code probes}: many probes of about twenty lines each,
 * as generated scripts are; {@code oneProbe}: a single probe as long as the script. Compile time should grow
 * linearly with the script.
 * <pre>
 * mvn -pl jbpf-bench -am package -DskipTests && java -jar jbpf-bench/target/benchmarks.jar CompileBench
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@State(Scope.Benchmark)
public class CompileBench {
  @Param({"1000", "10000"})
  public int lines;

  @Param({"probes", "oneProbe"})
  public String shape;

  private Source source;

  @Setup
  public void setup() { source = new Source("generated.bt", shape.equals("probes") ? probes(lines) : oneProbe(lines)); }

  @Benchmark
  public CompiledScript compile() throws CompileException {
    return Compiler.compile(source, List.of(), KERNEL, TypedProgram.Settings.DEFAULT, CodeGen.Options.DEFAULT);
  }

  /** Probes of 20 lines: a predicate, variables, conditions, map updates with tuple keys, strings, a loop, printf. */
  static String probes(int lines) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (int p = 0; n < lines; p++) {
      b.append("tracepoint:syscalls:sys_enter_read /pid > ").append(p).append("/ {\n");
      b.append("  $fd = args->fd;\n");
      b.append("  $n = args->count;\n");
      b.append("  $c = comm;\n");
      b.append("  if ($fd == ").append(p % 7).append(" && $n > 4096) {\n");
      b.append("    @big_").append(p).append("[$c, $fd] = count();\n");
      b.append("  } else if ($n < 64) {\n");
      b.append("    @small_").append(p).append("[$fd] += $n;\n");
      b.append("  }\n");
      b.append("  $x = ($n * 3 + ").append(p).append(") / 7 % 11;\n");
      b.append("  $i = 0;\n");
      b.append("  while ($i < 4) { $x += $i; $i++; }\n");
      b.append("  @sum_").append(p).append(" = sum($x);\n");
      b.append("  @last[").append(p).append("] = ($c, $x, nsecs);\n");
      b.append("  if ($c == \"bash\") {\n");
      b.append("    printf(\"%s read %d bytes from %d\\n\", $c, $n, $fd);\n");
      b.append("  }\n");
      b.append("  $t = curtask;\n");
      b.append("  @ppid[").append(p % 13).append("] = $t->parent->tgid;\n");
      b.append("}\n");
      n += 20;
    }
    return b.toString();
  }

  /** One probe whose body repeats a block of ten statements. */
  static String oneProbe(int lines) {
    StringBuilder b = new StringBuilder("BEGIN {\n  $x = 1;\n  $s = \"start\";\n");
    int n = 4;
    for (int i = 0; n < lines; i++) {
      b.append("  $x = $x * 3 + ").append(i).append(";\n");
      b.append("  if ($x > ").append(i * 10).append(") { $x = $x % 1000; }\n");
      b.append("  @m[").append(i % 50).append("] = $x;\n");
      b.append("  $y").append(i).append(" = @m[").append(i % 50).append("] + $x;\n");
      b.append("  @h = hist($y").append(i).append(");\n");
      b.append("  $s = $x > 100 ? \"big\" : \"small\";\n");
      b.append("  @k[$s] = count();\n");
      b.append("  $x ^= ").append(i).append(" << 3;\n");
      b.append("  $x += $y").append(i).append(" & 0xff;\n");
      b.append("  @last = ($x, $s);\n");
      n += 10;
    }
    return b.append("}\n").toString();
  }

  /** A kernel with the one tracepoint the generated scripts use, and no BTF beyond what they name. */
  static final KernelInfo KERNEL = new KernelInfo() {
    private final TracepointFormat read = TracepointFormat.parse("syscalls", """
        name: sys_enter_read
        ID: 721
        format:
        	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
        	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
        	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
        	field:int common_pid;	offset:4;	size:4;	signed:1;

        	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
        	field:unsigned int fd;	offset:16;	size:8;	signed:0;
        	field:char * buf;	offset:24;	size:8;	signed:0;
        	field:size_t count;	offset:32;	size:8;	signed:0;
        """);

    @Override public List<String> tracepoints() { return List.of("syscalls:sys_enter_read"); }

    @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) {
      return category.equals("syscalls") && name.equals("sys_enter_read") ? Optional.of(read) : Optional.empty();
    }

    @Override public int possibleCpus() { return 2; }

    @Override public Optional<jbpf.lang.types.BtfTypes> btf() { return Optional.of(TaskBtf.TYPES); }
  };
}
