package jbpf.btf;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalInt;
import jbpf.btf.BtfType.*;
import org.junit.jupiter.api.Test;

/** Module BTF: types and strings continue those of a base, and refer to base types by id. */
class SplitBtfTest {
  private final Sample s = new Sample();
  private final Btf base = s.btf();
  private final int modStruct, modPtr, modFunc, modEnum, modTp, borrowedName;
  private final Btf split;

  SplitBtfTest() {
    BtfBuilder b = new BtfBuilder(base);
    modStruct = b.add(new Struct("mod_state", 16, List.of(
        new Member("owner", s.taskPtr, 0), new Member("count", s.intT, 64))));
    modPtr = b.add(new Ptr(modStruct));
    modFunc = b.addFunc("mod_open", Linkage.GLOBAL, s.intT, List.of(new Param("st", modPtr)));
    modEnum = b.add(new BtfType.Enum("mod_mode", 4, false, List.of(new Enumerator("MOD_FAST", 7))));
    int tpProto = b.add(new FuncProto(0, List.of(new Param("__data", s.voidPtr), new Param("st", modPtr)), false));
    modTp = b.add(new Typedef("btf_trace_mod_event", b.add(new Ptr(tpProto))));
    borrowedName = b.add(new Fwd("", false));
    byte[] bytes = b.build(ByteOrder.LITTLE_ENDIAN);
    // module BTF may name its types with strings of the base; point the anonymous fwd at the base's "task"
    int taskString = indexOf(s.bytes, "\0task\0") + 1 - stringsStart(s.bytes);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typeOffset(bytes, borrowedName - base.typeCount()), taskString);
    split = Btf.parse(bytes, base);
  }

  @Test
  void continuesTheBaseIds() {
    assertEquals(base.typeCount(), split.firstTypeId());
    assertEquals(modStruct, split.firstTypeId());
    assertEquals(borrowedName + 1, split.typeCount());
    assertSame(base, split.base());
    assertEquals(base.type(s.task), split.type(s.task));
    assertEquals(new Struct("mod_state", 16, List.of(new Member("owner", s.taskPtr, 0), new Member("count", s.intT, 64))), split.type(modStruct));
    assertEquals(new Fwd("task", false), split.type(borrowedName));
    assertEquals("task", split.name(borrowedName));
  }

  @Test
  void looksUpAcrossBaseAndModule() {
    assertEquals(OptionalInt.of(s.task), split.findType(BtfKind.STRUCT, "task"));
    assertEquals(OptionalInt.of(modStruct), split.findType(BtfKind.STRUCT, "mod_state"));
    assertEquals(OptionalInt.of(modStruct), split.findType("struct mod_state"));
    assertArrayEquals(new int[] {s.vfsRead, s.printk, modFunc}, split.typesOfKind(BtfKind.FUNC));
    assertEquals(List.of("vfs_read", "_printk", "mod_open"), split.names(BtfKind.FUNC, "*"));
    assertEquals(List.of("sched_switch", "mod_event"), split.rawTracepoints("*"));
    assertEquals(List.of(new Param("st", modPtr)), split.rawTracepointArgs("mod_event").orElseThrow());
    assertEquals(7, split.findEnumerator("MOD_FAST").orElseThrow().value());
    assertEquals(modEnum, split.findEnumerator("MOD_FAST").orElseThrow().enumType());
    assertEquals(1, split.findEnumerator("GREEN").orElseThrow().value());
    assertEquals(s.task, split.complete(borrowedName));
    assertEquals("int mod_open(struct mod_state *st)", split.signature(modFunc));
  }

  @Test
  void resolvesMembersThroughBaseTypes() {
    Member owner = split.member(modStruct, "owner").orElseThrow();
    int task = ((Ptr) split.resolved(owner.type())).type();
    assertEquals(new Member("parent", s.taskPtr, 64), split.member(task, "parent").orElseThrow());
    assertEquals(16, split.sizeOf(modStruct));
    assertEquals(8, split.alignOf(modStruct));
  }

  @Test
  void needsItsBase() {
    BtfBuilder b = new BtfBuilder(base);
    b.add(new Ptr(s.task));
    byte[] bytes = b.build();
    assertEquals("BTF string section must start with an empty string", assertThrows(BtfException.class, () -> Btf.parse(bytes)).getMessage());
    assertEquals(new Ptr(s.task), Btf.parse(bytes, base).type(base.typeCount()));
  }

  private static int indexOf(byte[] data, String s) {
    byte[] q = s.getBytes(US_ASCII);
    outer:
    for (int i = 0; i + q.length <= data.length; i++) {
      for (int j = 0; j < q.length; j++) if (data[i + j] != q[j]) continue outer;
      return i;
    }
    throw new AssertionError(s + " not found");
  }

  private static int stringsStart(byte[] btf) { return 24 + ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN).getInt(16); }

  /** The offset of the {@code index}th type record, walking records of the kinds this test writes. */
  private static int typeOffset(byte[] btf, int index) {
    ByteBuffer b = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
    int p = 24;
    for (int i = 0; i < index; i++) {
      int info = b.getInt(p + 4), kind = info >>> 24 & 0x1f, vlen = info & 0xffff;
      p += 12 + switch (BtfKind.values()[kind]) {
        case STRUCT, UNION -> 12 * vlen;
        case ENUM, FUNC_PROTO -> 8 * vlen;
        default -> 0;
      };
    }
    return p;
  }
}
