package jbpf.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalInt;
import jbpf.btf.BtfType.*;
import org.junit.jupiter.api.Test;

class BtfTest {
  private final Sample s = new Sample();
  private final Btf btf = s.btf();

  @Test
  void decodesEveryKind() {
    assertEquals(new BtfType.Void(), btf.type(0));
    assertEquals(new Int("int", 4, 0, 32, Int.Encoding.SIGNED), btf.type(s.intT));
    assertEquals(new Ptr(s.task), btf.type(s.taskPtr));
    assertEquals(new Array(s.charT, s.intT, 16), btf.type(s.charArr16));
    assertEquals(new Member("a", s.uintT, 320, 3), ((Struct) btf.type(s.task)).members().get(5));
    assertEquals(new Union("", 8, List.of(new Member("flags", s.ulongT, 0), new Member("", s.anonStruct, 0))), btf.type(s.anonUnion));
    assertEquals(new BtfType.Enum("color", 4, true, List.of(new Enumerator("RED", 0), new Enumerator("GREEN", 1), new Enumerator("BLUE", -1))),
        btf.type(s.color));
    assertEquals(new Enum64("big", 8, false, List.of(new Enumerator("HUGE", -1L), new Enumerator("SMALL", 5))), btf.type(s.big));
    assertEquals(new Fwd("file", false), btf.type(s.file));
    assertEquals(new Typedef("pid_t", s.intT), btf.type(s.pidT));
    assertEquals(new Volatile(s.constInt), btf.type(s.volatileConstInt));
    assertEquals(new Const(s.intT), btf.type(s.constInt));
    assertEquals(new Restrict(s.charPtr), btf.type(s.restrictCharPtr));
    assertEquals(new Func("vfs_read", s.vfsReadProto, Linkage.GLOBAL), btf.type(s.vfsRead));
    assertEquals(new FuncProto(s.intT, List.of(new Param("fmt", s.constCharPtr)), true), btf.type(s.printkProto));
    assertEquals(new Var("runqueues", s.intT, Linkage.GLOBAL), btf.type(s.percpuVar));
    assertEquals(new Datasec(".data..percpu", 4, List.of(new SecInfo(s.percpuVar, 0, 4))), btf.type(s.datasec));
    assertEquals(new BtfType.Float("double", 8), btf.type(s.doubleT));
    assertEquals(new DeclTag("bpf_kfunc", s.vfsRead, -1, false), btf.type(s.declTag));
    assertEquals(new TypeTag("user", s.charT, false), btf.type(s.userTag));
    assertEquals(BtfKind.STRUCT, btf.kind(s.task));
    assertEquals("task", btf.name(s.task));
    assertEquals("", btf.name(s.anonUnion));
    assertEquals(s.emptyStruct + 1, btf.typeCount());
  }

  @Test
  void readsBigEndianAndOtherContainers() {
    Btf be = Btf.parse(new Sample(ByteOrder.BIG_ENDIAN).bytes);
    assertTrue(be.bigEndian());
    assertFalse(btf.bigEndian());
    for (int id = 0; id < btf.typeCount(); id++) assertEquals(btf.type(id), be.type(id), "type " + id);
    ByteBuffer buf = ByteBuffer.allocate(s.bytes.length + 3).position(3);
    buf.put(s.bytes).position(3);
    assertEquals(btf.type(s.task), Btf.parse(buf).type(s.task));
    assertEquals(3, buf.position());
    assertEquals(btf.type(s.vfsRead), Btf.parse(MemorySegment.ofArray(s.bytes)).type(s.vfsRead));
  }

  @Test
  void normalizesOldStyleBitfields() {
    // kind_flag clear: the int's BTF_INT_OFFSET 2 adds to the member offset 8, BTF_INT_BITS 4 is the width
    assertEquals(new Member("x", s.legacyBits, 10, 4), ((Struct) btf.type(s.legacy)).members().getFirst());
  }

  @Test
  void findsTypesByKindAndName() {
    assertEquals(OptionalInt.of(s.task), btf.findType(BtfKind.STRUCT, "task"));
    assertEquals(OptionalInt.of(s.pidT), btf.findType(BtfKind.TYPEDEF, "pid_t"));
    assertEquals(OptionalInt.of(s.vfsRead), btf.findType(BtfKind.FUNC, "vfs_read"));
    assertEquals(OptionalInt.empty(), btf.findType(BtfKind.UNION, "task"));
    assertEquals(OptionalInt.empty(), btf.findType(BtfKind.STRUCT, ""));
    assertEquals(OptionalInt.empty(), btf.findType(BtfKind.STRUCT, "ta\0sk"));
    assertArrayEquals(new int[] {s.uintT, s.legacyBits}, btf.findTypes(BtfKind.INT, "unsigned int"));
    assertEquals(OptionalInt.of(s.task), btf.findType("struct task"));
    assertEquals(OptionalInt.of(s.pidT), btf.findType("pid_t"));
    assertEquals(OptionalInt.of(s.uintT), btf.findType("unsigned int"));
    assertEquals(OptionalInt.of(s.color), btf.findType("enum color"));
    assertEquals(OptionalInt.of(s.big), btf.findType("enum big"));
    assertEquals(OptionalInt.empty(), btf.findType("union task"));
  }

  @Test
  void indexedLookupsAgreeWithScans() {
    // the first few lookups of a kind scan, later ones use a hash index: both must give the same answers
    for (int round = 0; round < 10; round++) {
      assertEquals(OptionalInt.of(s.task), btf.findType(BtfKind.STRUCT, "task"), "round " + round);
      assertEquals(OptionalInt.of(s.packed), btf.findType(BtfKind.STRUCT, "packed"), "round " + round);
      assertEquals(OptionalInt.empty(), btf.findType(BtfKind.STRUCT, "tas"), "round " + round);
      assertArrayEquals(new int[] {s.uintT, s.legacyBits}, btf.findTypes(BtfKind.INT, "unsigned int"), "round " + round);
      assertEquals(-1, btf.findEnumerator("BLUE").orElseThrow().value(), "round " + round);
      assertTrue(btf.findEnumerator("PURPLE").isEmpty(), "round " + round);
    }
  }

  @Test
  void findsEnumerators() {
    assertEquals(new Btf.Constant(s.color, "GREEN", 1), btf.findEnumerator("GREEN").orElseThrow());
    assertEquals(new Btf.Constant(s.big, "HUGE", -1L), btf.findEnumerator("HUGE").orElseThrow());
    assertTrue(btf.findEnumerator("").isEmpty());
  }

  @Test
  void enumeratesNamesByGlob() {
    assertEquals(List.of("vfs_read"), btf.names(BtfKind.FUNC, "vfs_*"));
    assertEquals(List.of("vfs_read", "_printk"), btf.names(BtfKind.FUNC, "*"));
    assertEquals(List.of("_printk"), btf.names(BtfKind.FUNC, "*print*"));
    assertEquals(List.of("vfs_read"), btf.names(BtfKind.FUNC, "vfs_read"));
    assertEquals(List.of(), btf.names(BtfKind.FUNC, "vfs_"));
    assertEquals(List.of("int", "unsigned int", "char", "long unsigned int", "_Bool", "long int"), btf.names(BtfKind.INT, "*"));
    assertArrayEquals(new int[] {s.vfsRead, s.printk}, btf.typesOfKind(BtfKind.FUNC));
    assertArrayEquals(new int[] {0}, btf.typesOfKind(BtfKind.VOID));
  }

  @Test
  void describesRawTracepoints() {
    assertEquals(List.of("sched_switch"), btf.rawTracepoints("*"));
    assertEquals(List.of("sched_switch"), btf.rawTracepoints("sched_*"));
    assertEquals(List.of(), btf.rawTracepoints("irq_*"));
    assertEquals(btf.type(s.tpProto), btf.rawTracepointProto("sched_switch").orElseThrow());
    assertEquals(List.of(new Param("preempt", s.boolT), new Param("prev", s.taskPtr), new Param("next", s.taskPtr)),
        btf.rawTracepointArgs("sched_switch").orElseThrow());
    assertTrue(btf.rawTracepointArgs("sched_wakeup").isEmpty());
    assertEquals(btf.type(s.vfsReadProto), btf.funcProto("vfs_read").orElseThrow());
    assertTrue(btf.funcProto("vfs_write").isEmpty());
  }

  @Test
  void namesRawTracepointArgumentsFromProbeStubs() {
    // vmlinux: typedef void (*btf_trace_x)(void *, int, int); void __probestub_x(void *__data, int a, int b);
    BtfBuilder b = new BtfBuilder();
    int i = b.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
    int vp = b.add(new Ptr(0));
    int unnamed = b.add(new FuncProto(0, List.of(new Param("", vp), new Param("", i), new Param("", i)), false));
    b.add(new Typedef("btf_trace_x", b.add(new Ptr(unnamed))));
    b.add(new Typedef("btf_trace_y", b.add(new Ptr(unnamed))));
    b.addFunc("__probestub_x", Linkage.STATIC, 0, List.of(new Param("__data", vp), new Param("a", i), new Param("b", i)));
    b.addFunc("__bpf_trace_y", Linkage.STATIC, 0, List.of(new Param("__data", vp), new Param("c", i)));
    Btf btf = Btf.parse(b.build());
    assertEquals(List.of(new Param("a", i), new Param("b", i)), btf.rawTracepointArgs("x").orElseThrow());
    // __bpf_trace_y has a different shape (it belongs to another tracepoint's class), so the typedef wins
    assertEquals(List.of(new Param("", i), new Param("", i)), btf.rawTracepointArgs("y").orElseThrow());
  }

  @Test
  void resolvesModifiers() {
    assertEquals(s.intT, btf.resolve(s.pidT));
    assertEquals(s.intT, btf.resolve(s.volatileConstInt));
    assertEquals(s.charT, btf.resolve(s.userTag));
    assertEquals(s.pidT, btf.unqualified(s.pidT));
    assertEquals(s.intT, btf.unqualified(s.volatileConstInt));
    assertEquals(s.task, btf.resolve(s.task));
    assertEquals(btf.type(s.intT), btf.resolved(s.pidT));
    assertEquals(s.file, btf.complete(s.file));
    assertEquals(s.task, btf.complete(s.task));
  }

  @Test
  void findsMembersThroughAnonymousMembers() {
    assertEquals(new Member("pid", s.pidT, 32), btf.member(s.task, "pid").orElseThrow());
    assertEquals(new Member("parent", s.taskPtr, 64), btf.member(s.task, "parent").orElseThrow());
    assertEquals(new Member("flags", s.ulongT, 256), btf.member(s.task, "flags").orElseThrow());
    assertEquals(new Member("hi", s.uintT, 288), btf.member(s.task, "hi").orElseThrow());
    assertEquals(36, btf.member(s.task, "hi").orElseThrow().byteOffset());
    Member b = btf.member(s.task, "b").orElseThrow();
    assertTrue(b.isBitfield());
    assertEquals(323, b.bitOffset());
    assertEquals(5, b.bitfieldSize());
    assertTrue(btf.member(s.task, "nope").isEmpty());
    assertEquals(new Member("lo", s.uintT, 0), btf.member(s.anonUnion, "lo").orElseThrow());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> btf.member(s.pidT, "x"));
    assertEquals("type 7 (pid_t) is not a struct or union", e.getMessage());
  }

  @Test
  void sizesAndAlignments() {
    assertEquals(64, btf.sizeOf(s.task));
    assertEquals(8, btf.sizeOf(s.taskPtr));
    assertEquals(16, btf.sizeOf(s.charArr16));
    assertEquals(4, btf.sizeOf(s.pidT));
    assertEquals(4, btf.sizeOf(s.volatileConstInt));
    assertEquals(4, btf.sizeOf(s.color));
    assertEquals(8, btf.sizeOf(s.big));
    assertEquals(8, btf.sizeOf(s.doubleT));
    assertEquals(4, btf.sizeOf(s.percpuVar));
    assertEquals(0, btf.sizeOf(s.emptyStruct));
    assertEquals(8, btf.alignOf(s.task));
    assertEquals(1, btf.alignOf(s.charArr16));
    assertEquals(4, btf.alignOf(s.pidT));
    assertEquals(8, btf.alignOf(s.anonUnion));
    assertEquals(1, btf.alignOf(s.packed));
    assertEquals(1, btf.alignOf(s.emptyStruct));
    assertEquals(8, btf.pointerSize());
    for (int unsized : new int[] {0, s.file, s.vfsRead, s.vfsReadProto, s.declTag}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> btf.sizeOf(unsized));
      assertTrue(e.getMessage().endsWith("has no size"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> btf.alignOf(unsized));
    }
    assertEquals("type 0 (void) has no size", assertThrows(IllegalArgumentException.class, () -> btf.sizeOf(0)).getMessage());
  }

  @Test
  void rejectsIdsOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> btf.type(-1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> btf.type(btf.typeCount()));
    assertEquals("no BTF type " + btf.typeCount() + "; ids are 0.." + (btf.typeCount() - 1), e.getMessage());
  }

  @Test
  void parseCopiesItsInput() {
    byte[] b = s.bytes.clone();
    Btf copy = Btf.parse(b);
    java.util.Arrays.fill(b, (byte) 0);
    assertEquals(btf.type(s.task), copy.type(s.task));
  }
}
