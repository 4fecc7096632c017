package jbpf.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import jbpf.btf.Btf;
import jbpf.btf.BtfBuilder;
import jbpf.btf.BtfType;
import jbpf.btf.BtfType.Param;
import jbpf.elf.DwarfFunctions;
import jbpf.elf.UsdtArgument;
import jbpf.elf.UsdtProbe;
import jbpf.lang.types.BtfTypes;
import jbpf.lang.types.KernelInfo;
import jbpf.lang.types.TracepointFormat;

/**
 * A kernel and a little userland for probe tests: {@link FakeKernel}'s tracepoints; BTF with two kernel functions
 * and a raw tracepoint; a few kprobe-able functions; and two ELF files, {@code /opt/app} (C and C++ functions, USDT
 * probes) and libc, described directly rather than read from disk.
 */
public final class ProbeKernel implements KernelInfo {
  private final FakeKernel tracefs = new FakeKernel();
  private final Target target;
  private final BtfTypes btfTypes = new BtfTypes(buildBtf());

  public static final String APP = "/opt/app", LIBC = "/lib/x86_64-linux-gnu/libc.so.6";

  /** Functions of {@code /opt/app}: symbol, demangled, address (= file offset), size. */
  private static final List<UserFunction> APP_FUNCTIONS = List.of(
      new UserFunction("main", "main", 0x1100, 0x1100, 0x49),
      new UserFunction("add", "add", 0x1149, 0x1149, 0x1e),
      new UserFunction("add_slowly", "add_slowly", 0x1170, 0x1170, 0x20),
      new UserFunction("_ZN4shop4Cart3addEl", "shop::Cart::add(long)", 0x1212, 0x1212, 0x10),
      new UserFunction("_ZN4shop4Cart3addEli", "shop::Cart::add(long, int)", 0x1204, 0x1204, 0xe));
  private static final List<UserFunction> LIBC_FUNCTIONS = List.of(
      new UserFunction("malloc", "malloc", 0x9a0e0, 0x9a0e0, 0x120), new UserFunction("free", "free", 0x9a6f0, 0x9a6f0, 0xd0));

  /** A kernel tracing every process. */
  public ProbeKernel() { this(null); }

  /** A kernel tracing {@code target}, as with {@code -p} or {@code -c}. */
  public ProbeKernel(Target target) { this.target = target; }

  @Override public List<String> tracepoints() { return tracefs.tracepoints(); }

  @Override public Optional<TracepointFormat> tracepointFormat(String category, String name) { return tracefs.tracepointFormat(category, name); }

  @Override public int possibleCpus() { return 2; }

  @Override public Optional<Target> target() { return Optional.ofNullable(target); }

  @Override public Optional<BtfTypes> btf() { return Optional.of(btfTypes); }

  @Override public List<KernelFunction> kprobeFunctions() {
    return List.of(new KernelFunction("vfs_read", null), new KernelFunction("vfs_readv", null), new KernelFunction("vfs_write", null),
        new KernelFunction("nfs_open", "nfs"));
  }

  @Override public List<String> binaries(String t, int pid) throws NotFoundException {
    return switch (t) {
      case APP, "app" -> List.of(APP);
      case "/opt/a*" -> List.of(APP);
      case "libc", "c", LIBC -> List.of(LIBC);
      default -> throw new NotFoundException("uprobe target " + t + ": no such file");
    };
  }

  @Override public List<UserFunction> userFunctions(String file, String pattern) throws NotFoundException {
    List<UserFunction> out = new ArrayList<>();
    boolean cxx = pattern.contains("::") || pattern.contains("(");
    Pattern p = Pattern.compile(pattern.replace("(", "\\(").replace(")", "\\)").replace("*", ".*"));
    for (UserFunction f : functions(file)) {
      String name = !cxx ? f.symbol() : pattern.contains("(") ? f.demangled() : f.demangled().replaceAll("\\(.*", "");
      if (p.matcher(name).matches()) out.add(f);
    }
    return out;
  }

  /**
   * DWARF for {@code add(long a, int b, double d, const char *s, enum mode e)} of {@code /opt/app}; its other functions
   * have none.
   */
  @Override public Optional<List<DwarfFunctions.Param>> userParameters(String file, long functionOffset) {
    if (!file.equals(APP) || functionOffset != 0x1149) return Optional.empty();
    var longT = new DwarfFunctions.Base("long int", 8, 5);
    var intT = new DwarfFunctions.Base("int", 4, 5);
    var charT = new DwarfFunctions.Base("char", 1, 6);
    return Optional.of(List.of(new DwarfFunctions.Param("a", longT, false), new DwarfFunctions.Param("b", intT, false),
        new DwarfFunctions.Param("d", new DwarfFunctions.Base("double", 8, 4), false),
        new DwarfFunctions.Param("s", new DwarfFunctions.Pointer(new DwarfFunctions.Qualified("const", charT)), false),
        new DwarfFunctions.Param("e", new DwarfFunctions.Enum("mode", 4, false), false)));
  }

  /** Instructions of {@code /opt/app} are 4 bytes long, in this fake. */
  @Override public boolean instructionBoundary(String file, long functionOffset, long offset) { return offset % 4 == 0; }

  @Override public Optional<UserFunction> userAddress(String file, long address) throws NotFoundException {
    for (UserFunction f : functions(file))
      if (address >= f.address() && address < f.address() + f.size()) return Optional.of(f);
    return address < 0x10000 ? Optional.of(new UserFunction("", "", address, address, 0)) : Optional.empty();
  }

  private static List<UserFunction> functions(String file) throws NotFoundException {
    return switch (file) {
      case APP -> APP_FUNCTIONS;
      case LIBC -> LIBC_FUNCTIONS;
      default -> throw new NotFoundException("read " + file + ": no such file");
    };
  }

  @Override public OptionalLong symbolAddress(String file, String name) {
    return file.equals(APP) && name.equals("counter") ? OptionalLong.of(0x4028) : OptionalLong.empty();
  }

  @Override public List<UsdtProbe> usdtProbes(String file) throws NotFoundException {
    if (file.equals(LIBC)) return List.of();
    if (!file.equals(APP)) throw new NotFoundException("read " + file + ": no such file");
    return List.of(
        usdt("myprov", "tick", 0x1186, 0, "-4@%ebx -8@%rax"),
        usdt("myprov", "tick", 0x11b0, 0, "-4@%edi 8@$100"),
        usdt("myprov", "mem", 0x11d0, 0x4030, "8@-16(%rbp) -4@counter(%rip) 2@8(%rax,%rdx,4)"),
        usdt("other", "start", 0x11f0, 0, ""));
  }

  private static UsdtProbe usdt(String provider, String name, long address, long semaphore, String args) {
    return new UsdtProbe(provider, name, address, address, 0x2004, semaphore, semaphore, args, UsdtArgument.parseAll(args));
  }

  @Override public List<String> mappedFiles(int pid) { return List.of(APP, LIBC); }

  /**
   * BTF for {@code ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)}, {@code void
   * kfree(const void *objp)} and raw tracepoint {@code sched_switch(bool preempt, struct task_struct *prev, struct
   * task_struct *next, unsigned int prev_state)}; of {@code struct task_struct} only {@code int pid}.
   */
  private static Btf buildBtf() {
    BtfBuilder b = new BtfBuilder();
    int intT = b.add(new BtfType.Int("int", 4, 0, 32, BtfType.Int.Encoding.SIGNED));
    int uint = b.add(new BtfType.Int("unsigned int", 4, 0, 32, BtfType.Int.Encoding.NONE));
    int lng = b.add(new BtfType.Int("long", 8, 0, 64, BtfType.Int.Encoding.SIGNED));
    int ulong = b.add(new BtfType.Int("unsigned long", 8, 0, 64, BtfType.Int.Encoding.NONE));
    int llong = b.add(new BtfType.Int("long long", 8, 0, 64, BtfType.Int.Encoding.SIGNED));
    int chr = b.add(new BtfType.Int("char", 1, 0, 8, BtfType.Int.Encoding.SIGNED));
    int bool = b.add(new BtfType.Int("_Bool", 1, 0, 8, BtfType.Int.Encoding.BOOL));
    int sizeT = b.add(new BtfType.Typedef("size_t", ulong));
    int ssizeT = b.add(new BtfType.Typedef("ssize_t", lng));
    int loffT = b.add(new BtfType.Typedef("loff_t", llong));
    int boolT = b.add(new BtfType.Typedef("bool", bool));
    int file = b.add(new BtfType.Struct("file", 232, List.of()));
    int task = b.add(new BtfType.Struct("task_struct", 9024, List.of(new BtfType.Member("pid", intT, 2464 * 8))));
    int fileP = b.add(new BtfType.Ptr(file));
    int charP = b.add(new BtfType.Ptr(chr));
    int loffP = b.add(new BtfType.Ptr(loffT));
    int taskP = b.add(new BtfType.Ptr(task));
    int voidP = b.add(new BtfType.Ptr(0));
    int constVoid = b.add(new BtfType.Const(0));
    int constVoidP = b.add(new BtfType.Ptr(constVoid));
    b.addFunc("vfs_read", BtfType.Linkage.GLOBAL, ssizeT,
        List.of(new Param("file", fileP), new Param("buf", charP), new Param("count", sizeT), new Param("pos", loffP)));
    b.addFunc("kfree", BtfType.Linkage.GLOBAL, 0, List.of(new Param("objp", constVoidP)));
    b.addFunc("do_sys_open", BtfType.Linkage.GLOBAL, intT,
        List.of(new Param("dfd", intT), new Param("filename", charP), new Param("flags", intT), new Param("mode", uint)));
    int tpProto = b.add(new BtfType.FuncProto(0,
        List.of(new Param("", voidP), new Param("", boolT), new Param("", taskP), new Param("", taskP), new Param("", uint)), false));
    int tpPtr = b.add(new BtfType.Ptr(tpProto));
    b.add(new BtfType.Typedef("btf_trace_sched_switch", tpPtr));
    b.addFunc("__probestub_sched_switch", BtfType.Linkage.GLOBAL, 0, List.of(new Param("__data", voidP),
        new Param("preempt", boolT), new Param("prev", taskP), new Param("next", taskP), new Param("prev_state", uint)));
    return Btf.parse(b.build());
  }
}
