package jbpf.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jbpf.asm.Bytecode;
import jbpf.asm.Insn;
import jbpf.asm.Opcode;
import jbpf.asm.Ref;
import jbpf.spec.AttachType;
import jbpf.spec.CollectionSpec;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;

/**
 * Reads a relocatable BPF object as clang writes it ({@code clang -target bpf -O2 -c prog.c}) into a
 * {@link BpfObject}: one program per global function in each executable section, bpf-to-bpf calls of functions in
 * {@code .text} appended to the programs that call them, map references ({@code R_BPF_64_64} against a symbol of
 * the legacy {@code maps} section) turned into {@link Ref.Map}, and the {@code license} string.
 */
public final class BpfObjectReader {
  private static final int R_BPF_64_64 = 1, R_BPF_64_32 = 10;
  private static final int BPF_MAP_DEF_SIZE = 20;   // struct bpf_map_def: type, key_size, value_size, max_entries, map_flags

  private final ElfFile elf;
  private final List<ElfSymbol> symbols;
  private final Map<Integer, String> mapBySymbol = new HashMap<>();
  private final Map<Integer, Insn[]> decoded = new HashMap<>();

  private BpfObjectReader(ElfFile elf) {
    this.elf = elf;
    this.symbols = elf.symbols();
  }

  /**
   * {@return the object file at {@code path}}
   * @throws IOException if it cannot be read
   * @throws ElfFormatException if it is not a well-formed BPF object
   * @throws ElfNotSupportedException if it uses BTF-defined maps, global variables or other unsupported features
   */
  public static BpfObject read(Path path) throws IOException {
    try (ElfFile elf = ElfFile.open(path)) {
      return read(elf);
    }
  }

  /** {@return the BPF object in {@code elf}} */
  public static BpfObject read(ElfFile elf) {
    if (elf.type() != ElfFile.ET_REL) throw elf.error("not a relocatable object (e_type " + elf.type() + ")");
    if (elf.machine() != ElfFile.EM_BPF) throw elf.error("not a BPF object (e_machine " + elf.machine() + ", expected 247)");
    return new BpfObjectReader(elf).read();
  }

  private BpfObject read() {
    if (elf.section(".maps").isPresent())
      throw new ElfNotSupportedException(elf.name() + ": BTF-defined maps (section .maps) are not supported; declare maps with struct bpf_map_def in SEC(\"maps\")");
    String license = elf.section("license").map(s -> cString(elf.contents(s))).orElse("");
    Map<String, MapSpec> maps = readMaps();
    List<ProgramSpec> programs = new ArrayList<>();
    Map<String, String> sections = new LinkedHashMap<>();
    for (ElfSection s : elf.sections()) {
      if ((s.flags() & ElfSection.SHF_EXECINSTR) == 0 || s.size() == 0 || s.name().equals(".text")) continue;
      List<ElfSymbol> funcs = new ArrayList<>();
      for (ElfSymbol sym : symbols)
        if (sym.sectionIndex() == s.index() && sym.type() == ElfSymbol.STT_FUNC && sym.binding() != ElfSymbol.STB_LOCAL) funcs.add(sym);
      if (funcs.isEmpty()) funcs.add(new ElfSymbol(s.name().replace('/', '_'), 0, s.size(), ElfSymbol.STT_FUNC, ElfSymbol.STB_GLOBAL, 0, s.index()));
      for (ElfSymbol f : funcs) {
        Section kind = kind(s.name());
        Bytecode code = link(s, f);
        if (sections.containsKey(f.name())) throw elf.error("two programs are called " + f.name());
        programs.add(new ProgramSpec(f.name(), kind.type, kind.attach, kind.attachTo, code, license));
        sections.put(f.name(), s.name());
      }
    }
    try {
      return new BpfObject(new CollectionSpec(maps, programs), sections);
    } catch (IllegalArgumentException e) {
      throw elf.error(e.getMessage());
    }
  }

  // ---- maps ---------------------------------------------------------------------------------------------------

  private Map<String, MapSpec> readMaps() {
    Map<String, MapSpec> out = new LinkedHashMap<>();
    var section = elf.section("maps");
    if (section.isEmpty()) return out;
    ElfSection s = section.get();
    ByteBuffer b = elf.contents(s);
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < symbols.size(); i++) {
      ElfSymbol sym = symbols.get(i);
      if (sym.sectionIndex() == s.index() && sym.type() != ElfSymbol.STT_SECTION && !sym.name().isEmpty()) idx.add(i);
    }
    if (idx.isEmpty()) return out;
    long defSize = s.size() / idx.size();
    for (int i : idx) {
      ElfSymbol sym = symbols.get(i);
      long size = sym.size() != 0 ? sym.size() : defSize;
      if (size < BPF_MAP_DEF_SIZE || sym.value() < 0 || sym.value() + BPF_MAP_DEF_SIZE > b.remaining())
        throw elf.error("map " + sym.name() + ": definition at offset " + sym.value() + " of " + size + " bytes does not fit struct bpf_map_def (20 bytes) in section maps");
      int p = (int) sym.value();
      int type = b.getInt(p), key = b.getInt(p + 4), value = b.getInt(p + 8), max = b.getInt(p + 12), flags = b.getInt(p + 16);
      MapType mt = Arrays.stream(MapType.values()).filter(t -> t.value() == type).findFirst()
          .orElseThrow(() -> new ElfNotSupportedException(elf.name() + ": map " + sym.name() + ": map type " + type + " is not supported"));
      try {
        out.put(sym.name(), new MapSpec(sym.name(), mt, key, value, max, flags));
      } catch (IllegalArgumentException e) {
        throw elf.error("map " + sym.name() + ": key size " + key + ", value size " + value + ", max entries " + max + " are invalid");
      }
      mapBySymbol.put(i, sym.name());
    }
    return out;
  }

  // ---- programs -----------------------------------------------------------------------------------------------

  private record Section(ProgramType type, AttachType attach, String attachTo) {}

  private Section kind(String name) {
    String rest = name.contains("/") ? name.substring(name.indexOf('/') + 1) : "";
    String prefix = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    return switch (prefix) {
      case "kprobe", "kretprobe", "uprobe", "uretprobe", "usdt", "ksyscall", "kretsyscall" -> new Section(ProgramType.KPROBE, null, null);
      case "kprobe.multi", "kretprobe.multi" -> new Section(ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, null);
      case "uprobe.multi", "uretprobe.multi" -> new Section(ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, null);
      case "tracepoint", "tp" -> new Section(ProgramType.TRACEPOINT, null, null);
      case "raw_tracepoint", "raw_tp" -> new Section(ProgramType.RAW_TRACEPOINT, null, null);
      case "raw_tracepoint.w", "raw_tp.w" -> new Section(ProgramType.RAW_TRACEPOINT_WRITABLE, null, null);
      case "tp_btf" -> new Section(ProgramType.TRACING, AttachType.TRACE_RAW_TP, rest);
      case "fentry" -> new Section(ProgramType.TRACING, AttachType.TRACE_FENTRY, rest);
      case "fexit" -> new Section(ProgramType.TRACING, AttachType.TRACE_FEXIT, rest);
      case "fmod_ret" -> new Section(ProgramType.TRACING, AttachType.MODIFY_RETURN, rest);
      case "perf_event" -> new Section(ProgramType.PERF_EVENT, null, null);
      case "socket" -> new Section(ProgramType.SOCKET_FILTER, null, null);
      case "lsm" -> new Section(ProgramType.LSM, null, rest);
      case "syscall" -> new Section(ProgramType.SYSCALL, null, null);
      default -> throw new ElfNotSupportedException(elf.name() + ": section " + name + ": unknown program type (expected e.g. kprobe/, tracepoint/, uprobe/, fentry/, perf_event)");
    };
  }

  /** One function being placed in the program: its section, its first slot there, and its slot in the program. */
  private record Placed(ElfSection section, long firstSlot, long slots, int at) {}

  /** Decodes {@code main}, appends every function it calls (transitively) and resolves calls and map references. */
  private Bytecode link(ElfSection section, ElfSymbol main) {
    List<Placed> placed = new ArrayList<>();
    List<Insn> out = new ArrayList<>();
    place(section, main.value(), main.size(), placed, out);
    for (int k = 0; k < placed.size(); k++) {
      Placed p = placed.get(k);
      Map<Long, ElfRelocation> rel = relocations(p.section);
      Insn[] code = decode(p.section);
      int outIdx = indexOfSlot(out, p.at);
      for (long slot = p.firstSlot; slot < p.firstSlot + p.slots; ) {
        Insn insn = code[(int) slot];
        if (insn == null) throw elf.error(p.section.name() + ": instruction " + slot + " is the second half of an lddw");
        ElfRelocation r = rel.get(slot * 8);
        Insn fixed = insn;
        if (insn.opcode() == (Opcode.JMP | Opcode.CALL) && insn.src() == Opcode.PSEUDO_CALL) {
          ElfSection targetSection = p.section;
          long target = slot + insn.imm() + 1;
          if (r != null) {
            ElfSymbol sym = symbol(r.symbolIndex());
            targetSection = elf.section(sym.sectionIndex());
            target = sym.value() / 8 + insn.imm() + 1;
          }
          int at = placeCallee(targetSection, target, placed, out);
          int callAt = p.at + (int) (slot - p.firstSlot);
          fixed = insn.withImm(at - callAt - 1);
        } else if (r != null) {
          fixed = relocate(p.section, slot, insn, r);
        }
        out.set(outIdx, fixed);
        outIdx++;
        slot += insn.slots();
      }
    }
    return Bytecode.of(out);
  }

  private Insn relocate(ElfSection section, long slot, Insn insn, ElfRelocation r) {
    ElfSymbol sym = symbol(r.symbolIndex());
    String where = section.name() + " instruction " + slot;
    if (r.type() != R_BPF_64_64) throw new ElfNotSupportedException(elf.name() + ": " + where + ": relocation type " + r.type() + " is not supported");
    if (!insn.isWide()) throw elf.error(where + ": R_BPF_64_64 on a non-lddw instruction");
    String map = mapBySymbol.get(r.symbolIndex());
    if (map != null) return new Insn(insn.opcode(), insn.dst(), Opcode.PSEUDO_MAP_FD, 0, 0, new Ref.Map(map));
    String in = sym.sectionIndex() > 0 && sym.sectionIndex() < elf.sections().size() ? elf.section(sym.sectionIndex()).name() : "?";
    throw new ElfNotSupportedException(elf.name() + ": " + where + ": reference to " + (sym.name().isEmpty() ? in : sym.name())
        + " in section " + in + ": global variables and BTF-defined maps are not supported");
  }

  /** Places the function of {@code section} containing {@code targetSlot} if not yet placed; returns the target's program slot. */
  private int placeCallee(ElfSection section, long targetSlot, List<Placed> placed, List<Insn> out) {
    for (Placed p : placed)
      if (p.section.index() == section.index() && targetSlot >= p.firstSlot && targetSlot < p.firstSlot + p.slots)
        return p.at + (int) (targetSlot - p.firstSlot);
    ElfSymbol fn = null;
    for (ElfSymbol s : symbols)
      if (s.sectionIndex() == section.index() && s.type() == ElfSymbol.STT_FUNC && s.value() / 8 <= targetSlot && targetSlot < (s.value() + s.size()) / 8) fn = s;
    if (fn == null) throw elf.error("call target " + section.name() + " instruction " + targetSlot + " is in no function");
    Placed p = place(section, fn.value(), fn.size(), placed, out);
    return p.at + (int) (targetSlot - p.firstSlot);
  }

  private Placed place(ElfSection section, long value, long size, List<Placed> placed, List<Insn> out) {
    if (value % 8 != 0 || size % 8 != 0 || size <= 0 || value < 0 || value + size > section.size())
      throw elf.error(section.name() + ": function at " + value + " of " + size + " bytes is not a whole number of instructions inside the section");
    Insn[] code = decode(section);
    int at = 0;
    for (Insn i : out) at += i.slots();
    Placed p = new Placed(section, value / 8, size / 8, at);
    placed.add(p);
    for (long s = p.firstSlot; s < p.firstSlot + p.slots; ) {
      Insn i = code[(int) s];
      if (i == null) throw elf.error(section.name() + ": function starts inside an lddw");
      out.add(i);
      s += i.slots();
    }
    return p;
  }

  private static int indexOfSlot(List<Insn> out, int slot) {
    int s = 0;
    for (int i = 0; i < out.size(); i++) {
      if (s == slot) return i;
      s += out.get(i).slots();
    }
    throw new IllegalStateException("slot " + slot + " is not the start of an instruction");
  }

  /** {@return the section's instructions indexed by slot; the second slot of an {@code lddw} is null} */
  private Insn[] decode(ElfSection section) {
    return decoded.computeIfAbsent(section.index(), k -> {
      ByteBuffer b = elf.contents(section);
      if (b.remaining() % 8 != 0) throw elf.error(section.name() + ": size " + b.remaining() + " is not a multiple of 8");
      byte[] bytes = new byte[b.remaining()];
      b.get(0, bytes);
      List<Insn> insns;
      try {
        insns = Insn.decode(bytes);
      } catch (IllegalArgumentException e) {
        throw elf.error(section.name() + ": " + e.getMessage());
      }
      Insn[] bySlot = new Insn[bytes.length / 8];
      int s = 0;
      for (Insn i : insns) {
        bySlot[s] = i;
        s += i.slots();
      }
      return bySlot;
    });
  }

  private Map<Long, ElfRelocation> relocations(ElfSection target) {
    Map<Long, ElfRelocation> out = new HashMap<>();
    for (ElfSection s : elf.sections())
      if ((s.type() == ElfSection.SHT_REL || s.type() == ElfSection.SHT_RELA) && s.info() == target.index())
        for (ElfRelocation r : elf.relocations(s)) out.put(r.offset(), r);
    return out;
  }

  private ElfSymbol symbol(int index) {
    if (index < 0 || index >= symbols.size()) throw elf.error("relocation refers to symbol " + index + " of " + symbols.size());
    return symbols.get(index);
  }

  private static String cString(ByteBuffer b) {
    int n = 0;
    while (n < b.remaining() && b.get(n) != 0) n++;
    byte[] s = new byte[n];
    b.get(0, s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
