package jbpf.btf;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import jbpf.btf.BtfType.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CPrinterTest {
  private static final Sample S = new Sample();
  private static final Btf BTF = S.btf();

  static Stream<Arguments> names() {
    return Stream.of(
        row("void", s -> 0, "void", "void x"),
        row("int", s -> s.intT, "int", "int x"),
        row("typedef", s -> s.pidT, "pid_t", "pid_t x"),
        row("struct pointer", s -> s.taskPtr, "struct task *", "struct task *x"),
        row("array", s -> s.charArr16, "char[16]", "char x[16]"),
        row("anonymous union", s -> s.anonUnion, "union {...}", "union {...} x"),
        row("qualifiers", s -> s.volatileConstInt, "const volatile int", "const volatile int x"),
        row("pointer to qualified", s -> s.cvIntPtr, "const volatile int *", "const volatile int *x"),
        row("function pointer", s -> s.cbPtr, "int (*)(int, void *)", "int (*x)(int, void *)"),
        row("function prototype", s -> s.cbProto, "int (int, void *)", "int x(int, void *)"),
        row("const char pointer", s -> s.constCharPtr, "const char *", "const char *x"),
        row("restrict pointer", s -> s.restrictCharPtr, "char * restrict", "char * restrict x"),
        row("type tag", s -> s.userCharPtr, "char *", "char *x"),
        row("enum", s -> s.color, "enum color", "enum color x"),
        row("enum64", s -> s.big, "enum big", "enum big x"),
        row("forward", s -> s.file, "struct file", "struct file x"),
        row("void pointer", s -> s.voidPtr, "void *", "void *x"),
        row("float", s -> s.doubleT, "double", "double x"),
        row("raw tracepoint", s -> s.tpTypedef, "btf_trace_sched_switch", "btf_trace_sched_switch x"),
        row("raw tracepoint proto", s -> s.tpPtr, "void (*)(void *__data, _Bool preempt, struct task *prev, struct task *next)",
            "void (*x)(void *__data, _Bool preempt, struct task *prev, struct task *next)"),
        row("variadic", s -> s.printkProto, "int (const char *fmt, ...)", "int x(const char *fmt, ...)"));
  }

  private static Arguments row(String name, ToIntFunction<Sample> id, String typeName, String declaration) {
    return arguments(name, id.applyAsInt(S), typeName, declaration);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void printsTypeNamesAndDeclarations(String name, int id, String typeName, String declaration) {
    assertEquals(typeName, BTF.typeName(id));
    assertEquals(declaration, BTF.declaration(id, "x"));
  }

  @Test
  void printsDeclaratorsInsideOut() {
    BtfBuilder b = new BtfBuilder();
    int chr = b.add(new Int("char", 1, 0, 8, Int.Encoding.SIGNED));
    int arr = b.add(new Array(chr, chr, 16));
    int ptrToArr = b.add(new Ptr(arr));
    int ptr = b.add(new Ptr(chr));
    int constPtr = b.add(new Const(ptr));
    int ptrToConstPtr = b.add(new Ptr(constPtr));
    int arrOfPtr = b.add(new Array(ptr, chr, 4));
    int proto = b.add(new FuncProto(ptr, List.of(), false));
    int ptrToProto = b.add(new Ptr(proto));
    int arrOfFnPtr = b.add(new Array(ptrToProto, chr, 2));
    int constArr = b.add(new Const(b.nextId() + 1));
    b.add(new Array(b.nextId() + 1, chr, 10));
    b.add(new Const(chr));
    Btf btf = Btf.parse(b.build());
    assertEquals("char (*p)[16]", btf.declaration(ptrToArr, "p"));
    assertEquals("char * const p", btf.declaration(constPtr, "p"));
    assertEquals("char * const *", btf.typeName(ptrToConstPtr));
    assertEquals("char *p[4]", btf.declaration(arrOfPtr, "p"));
    assertEquals("char * (*f)()", btf.declaration(ptrToProto, "f"));
    assertEquals("char * (*f[2])()", btf.declaration(arrOfFnPtr, "f"));
    assertEquals("const char name[10]", btf.declaration(constArr, "name"));
  }

  @Test
  void printsSignatures() {
    assertEquals("ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)", BTF.signature(S.vfsRead));
    assertEquals("int _printk(const char *fmt, ...)", BTF.signature(S.printk));
    assertEquals("int (int, void *)", BTF.signature(S.cbProto));
    assertThrows(IllegalArgumentException.class, () -> BTF.signature(S.intT));
    BtfBuilder b = new BtfBuilder();
    int f = b.addFunc("nothing", Linkage.STATIC, 0, List.of());
    assertEquals("void nothing(void)", Btf.parse(b.build()).signature(f));
  }

  @Test
  void printsStructDefinitionsLikeBpftool() {
    assertEquals("""
        struct task {
        \tint state;
        \tpid_t pid;
        \tstruct task *parent;
        \tchar comm[16];
        \tunion {
        \t\tlong unsigned int flags;
        \t\tstruct {
        \t\t\tunsigned int lo;
        \t\t\tunsigned int hi;
        \t\t};
        \t};
        \tunsigned int a: 3;
        \tunsigned int b: 5;
        \tconst volatile int *cv;
        \tint (*cb)(int, void *);
        };
        """, BTF.definition(S.task));
    assertEquals("""
        struct packed {
        \tchar c;
        \tint i;
        } __attribute__((packed));
        """, BTF.definition(S.packed));
    assertEquals("struct empty {};\n", BTF.definition(S.emptyStruct));
    assertEquals("""
        enum color {
        \tRED = 0,
        \tGREEN = 1,
        \tBLUE = -1,
        };
        """, BTF.definition(S.color));
    assertEquals("""
        enum big {
        \tHUGE = 18446744073709551615ULL,
        \tSMALL = 5ULL,
        };
        """, BTF.definition(S.big));
    assertEquals("typedef int pid_t;\n", BTF.definition(S.pidT));
    assertEquals("typedef void (*btf_trace_sched_switch)(void *__data, _Bool preempt, struct task *prev, struct task *next);\n",
        BTF.definition(S.tpTypedef));
    assertEquals("struct file;\n", BTF.definition(S.file));
  }

  @Test
  void padsGapsTheWayLibbpfDoes() {
    BtfBuilder b = new BtfBuilder();
    int chr = b.add(new Int("char", 1, 0, 8, Int.Encoding.SIGNED));
    int uint = b.add(new Int("unsigned int", 4, 0, 32, Int.Encoding.NONE));
    int lng = b.add(new Int("long", 8, 0, 64, Int.Encoding.SIGNED));
    int gap = b.add(new Struct("gap", 40, List.of(              // a long at 16 although 8 would do, 8 bytes of tail
        new Member("c", chr, 0), new Member("l", lng, 128), new Member("t", chr, 192))));
    int bits = b.add(new Struct("bits", 8, List.of(             // bitfields with a hole between them
        new Member("x", uint, 0, 1), new Member("y", uint, 36, 1))));
    Btf btf = Btf.parse(b.build());
    assertEquals("""
        struct gap {
        \tchar c;
        \tlong: 64;
        \tlong l;
        \tchar t;
        \tlong: 64;
        };
        """, btf.definition(gap));
    assertEquals("""
        struct bits {
        \tunsigned int x: 1;
        \tint: 31;
        \tchar: 4;
        \tunsigned int y: 1;
        };
        """, btf.definition(bits));
  }
}
