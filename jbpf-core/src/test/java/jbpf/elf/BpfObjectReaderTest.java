package jbpf.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jbpf.asm.Insn;
import jbpf.asm.Opcode;
import jbpf.asm.Ref;
import jbpf.spec.CollectionSpec;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpfObjectReaderTest {
  @TempDir Path tmp;

  static final String PROGRAM = """
      struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };
      #define SEC(n) __attribute__((section(n), used))
      static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
      struct bpf_map_def SEC("maps") counts = { 2, 4, 8, 16, 0 };
      struct bpf_map_def SEC("maps") events = { 1, 8, 8, 1024, 1 };
      __attribute__((noinline)) int twice(int x) { return x * 2; }
      SEC("kprobe/vfs_read") int count_reads(void *ctx) {
        int k = 0;
        long *v = bpf_map_lookup_elem(&counts, &k);
        if (v) *v += twice(1);
        return 0;
      }
      SEC("tracepoint/syscalls/sys_enter_openat") int opens(void *ctx) {
        long k = 1;
        long *v = bpf_map_lookup_elem(&events, &k);
        if (v) (*v)++;
        return twice(2);
      }
      SEC("fentry/do_unlinkat") int on_unlink(void *ctx) { return 0; }
      char SEC("license") _license[] = "Dual BSD/GPL";
      """;

  private Path compile(String name, String src) throws Exception {
    Toolchain.require("clang", "clang");
    Files.writeString(tmp.resolve(name + ".c"), src);
    Toolchain.run(tmp, "clang", "-O2", "-g0", "-target", "bpf", "-c", name + ".c", "-o", name + ".o");
    return tmp.resolve(name + ".o");
  }

  @Test
  void readsMapsProgramsCallsAndLicense() throws Exception {
    BpfObject obj = BpfObjectReader.read(compile("prog", PROGRAM));
    CollectionSpec c = obj.collection();
    assertEquals(new MapSpec("counts", MapType.ARRAY, 4, 8, 16, 0), c.maps().get("counts"));
    assertEquals(new MapSpec("events", MapType.HASH, 8, 8, 1024, MapSpec.NO_PREALLOC), c.maps().get("events"));
    assertEquals(List.of("count_reads", "opens", "on_unlink"), c.programs().stream().map(ProgramSpec::name).toList());
    assertEquals("kprobe/vfs_read", obj.sections().get("count_reads"));
    assertEquals("tracepoint/syscalls/sys_enter_openat", obj.sections().get("opens"));

    ProgramSpec reads = c.programs().get(0);
    assertEquals(ProgramType.KPROBE, reads.type());
    assertEquals("Dual BSD/GPL", reads.license());
    assertEquals(List.of("counts"), reads.code().mapNames());
    ProgramSpec opens = c.programs().get(1);
    assertEquals(ProgramType.TRACEPOINT, opens.type());
    assertEquals(List.of("events"), opens.code().mapNames());
    ProgramSpec fentry = c.programs().get(2);
    assertEquals(ProgramType.TRACING, fentry.type());
    assertEquals("do_unlinkat", fentry.attachTo());

    for (ProgramSpec p : List.of(reads, opens)) {
      List<Insn> insns = p.code().insns();
      for (Insn i : insns)
        if (i.isWide() && i.ref() instanceof Ref.Map) assertEquals(Opcode.PSEUDO_MAP_FD, i.src());
      // the bpf-to-bpf call lands on the appended copy of twice(): r0 = r1; r0 <<= 1 (or r0 += r0); exit
      int slot = 0, target = -1;
      for (Insn i : insns) {
        if (i.opcode() == (Opcode.JMP | Opcode.CALL) && i.src() == Opcode.PSEUDO_CALL) target = slot + 1 + (int) i.imm();
        slot += i.slots();
      }
      assertTrue(target > 0, p.name() + " calls twice()");
      assertEquals(p.code().slots() - 3, target, p.name() + ": twice() is the last three instructions:\n" + p.code().disassemble());
      assertEquals(Insn.exit(), insns.getLast());
      byte[] bytes = p.code().encode(m -> 3);               // encodable once map fds are known
      assertEquals(p.code().slots() * 8, bytes.length);
    }
  }

  @Test
  void btfDefinedMapsAreNotSupported() throws Exception {
    Path o = compile("btfmaps", """
        #define SEC(n) __attribute__((section(n), used))
        struct { int (*type)[2]; int (*max_entries)[4]; int *key; long *value; } counts SEC(".maps");
        SEC("kprobe/x") int p(void *ctx) { return 0; }
        char SEC("license") _license[] = "GPL";
        """);
    ElfNotSupportedException e = assertThrows(ElfNotSupportedException.class, () -> BpfObjectReader.read(o));
    assertEquals(o + ": BTF-defined maps (section .maps) are not supported; declare maps with struct bpf_map_def in SEC(\"maps\")", e.getMessage());
  }

  @Test
  void refusesObjectsForOtherMachines() throws Exception {
    Path x86 = tmp.resolve("x86.o");
    Toolchain.require("gcc", "gcc");
    Files.writeString(tmp.resolve("x86.c"), "int f(void) { return 1; }\n");
    Toolchain.run(tmp, "gcc", "-c", "x86.c", "-o", "x86.o");
    assertEquals(x86 + ": not a BPF object (e_machine 62, expected 247)",
        assertThrows(ElfFormatException.class, () -> BpfObjectReader.read(x86)).getMessage());
  }
}
