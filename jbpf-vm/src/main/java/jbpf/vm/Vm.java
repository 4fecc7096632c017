package jbpf.vm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import jbpf.asm.Bytecode;
import jbpf.asm.Insn;
import jbpf.asm.Ref;
import jbpf.spec.MapSpec;
import jbpf.spec.ProgramSpec;
import jbpf.vm.verify.Verification;
import jbpf.vm.verify.Verifier;
import jbpf.vm.verify.VerifyException;

/**
 * A userspace eBPF runtime: the maps, helper functions and limits programs are loaded against. {@link #load}
 * verifies a program and gives a {@link VmProgram} that runs in the interpreter or as JVM bytecode.
 *
 * <pre>{@code
 * Vm vm = Vm.builder().map(new MapSpec("counts", MapType.ARRAY, 4, 8, 16)).build();
 * VmProgram p = vm.load(AsmParser.parse("mov %r0, 1\nexit"), Context.readOnly(64));
 * long r0 = p.run(event);
 * }</pre>
 */
public final class Vm {
  /** The default number of backward jumps one run may take. */
  public static final long DEFAULT_BUDGET = 1_000_000;

  private final List<VmMap> maps;
  private final Map<String, VmMap> byName;
  private final Helpers helpers;
  private final long budget;
  private final int cpus;
  private final Consumer<String> trace;

  private Vm(Builder b) {
    this.maps = List.copyOf(b.maps);
    Map<String, VmMap> names = new LinkedHashMap<>();
    for (VmMap m : maps) if (names.putIfAbsent(m.name(), m) != null) throw new IllegalArgumentException("two maps are named " + m.name());
    this.byName = Map.copyOf(names);
    this.helpers = b.helpers;
    this.budget = b.budget;
    this.cpus = b.cpus;
    this.trace = b.trace;
  }

  /** {@return a builder with the standard helpers, no maps and the default budget} */
  public static Builder builder() { return new Builder(); }

  /** Configures a {@link Vm}. */
  public static final class Builder {
    private final List<MapSpec> specs = new ArrayList<>();
    private final List<VmMap> maps = new ArrayList<>();
    private Helpers helpers = Helpers.standard();
    private long budget = DEFAULT_BUDGET;
    private int cpus = Runtime.getRuntime().availableProcessors();
    private Consumer<String> trace = s -> {};

    private Builder() {}

    /** Adds a map made from {@code spec}; programs name it by {@code spec.name()}. */
    public Builder map(MapSpec spec) {
      specs.add(Objects.requireNonNull(spec));
      return this;
    }

    /** Uses {@code helpers} instead of {@link Helpers#standard()}. */
    public Builder helpers(Helpers helpers) {
      this.helpers = Objects.requireNonNull(helpers);
      return this;
    }

    /** Limits each run to {@code backwardJumps} taken backward jumps (loop iterations). */
    public Builder budget(long backwardJumps) {
      if (backwardJumps < 0) throw new IllegalArgumentException("negative budget");
      this.budget = backwardJumps;
      return this;
    }

    /** Sets the number of copies per-CPU maps keep (default: the available processors). */
    public Builder cpus(int cpus) {
      if (cpus < 1) throw new IllegalArgumentException("cpus must be positive");
      this.cpus = cpus;
      return this;
    }

    /** Sends {@code trace_printk} output to {@code sink} (default: dropped). */
    public Builder traceSink(Consumer<String> sink) {
      this.trace = Objects.requireNonNull(sink);
      return this;
    }

    /** {@return the VM} @throws IllegalArgumentException if a map cannot be created */
    public Vm build() {
      maps.clear();
      for (MapSpec s : specs) maps.add(VmMap.create(s, cpus));
      return new Vm(this);
    }
  }

  /** {@return the maps, in descriptor order: the first has descriptor 1} */
  public List<VmMap> maps() { return maps; }

  /** {@return the map named {@code name}} @throws IllegalArgumentException if there is none */
  public VmMap map(String name) {
    VmMap m = byName.get(name);
    if (m == null) throw new IllegalArgumentException("no map named " + name);
    return m;
  }

  /** {@return the map with descriptor {@code fd} (1-based), or {@code null}} */
  public VmMap mapByFd(long fd) { return fd >= 1 && fd <= maps.size() ? maps.get((int) fd - 1) : null; }

  /** {@return the descriptor of {@code map}} */
  public int fdOf(VmMap map) {
    int i = maps.indexOf(map);
    if (i < 0) throw new IllegalArgumentException(map + " does not belong to this VM");
    return i + 1;
  }

  /** {@return the helper table} */
  public Helpers helpers() { return helpers; }

  /** {@return the number of backward jumps one run may take} */
  public long budget() { return budget; }

  /** {@return the number of per-CPU copies} */
  public int cpus() { return cpus; }

  void trace(String line) { trace.accept(line); }

  /**
   * Verifies a program whose map references are by name ({@code lddw rN, map}) or by descriptor.
   *
   * @throws VerifyException with the instruction index and reason if the program could misbehave
   */
  public VmProgram load(Bytecode code, Context ctx) throws VerifyException {
    List<Insn> insns = new ArrayList<>(code.insns().size());
    for (int i = 0; i < code.insns().size(); i++) {
      Insn insn = code.insns().get(i);
      insns.add(switch (insn.ref()) {
        case null -> insn;
        case Ref.Map(String name) -> insn.withImm(fd(i, insn, name)).withRef(null);
        case Ref.MapValue(String name, int off) -> insn.withImm(((long) off << 32) | fd(i, insn, name)).withRef(null);
        case Ref.Func f -> throw new VerifyException(i, insn, "function references (BPF_PSEUDO_FUNC, for callbacks) are not supported by the userspace VM");
        case Ref.Jump j -> throw new IllegalStateException("unresolved jump at instruction " + i);
        case Ref.Call c -> throw new IllegalStateException("unresolved call at instruction " + i);
      });
    }
    return load(insns, ctx);
  }

  private int fd(int index, Insn insn, String name) throws VerifyException {
    VmMap m = byName.get(name);
    if (m == null) throw new VerifyException(index, insn, "no map named " + name + " in this VM");
    return fdOf(m);
  }

  /** Verifies a decoded program. @throws VerifyException if the program could misbehave */
  public VmProgram load(List<Insn> insns, Context ctx) throws VerifyException {
    Verification v = Verifier.verify(insns, ctx, this);
    return new VmProgram(this, ctx, v);
  }

  /**
   * Decodes and verifies a program in the kernel's binary format.
   *
   * @throws VerifyException if the bytes are not a whole number of instructions, or the program could misbehave
   */
  public VmProgram load(byte[] code, Context ctx) throws VerifyException {
    if (code.length % 8 != 0) throw new VerifyException(-1, null, "program length " + code.length + " is not a multiple of 8 bytes");
    try {
      return load(Insn.decode(code), ctx);
    } catch (IllegalArgumentException e) {
      throw new VerifyException(code.length / 8 - 1, null, e.getMessage());
    }
  }

  /** Verifies the program of {@code spec}. @throws VerifyException if it could misbehave */
  public VmProgram load(ProgramSpec spec, Context ctx) throws VerifyException { return load(spec.code(), ctx); }
}
