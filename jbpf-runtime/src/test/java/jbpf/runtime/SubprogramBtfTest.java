package jbpf.runtime;

import static jbpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jbpf.asm.Alu;
import jbpf.asm.Bytecode;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Label;
import jbpf.btf.Btf;
import jbpf.btf.BtfType;
import org.junit.jupiter.api.Test;

/** The functions of a program with subprograms, found in its code and described in BTF for the verifier. */
class SubprogramBtfTest {
  @Test
  void describesEachFunctionAtItsFirstInstruction() {
    Label callback = new Label("for_range"), fn = new Label("fn_twice");
    InsnList l = new InsnList()
        .add(Alu.MOV.imm(R1, 3), Insn.ldFunc(R2, callback), Alu.MOV.imm(R3, 0), Alu.MOV.imm(R4, 0), Insn.call(Helper.LOOP),
            Insn.callLocal(fn), Alu.MOV.imm(R0, 0), Insn.exit())
        .bind(callback).add(Alu.MOV.imm(R0, 0), Insn.exit())
        .bind(fn).add(Alu.MOV.reg(R0, R1), Insn.exit());
    Bytecode code = l.resolve();
    SubprogramBtf.Result r = SubprogramBtf.of("BEGIN_0", code);
    ByteBuffer info = ByteBuffer.wrap(r.funcInfo()).order(ByteOrder.nativeOrder());
    Btf btf = Btf.parse(r.btf());
    // main at slot 0; the callback after 9 slots (lddw counts two); the function after 11
    int[] slots = {0, 9, 11};
    String[] names = {"BEGIN_0", "for_range0", "fn_twice1"};
    BtfType.Linkage[] linkage = {BtfType.Linkage.GLOBAL, BtfType.Linkage.STATIC, BtfType.Linkage.STATIC};
    for (int i = 0; i < 3; i++) {
      assertEquals(slots[i], info.getInt());
      BtfType.Func f = (BtfType.Func) btf.type(info.getInt());
      assertEquals(names[i], f.name());
      assertEquals(linkage[i], f.linkage());
    }
  }

  @Test
  void aSingleFunctionNeedsNoBtf() {
    assertNull(SubprogramBtf.of("p", new InsnList().add(Alu.MOV.imm(R0, 0), Insn.exit()).resolve()));
  }
}
