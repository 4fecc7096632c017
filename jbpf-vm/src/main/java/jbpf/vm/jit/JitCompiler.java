package jbpf.vm.jit;

import static java.lang.constant.ConstantDescs.*;
import static jbpf.asm.Opcode.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jbpf.asm.Insn;
import jbpf.vm.Context;
import jbpf.vm.Engine;
import jbpf.vm.Helpers;
import jbpf.vm.Machine;
import jbpf.vm.VmProgram;
import jbpf.vm.interp.Interpreter;
import jbpf.vm.verify.Verification;
import jbpf.vm.verify.Verification.Access;

/**
 * Compiles a verified program to one hidden JVM class, which C2 then compiles like any Java method.
 *
 * <p>Registers become {@code long} locals. The main function is the body of {@link Engine#run}; each other
 * function is a static method taking {@code r1..r5} and its frame pointer, so {@code r6..r9} are preserved by
 * construction. A load or store goes straight to the segment of the region the verifier proved it touches:
 * for the context, a slice of exactly the verified size is taken once at entry, so every later bounds check is
 * against a constant and C2 folds it away; the stack is a {@code long[]} allocated per run. Accesses the
 * verifier could not pin to one region go through {@link Machine}. Helpers, maps and other constants come from
 * the class data as dynamic constants, which C2 treats as constants.
 */
public final class JitCompiler {
  private JitCompiler() {}

  private static final ClassDesc CD_SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
  private static final ClassDesc CD_MACHINE = ClassDesc.of("jbpf.vm.Machine");
  private static final ClassDesc CD_VM = ClassDesc.of("jbpf.vm.Vm");
  private static final ClassDesc CD_ENGINE = ClassDesc.of("jbpf.vm.Engine");
  private static final ClassDesc CD_HELPER = ClassDesc.of("jbpf.vm.HelperFunction");
  private static final ClassDesc CD_INTERP = ClassDesc.of("jbpf.vm.interp.Interpreter");
  private static final ClassDesc CD_RT = ClassDesc.of("jbpf.vm.jit.Rt");
  private static final ClassDesc CD_LONGS = ClassDesc.of("java.lang.Long");
  private static final ClassDesc CD_INTS = ClassDesc.of("java.lang.Integer");
  private static final ClassDesc CD_SELF = ClassDesc.of("jbpf.vm.jit.JitProgram");
  private static final MethodTypeDesc FN = MethodTypeDesc.of(CD_long, CD_MACHINE, CD_SEGMENT, CD_SEGMENT, CD_long, CD_long, CD_long,
      CD_long, CD_long, CD_long);
  private static final MethodTypeDesc LOAD = MethodTypeDesc.of(CD_long, CD_SEGMENT, CD_long);
  private static final MethodTypeDesc STORE = MethodTypeDesc.of(CD_void, CD_SEGMENT, CD_long, CD_long);
  private static final MethodTypeDesc JJ_J = MethodTypeDesc.of(CD_long, CD_long, CD_long);
  private static final MethodTypeDesc II_I = MethodTypeDesc.of(CD_int, CD_int, CD_int);
  private static final MethodTypeDesc JJ_I = MethodTypeDesc.of(CD_int, CD_long, CD_long);
  private static final MethodTypeDesc J_J = MethodTypeDesc.of(CD_long, CD_long);

  /** Where a method keeps the machine, the context and stack segments and the eleven registers. */
  private record Frame(int machine, int ctx, int stack, int[] reg) {}

  /** {@return {@code program} as an engine backed by a new hidden class} */
  public static Engine compile(VmProgram program) {
    return (Engine) new JitCompiler.Unit(program, null).define(null);
  }

  /**
   * {@return {@code program} compiled into a new hidden subclass of {@code base}, whose {@link Engine#run} it
   * implements} Code that holds the result calls the program with no object in between: a filter that extends
   * {@code base} is its own engine. The subclass's constructor passes {@code state} to {@code base}'s, so
   * {@code base} can keep what it needs in final fields.
   *
   * @param base an abstract class implementing {@link Engine}, with a public or protected constructor taking one
   *     {@code Object}, and {@code run} left abstract
   * @throws IllegalArgumentException if {@code base} is not such a class
   */
  public static <T extends Engine> T compile(VmProgram program, Class<T> base, Object state) {
    boolean constructor = false;
    for (var c : base.getDeclaredConstructors()) {
      int m = c.getModifiers();
      if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Object.class && (Modifier.isPublic(m) || Modifier.isProtected(m))) constructor = true;
    }
    if (!Modifier.isAbstract(base.getModifiers()) || base.isInterface() || !Modifier.isPublic(base.getModifiers()) || !constructor)
      throw new IllegalArgumentException(base.getName() + " is not a public abstract class with a constructor taking one Object");
    return base.cast(new JitCompiler.Unit(program, ClassDesc.of(base.getName())).define(state));
  }

  /** One compilation: the program, its verification and the constants the class data will hold. */
  private static final class Unit {
    final VmProgram program;
    final Verification v;
    final List<Insn> insns;
    final Context context;
    final List<Object> constants = new ArrayList<>();
    final boolean needsMachine;
    final boolean slicesCtx;
    /** The class the compiled one extends, or {@code null} for {@code Object}. */
    final ClassDesc superclass;

    Unit(VmProgram program, ClassDesc superclass) {
      this.program = program;
      this.superclass = superclass;
      this.v = program.verification();
      this.insns = v.insns();
      this.context = program.context();
      boolean machine = false, ctx = false;
      for (int i = 0; i < insns.size(); i++) {
        if (!v.reachable(i)) continue;
        Insn insn = insns.get(i);
        Access a = v.access(i);
        if (a != null && a.region() == Verification.Region.GENERIC) machine = true;
        if (a != null && a.region() == Verification.Region.CTX) ctx = true;
        if (insn.opcode() == (JMP | CALL) && insn.src() != PSEUDO_CALL || insn.opcode() == (JMP | CALL | X)) machine = true;
        if (insn.isJump() && v.target(i) <= i) machine = true;
      }
      this.needsMachine = machine;
      this.slicesCtx = ctx && context.size() > 0;
    }

    DynamicConstantDesc<Object> constant(Object value, ClassDesc type) {
      int index = constants.indexOf(value);
      if (index < 0 || constants.get(index) != value) {
        index = constants.size();
        constants.add(value);
      }
      return DynamicConstantDesc.ofNamed(BSM_CLASS_DATA_AT, DEFAULT_NAME, type, index);
    }

    /** Defines the class and {@return an instance}, built with {@code state} when there is a superclass. */
    Object define(Object state) {
      byte[] bytes;
      try {
        bytes = build();
      } catch (IllegalArgumentException e) {
        throw new UnsupportedOperationException("JIT: the program's " + insns.size()
            + " instructions do not fit the JVM's method size limit (" + e.getMessage() + "); run it with the interpreter", e);
      }
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, List.copyOf(constants), true);
        if (superclass == null) return lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class)).invoke();
        return lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class, Object.class)).invoke(state);
      } catch (Throwable e) {
        throw new IllegalStateException("JIT: the generated class for a verified program was rejected: " + e, e);
      }
    }

    private byte[] build() {
      return ClassFile.of().build(CD_SELF, cb -> {
        cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
        cb.withInterfaceSymbols(CD_ENGINE);
        if (superclass == null) {
          cb.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC,
              cob -> cob.aload(0).invokespecial(CD_Object, INIT_NAME, MTD_void).return_());
        } else {
          MethodTypeDesc init = MethodTypeDesc.of(CD_void, CD_Object);
          cb.withSuperclass(superclass);
          cb.withMethodBody(INIT_NAME, init, ClassFile.ACC_PUBLIC,
              cob -> cob.aload(0).aload(1).invokespecial(superclass, INIT_NAME, init).return_());
        }
        cb.withMethodBody("run", MethodTypeDesc.of(CD_long, CD_SEGMENT), ClassFile.ACC_PUBLIC, this::run);
        for (int f = 1; f < v.functions(); f++) {
          int fn = f;
          cb.withMethodBody("f" + f, FN, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, cob -> function(cob, fn));
        }
      });
    }

    private void run(CodeBuilder cob) {
      int[] reg = new int[11];
      for (int r = 0; r < 11; r++) reg[r] = 5 + 2 * r;
      Frame fr = new Frame(2, 3, 4, reg);
      cob.aload(1).loadConstant(context.size()).loadConstant(context.writable() ? 1 : 0)
          .invokestatic(CD_RT, "enter", MethodTypeDesc.of(CD_void, CD_SEGMENT, CD_long, CD_boolean));
      int stackSize = v.stackSize();
      if (stackSize > 0) {
        cob.loadConstant(stackSize / 8).newarray(java.lang.classfile.TypeKind.LONG)
            .invokestatic(CD_SEGMENT, "ofArray", MethodTypeDesc.of(CD_SEGMENT, CD_long.arrayType()), true);
      } else {
        cob.aconst_null();
      }
      cob.astore(fr.stack());
      if (needsMachine) {
        cob.new_(CD_MACHINE).dup().loadConstant(constant(program.vm(), CD_VM)).aload(1).loadConstant(context.writable() ? 1 : 0)
            .aload(fr.stack()).invokespecial(CD_MACHINE, INIT_NAME, MethodTypeDesc.of(CD_void, CD_VM, CD_SEGMENT, CD_boolean, CD_SEGMENT));
      } else {
        cob.aconst_null();
      }
      cob.astore(fr.machine());
      cob.aload(1);
      if (slicesCtx) cob.lconst_0().loadConstant(context.size()).invokeinterface(CD_SEGMENT, "asSlice", MethodTypeDesc.of(CD_SEGMENT, CD_long, CD_long));
      cob.astore(fr.ctx());
      for (int r = 0; r < 11; r++) {
        switch (r) {
          case 1 -> cob.loadConstant(Machine.CTX_BASE);
          case 2 -> cob.aload(1).invokeinterface(CD_SEGMENT, "byteSize", MethodTypeDesc.of(CD_long));
          case 10 -> cob.loadConstant(Machine.STACK_BASE + stackSize);
          default -> cob.lconst_0();
        }
        cob.lstore(reg[r]);
      }
      body(cob, fr, 0);
    }

    private void function(CodeBuilder cob, int f) {
      int[] reg = new int[11];
      reg[1] = 3; reg[2] = 5; reg[3] = 7; reg[4] = 9; reg[5] = 11; reg[10] = 13;
      reg[0] = 15; reg[6] = 17; reg[7] = 19; reg[8] = 21; reg[9] = 23;
      Frame fr = new Frame(0, 1, 2, reg);
      for (int r : new int[] {0, 6, 7, 8, 9}) cob.lconst_0().lstore(reg[r]);
      body(cob, fr, f);
    }

    private void body(CodeBuilder cob, Frame fr, int f) {
      int[] entries = v.entries();
      int start = entries[f];
      int end = f + 1 < entries.length ? entries[f + 1] : insns.size();
      Label[] labels = new Label[insns.size()];
      for (int i = start; i < end; i++) labels[i] = cob.newLabel();
      for (int i = start; i < end; i++) {
        if (!v.reachable(i)) continue;
        cob.labelBinding(labels[i]);
        boolean continues = insn(cob, fr, i, labels);
        if (continues && (i + 1 >= end || !v.reachable(i + 1))) unreachable(cob, i + 1);
      }
      // Branches the verifier proved never taken still name their targets; they lead to a trap.
      for (int i = start; i < end; i++) {
        if (v.reachable(i)) continue;
        cob.labelBinding(labels[i]);
        unreachable(cob, i);
      }
    }

    private static void unreachable(CodeBuilder cob, int i) {
      cob.loadConstant(i).invokestatic(CD_RT, "unreachable", MethodTypeDesc.of(ClassDesc.of("java.lang.IllegalStateException"), CD_int)).athrow();
    }

    /** Emits instruction {@code i}; {@return whether execution can continue with the next instruction} */
    private boolean insn(CodeBuilder cob, Frame fr, int i, Label[] labels) {
      Insn insn = insns.get(i);
      int code = insn.opcode();
      int[] reg = fr.reg();
      int dst = reg[insn.dst()], src = reg[insn.src() & 0x0f];
      switch (insn.cls()) {
        case ALU64 -> alu64(cob, insn, dst, src);
        case ALU -> alu32(cob, insn, dst, src);
        case LD -> cob.loadConstant(Interpreter.lddwValue(insn)).lstore(dst);
        case LDX -> {
          int size = size(code);
          base(cob, fr, i, insn.src(), insn.off());
          Access a = v.access(i);
          if (a.region() == Verification.Region.GENERIC) {
            cob.loadConstant(size).invokevirtual(CD_MACHINE, mode(code) == MEMSX ? "loadSigned" : "load", MethodTypeDesc.of(CD_long, CD_long, CD_int));
          } else {
            String name = (mode(code) == MEMSX ? "lds" : "ld") + sizeName(size);
            cob.invokestatic(CD_RT, name, LOAD);
          }
          cob.lstore(dst);
        }
        case ST, STX -> {
          int size = size(code);
          boolean atomic = mode(code) == ATOMIC;
          Access a = v.access(i);
          base(cob, fr, i, insn.dst(), insn.off());
          if (atomic) {
            int op = (int) insn.imm();
            if (a.region() == Verification.Region.GENERIC) {
              cob.loadConstant(size).loadConstant(op).lload(src).lload(reg[0])
                  .invokevirtual(CD_MACHINE, "atomic", MethodTypeDesc.of(CD_long, CD_long, CD_int, CD_int, CD_long, CD_long));
            } else if (size == 8) {
              cob.loadConstant(op).lload(src).lload(reg[0])
                  .invokestatic(CD_MACHINE, "atomic64", MethodTypeDesc.of(CD_long, CD_SEGMENT, CD_long, CD_int, CD_long, CD_long));
            } else {
              cob.loadConstant(op).lload(src).l2i().lload(reg[0]).l2i()
                  .invokestatic(CD_MACHINE, "atomic32", MethodTypeDesc.of(CD_int, CD_SEGMENT, CD_long, CD_int, CD_int, CD_int))
                  .i2l().loadConstant(0xffff_ffffL).land();
            }
            if (op == CMPXCHG) cob.lstore(reg[0]);
            else if ((op & FETCH) != 0) cob.lstore(src);
            else cob.pop2();
          } else {
            boolean generic = a.region() == Verification.Region.GENERIC;
            if (generic) cob.loadConstant(size);
            if (insn.cls() == ST) cob.loadConstant(insn.imm());
            else cob.lload(src);
            if (generic) {
              cob.invokevirtual(CD_MACHINE, "store", MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long));
            } else {
              cob.invokestatic(CD_RT, "st" + sizeName(size), STORE);
            }
          }
        }
        default -> { return jmp(cob, fr, i, insn, labels); }
      }
      return true;
    }

    /**
     * Pushes what a load or store needs before its value: the segment and the offset in it, or for an access
     * resolved at run time the machine and the address.
     */
    private void base(CodeBuilder cob, Frame fr, int i, int reg, int off) {
      Access a = v.access(i);
      int r = fr.reg()[reg];
      long bias = switch (a.region()) {
        case CTX -> {
          cob.aload(fr.ctx());
          yield -Machine.CTX_BASE;
        }
        case STACK -> {
          cob.aload(fr.stack());
          yield -Machine.STACK_BASE;
        }
        case MAP_VALUE -> {
          cob.loadConstant(constant(program.vm().mapByFd(a.fd()).region(), CD_SEGMENT));
          yield -((long) (a.fd() + 2) << 32);
        }
        case GENERIC -> {
          cob.aload(fr.machine());
          yield 0;
        }
      };
      cob.lload(r);
      long k = bias + off;
      if (k != 0) cob.loadConstant(k).ladd();
    }

    private boolean jmp(CodeBuilder cob, Frame fr, int i, Insn insn, Label[] labels) {
      int code = insn.opcode();
      int[] reg = fr.reg();
      int op = op(code);
      boolean is32 = insn.cls() == JMP32;
      switch (op) {
        case EXIT -> {
          cob.lload(reg[0]).lreturn();
          return false;
        }
        case CALL -> {
          if (insn.src() == PSEUDO_CALL && source(code) == K) {
            int callee = v.function(v.target(i));
            cob.aload(fr.machine()).aload(fr.ctx()).aload(fr.stack());
            for (int r = 1; r <= 5; r++) cob.lload(reg[r]);
            cob.lload(reg[10]).loadConstant((long) v.frameSize(v.function(i))).lsub();
            cob.invokestatic(CD_SELF, "f" + callee, FN);
            cob.lstore(reg[0]);
          } else {
            Helpers.Entry h = program.vm().helpers().get(v.helper(i));
            cob.loadConstant(constant(h.function(), CD_HELPER)).loadConstant(h.signature().name()).aload(fr.machine());
            for (int r = 1; r <= 5; r++) cob.lload(reg[r]);
            cob.invokestatic(CD_INTERP, "callHelper", MethodTypeDesc.of(CD_long, CD_HELPER, CD_String, CD_MACHINE, CD_long, CD_long,
                CD_long, CD_long, CD_long));
            cob.lstore(reg[0]);
          }
          return true;
        }
        case JA -> {
          backEdge(cob, fr, i);
          cob.goto_(labels[v.target(i)]);
          return false;
        }
        default -> {}
      }
      Label to = labels[v.target(i)];
      boolean back = v.target(i) <= i;
      Label taken = back ? cob.newLabel() : to;
      boolean x = source(code) == X;
      int a = reg[insn.dst()];
      if (!is32) {
        cob.lload(a);
        if (x) cob.lload(reg[insn.src()]);
        else cob.loadConstant(insn.imm());
        switch (op) {
          case JEQ -> cob.lcmp().ifeq(taken);
          case JNE -> cob.lcmp().ifne(taken);
          case JSGT -> cob.lcmp().ifgt(taken);
          case JSGE -> cob.lcmp().ifge(taken);
          case JSLT -> cob.lcmp().iflt(taken);
          case JSLE -> cob.lcmp().ifle(taken);
          case JSET -> cob.land().lconst_0().lcmp().ifne(taken);
          default -> {
            cob.invokestatic(CD_LONGS, "compareUnsigned", JJ_I);
            switch (op) {
              case JGT -> cob.ifgt(taken);
              case JGE -> cob.ifge(taken);
              case JLT -> cob.iflt(taken);
              default -> cob.ifle(taken);
            }
          }
        }
      } else {
        cob.lload(a).l2i();
        if (x) cob.lload(reg[insn.src()]).l2i();
        else cob.loadConstant((int) insn.imm());
        switch (op) {
          case JEQ -> cob.if_icmpeq(taken);
          case JNE -> cob.if_icmpne(taken);
          case JSGT -> cob.if_icmpgt(taken);
          case JSGE -> cob.if_icmpge(taken);
          case JSLT -> cob.if_icmplt(taken);
          case JSLE -> cob.if_icmple(taken);
          case JSET -> cob.iand().ifne(taken);
          default -> {
            cob.invokestatic(CD_INTS, "compareUnsigned", II_I);
            switch (op) {
              case JGT -> cob.ifgt(taken);
              case JGE -> cob.ifge(taken);
              case JLT -> cob.iflt(taken);
              default -> cob.ifle(taken);
            }
          }
        }
      }
      if (back) {
        Label fall = cob.newLabel();
        cob.goto_(fall);
        cob.labelBinding(taken);
        backEdge(cob, fr, i);
        cob.goto_(to);
        cob.labelBinding(fall);
      }
      return true;
    }

    private void backEdge(CodeBuilder cob, Frame fr, int i) {
      if (v.target(i) > i) return;
      cob.aload(fr.machine()).loadConstant(i).invokevirtual(CD_MACHINE, "backEdge", MethodTypeDesc.of(CD_void, CD_int));
    }

    private void alu64(CodeBuilder cob, Insn insn, int dst, int src) {
      int op = op(insn.opcode());
      boolean x = source(insn.opcode()) == X;
      long imm = insn.imm();
      int off = insn.off();
      switch (op) {
        case MOV -> {
          if (!x) cob.loadConstant(imm);
          else {
            cob.lload(src);
            switch (off) {
              case 8 -> cob.l2i().i2b().i2l();
              case 16 -> cob.l2i().i2s().i2l();
              case 32 -> cob.l2i().i2l();
              default -> {}
            }
          }
        }
        case NEG -> cob.lload(dst).lneg();
        case END -> {
          cob.lload(dst);
          switch ((int) imm) {
            case 16 -> cob.invokestatic(CD_RT, "swap16", J_J);
            case 32 -> cob.invokestatic(CD_RT, "swap32", J_J);
            default -> cob.invokestatic(CD_LONGS, "reverseBytes", J_J);
          }
        }
        case LSH, RSH, ARSH -> {
          cob.lload(dst);
          if (x) cob.lload(src).l2i();
          else cob.loadConstant((int) (imm & 63));
          switch (op) {
            case LSH -> cob.lshl();
            case RSH -> cob.lushr();
            default -> cob.lshr();
          }
        }
        case DIV, MOD -> {
          boolean signed = off == 1;
          if (!x && imm == 0) {
            if (op == DIV) cob.lconst_0();
            else cob.lload(dst);
          } else {
            cob.lload(dst);
            if (x) cob.lload(src);
            else cob.loadConstant(imm);
            if (!x && signed) {
              if (op == DIV) cob.ldiv();
              else cob.lrem();
            } else if (!x) {
              cob.invokestatic(CD_LONGS, op == DIV ? "divideUnsigned" : "remainderUnsigned", JJ_J);
            } else {
              cob.invokestatic(CD_RT, (signed ? "s" : "u") + (op == DIV ? "div64" : "mod64"), JJ_J);
            }
          }
        }
        default -> {
          cob.lload(dst);
          if (x) cob.lload(src);
          else cob.loadConstant(imm);
          switch (op) {
            case ADD -> cob.ladd();
            case SUB -> cob.lsub();
            case MUL -> cob.lmul();
            case OR -> cob.lor();
            case AND -> cob.land();
            case XOR -> cob.lxor();
            default -> throw new IllegalStateException("unverified ALU64 opcode 0x" + Integer.toHexString(insn.opcode()));
          }
        }
      }
      cob.lstore(dst);
    }

    private void alu32(CodeBuilder cob, Insn insn, int dst, int src) {
      int op = op(insn.opcode());
      boolean x = source(insn.opcode()) == X;
      int imm = (int) insn.imm();
      int off = insn.off();
      switch (op) {
        case MOV -> {
          if (!x) {
            cob.loadConstant(Integer.toUnsignedLong(imm)).lstore(dst);
            return;
          }
          cob.lload(src).l2i();
          switch (off) {
            case 8 -> cob.i2b();
            case 16 -> cob.i2s();
            default -> {}
          }
        }
        case NEG -> cob.lload(dst).l2i().ineg();
        case END -> {
          cob.lload(dst);
          boolean be = source(insn.opcode()) == TO_BE;
          switch (imm) {
            case 16 -> {
              if (be) cob.invokestatic(CD_RT, "swap16", J_J);
              else cob.loadConstant(0xffffL).land();
            }
            case 32 -> {
              if (be) cob.invokestatic(CD_RT, "swap32", J_J);
              else cob.loadConstant(0xffff_ffffL).land();
            }
            default -> {
              if (be) cob.invokestatic(CD_LONGS, "reverseBytes", J_J);
            }
          }
          cob.lstore(dst);
          return;
        }
        case DIV, MOD -> {
          boolean signed = off == 1;
          cob.lload(dst).l2i();
          if (!x && imm == 0) {
            if (op == DIV) cob.pop().iconst_0();
          } else {
            if (x) cob.lload(src).l2i();
            else cob.loadConstant(imm);
            if (!x && signed) {
              if (op == DIV) cob.idiv();
              else cob.irem();
            } else if (!x) {
              cob.invokestatic(CD_INTS, op == DIV ? "divideUnsigned" : "remainderUnsigned", II_I);
            } else {
              cob.invokestatic(CD_RT, (signed ? "s" : "u") + (op == DIV ? "div32" : "mod32"), II_I);
            }
          }
        }
        default -> {
          cob.lload(dst).l2i();
          if (x) cob.lload(src).l2i();
          else cob.loadConstant(imm);
          switch (op) {
            case ADD -> cob.iadd();
            case SUB -> cob.isub();
            case MUL -> cob.imul();
            case OR -> cob.ior();
            case AND -> cob.iand();
            case XOR -> cob.ixor();
            case LSH -> cob.ishl();
            case RSH -> cob.iushr();
            case ARSH -> cob.ishr();
            default -> throw new IllegalStateException("unverified ALU opcode 0x" + Integer.toHexString(insn.opcode()));
          }
        }
      }
      cob.i2l().loadConstant(0xffff_ffffL).land().lstore(dst);
    }
  }

  private static int size(int code) {
    return switch (code & 0x18) { case 0x00 -> 4; case 0x08 -> 2; case 0x10 -> 1; default -> 8; };
  }

  private static String sizeName(int size) {
    return switch (size) { case 1 -> "B"; case 2 -> "H"; case 4 -> "W"; default -> "DW"; };
  }
}
