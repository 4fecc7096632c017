package jbpf.btf;

import java.nio.ByteOrder;
import java.util.List;
import jbpf.btf.BtfType.*;

/**
 * A small BTF blob with one or more types of every kind, described in C on each line. The ids are public so that
 * tests can refer to them.
 */
final class Sample {
  final int intT, uintT, charT, ulongT, boolT, pidT, task, taskPtr, charArr16, anonUnion, anonStruct, constInt,
      volatileConstInt, cvIntPtr, cbProto, cbPtr, voidPtr, color, big, file, filePtr, charPtr, sizeT, loffT, loffPtr,
      ssizeT, longT, vfsReadProto, vfsRead, tpProto, tpPtr, tpTypedef, printkProto, printk, constChar, constCharPtr,
      restrictCharPtr, percpuVar, datasec, doubleT, declTag, userTag, userCharPtr, packed, legacy, legacyBits, emptyStruct;
  final byte[] bytes;

  Sample() { this(ByteOrder.LITTLE_ENDIAN); }

  Sample(ByteOrder order) {
    BtfBuilder b = new BtfBuilder();
    intT = b.add(new Int("int", 4, 0, 32, Int.Encoding.SIGNED));
    uintT = b.add(new Int("unsigned int", 4, 0, 32, Int.Encoding.NONE));
    charT = b.add(new Int("char", 1, 0, 8, Int.Encoding.SIGNED));
    ulongT = b.add(new Int("long unsigned int", 8, 0, 64, Int.Encoding.NONE));
    boolT = b.add(new Int("_Bool", 1, 0, 8, Int.Encoding.BOOL));
    longT = b.add(new Int("long int", 8, 0, 64, Int.Encoding.SIGNED));
    pidT = b.add(new Typedef("pid_t", intT));                                    // typedef int pid_t;
    int t = b.nextId();
    taskPtr = t + 1;
    charArr16 = t + 2;
    anonUnion = t + 3;
    anonStruct = t + 4;
    cvIntPtr = t + 7;
    cbPtr = t + 9;
    task = b.add(new Struct("task", 64, List.of(                                // struct task {
        new Member("state", intT, 0),                                           //   int state;
        new Member("pid", pidT, 32),                                            //   pid_t pid;
        new Member("parent", taskPtr, 64),                                      //   struct task *parent;
        new Member("comm", charArr16, 128),                                     //   char comm[16];
        new Member("", anonUnion, 256),                                         //   union { ... };
        new Member("a", uintT, 320, 3),                                         //   unsigned int a: 3;
        new Member("b", uintT, 323, 5),                                         //   unsigned int b: 5;
        new Member("cv", cvIntPtr, 384),                                        //   const volatile int *cv;
        new Member("cb", cbPtr, 448))));                                        //   int (*cb)(int, void *);
    b.add(new Ptr(task));                                                       // };
    b.add(new Array(charT, intT, 16));
    b.add(new Union("", 8, List.of(                                             // union {
        new Member("flags", ulongT, 0),                                         //   long unsigned int flags;
        new Member("", anonStruct, 0))));                                       //   struct { unsigned int lo, hi; };
    b.add(new Struct("", 8, List.of(new Member("lo", uintT, 0), new Member("hi", uintT, 32))));
    constInt = b.add(new Const(intT));
    volatileConstInt = b.add(new Volatile(constInt));
    b.add(new Ptr(volatileConstInt));
    voidPtr = b.nextId() + 2;
    cbProto = b.add(new FuncProto(intT, List.of(new Param("", intT), new Param("", voidPtr)), false));
    b.add(new Ptr(cbProto));
    b.add(new Ptr(0));                                                          // void *
    color = b.add(new BtfType.Enum("color", 4, true, List.of(                   // enum color { RED, GREEN, BLUE = -1 };
        new Enumerator("RED", 0), new Enumerator("GREEN", 1), new Enumerator("BLUE", -1))));
    big = b.add(new Enum64("big", 8, false, List.of(new Enumerator("HUGE", -1L), new Enumerator("SMALL", 5))));
    file = b.add(new Fwd("file", false));                                       // struct file;
    filePtr = b.add(new Ptr(file));
    charPtr = b.add(new Ptr(charT));
    sizeT = b.add(new Typedef("size_t", ulongT));
    loffT = b.add(new Typedef("loff_t", longT));
    loffPtr = b.add(new Ptr(loffT));
    ssizeT = b.add(new Typedef("ssize_t", longT));
    vfsReadProto = b.add(new FuncProto(ssizeT, List.of(                         // ssize_t vfs_read(struct file *file,
        new Param("file", filePtr), new Param("buf", charPtr),                  //   char *buf, size_t count,
        new Param("count", sizeT), new Param("pos", loffPtr)), false));         //   loff_t *pos);
    vfsRead = b.add(new Func("vfs_read", vfsReadProto, Linkage.GLOBAL));
    tpProto = b.add(new FuncProto(0, List.of(new Param("__data", voidPtr),      // typedef void (*btf_trace_sched_switch)(
        new Param("preempt", boolT), new Param("prev", taskPtr),                //   void *, bool, struct task *,
        new Param("next", taskPtr)), false));                                   //   struct task *);
    tpPtr = b.add(new Ptr(tpProto));
    tpTypedef = b.add(new Typedef("btf_trace_sched_switch", tpPtr));
    constChar = b.add(new Const(charT));
    constCharPtr = b.add(new Ptr(constChar));
    printkProto = b.add(new FuncProto(intT, List.of(new Param("fmt", constCharPtr)), true));
    printk = b.add(new Func("_printk", printkProto, Linkage.GLOBAL));           // int _printk(const char *fmt, ...);
    restrictCharPtr = b.add(new Restrict(charPtr));                             // char * restrict
    percpuVar = b.add(new Var("runqueues", intT, Linkage.GLOBAL));
    datasec = b.add(new Datasec(".data..percpu", 4, List.of(new SecInfo(percpuVar, 0, 4))));
    doubleT = b.add(new BtfType.Float("double", 8));
    declTag = b.add(new DeclTag("bpf_kfunc", vfsRead, -1, false));
    userTag = b.add(new TypeTag("user", charT, false));
    userCharPtr = b.add(new Ptr(userTag));                                      // char __user *
    packed = b.add(new Struct("packed", 5, List.of(                             // struct packed { char c; int i; }
        new Member("c", charT, 0), new Member("i", intT, 8))));                 //   __attribute__((packed));
    legacyBits = b.add(new Int("unsigned int", 4, 2, 4, Int.Encoding.NONE));    // old-style bitfield int
    legacy = b.add(new Struct("legacy", 4, List.of(new Member("x", legacyBits, 8))));
    emptyStruct = b.add(new Struct("empty", 0, List.of()));
    bytes = b.build(order);
  }

  Btf btf() { return Btf.parse(bytes); }
}
