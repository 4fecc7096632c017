package jbpf.asm;

import static jbpf.asm.Opcode.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One eBPF instruction (RFC 9669 section 3). {@code lddw} is one {@code Insn} that occupies two 8-byte slots;
 * its {@code imm} holds all 64 bits.
 *
 * <p>Register fields are plain numbers so that any decoded word can be represented, including invalid ones a
 * verifier must reject; the factories take {@link Reg}. {@code ref}, when present, is a symbolic operand that
 * {@link InsnList#resolve()} or the loader turns into {@code off}/{@code imm}.
 *
 * @param opcode the opcode byte
 * @param dst destination register number, 0–15
 * @param src source register number, 0–15
 * @param off signed 16-bit offset
 * @param imm signed 32-bit immediate, or the 64-bit immediate of {@code lddw}
 * @param ref a symbolic operand, or {@code null}
 */
public record Insn(int opcode, int dst, int src, int off, long imm, Ref ref) {
  public Insn {
    if (opcode < 0 || opcode > 0xff) throw new IllegalArgumentException("opcode out of range: " + opcode);
    if (dst < 0 || dst > 15 || src < 0 || src > 15) throw new IllegalArgumentException("register out of range");
    if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) throw new IllegalArgumentException("offset out of 16-bit range: " + off);
    if (opcode != LDDW && (imm < Integer.MIN_VALUE || imm > 0xffff_ffffL))
      throw new IllegalArgumentException("immediate out of 32-bit range: " + imm);
    if (opcode != LDDW) imm = (int) imm;
  }

  public Insn(int opcode, int dst, int src, int off, long imm) { this(opcode, dst, src, off, imm, null); }

  // ---- factories -------------------------------------------------------------------------------------------

  /** {@return {@code exit}} */
  public static Insn exit() { return new Insn(JMP | EXIT, 0, 0, 0, 0); }

  /** {@return {@code call helper}} */
  public static Insn call(Helper helper) { return new Insn(JMP | CALL, 0, 0, 0, helper.id()); }

  /** {@return {@code call helper} by number} */
  public static Insn call(int helperId) { return new Insn(JMP | CALL, 0, 0, 0, helperId); }

  /** {@return a bpf-to-bpf call of the function at {@code target}} */
  public static Insn callLocal(Label target) { return new Insn(JMP | CALL, 0, PSEUDO_CALL, 0, 0, new Ref.Call(target)); }

  /** {@return a call of the kernel function with BTF id {@code btfId}} */
  public static Insn callKfunc(int btfId) { return new Insn(JMP | CALL, 0, PSEUDO_KFUNC_CALL, 0, btfId); }

  /** {@return {@code goto target}} */
  public static Insn ja(Label target) { return new Insn(JMP | JA, 0, 0, 0, 0, new Ref.Jump(target)); }

  /** {@return {@code goto pc+off}} */
  public static Insn ja(int off) { return new Insn(JMP | JA, 0, 0, off, 0); }

  /** {@return {@code dst = imm ll}} */
  public static Insn lddw(Reg dst, long imm) { return new Insn(LDDW, dst.num(), 0, 0, imm); }

  /** {@return {@code dst = map[name]}: the map's address, its fd filled in at load time} */
  public static Insn ldMap(Reg dst, String map) { return new Insn(LDDW, dst.num(), PSEUDO_MAP_FD, 0, 0, new Ref.Map(map)); }

  /** {@return {@code dst = &map[name][0] + offset}, for a single-entry array map} */
  public static Insn ldMapValue(Reg dst, String map, int offset) {
    return new Insn(LDDW, dst.num(), PSEUDO_MAP_VALUE, 0, 0, new Ref.MapValue(map, offset));
  }

  /** {@return {@code dst = &func}: the address of a callback function} */
  public static Insn ldFunc(Reg dst, Label func) { return new Insn(LDDW, dst.num(), PSEUDO_FUNC, 0, 0, new Ref.Func(func)); }

  /** {@return {@code dst = *(size *)(src + off)}} */
  public static Insn ldx(Size size, Reg dst, Reg src, int off) { return new Insn(LDX | MEM | size.bits(), dst.num(), src.num(), off, 0); }

  /** {@return {@code dst = *(signed size *)(src + off)}, sign-extending} */
  public static Insn ldxs(Size size, Reg dst, Reg src, int off) { return new Insn(LDX | MEMSX | size.bits(), dst.num(), src.num(), off, 0); }

  /** {@return {@code *(size *)(dst + off) = src}} */
  public static Insn stx(Size size, Reg dst, int off, Reg src) { return new Insn(STX | MEM | size.bits(), dst.num(), src.num(), off, 0); }

  /** {@return {@code *(size *)(dst + off) = imm}} */
  public static Insn st(Size size, Reg dst, int off, int imm) { return new Insn(ST | MEM | size.bits(), dst.num(), 0, off, imm); }

  /**
   * {@return an atomic read-modify-write: {@code op} is {@link Opcode#ADD}, {@code OR}, {@code AND}, {@code XOR}
   * (optionally {@code | FETCH}), {@link Opcode#XCHG} or {@link Opcode#CMPXCHG}; size is {@code W} or {@code DW}}
   */
  public static Insn atomic(Size size, int op, Reg dst, int off, Reg src) {
    return new Insn(STX | ATOMIC | size.bits(), dst.num(), src.num(), off, op);
  }

  // ---- properties ------------------------------------------------------------------------------------------

  /** {@return whether this is the two-slot {@code lddw}} */
  public boolean isWide() { return opcode == LDDW; }

  /** {@return the number of 8-byte slots this instruction occupies} */
  public int slots() { return isWide() ? 2 : 1; }

  /** {@return the instruction class, {@link Opcode#LD} … {@link Opcode#ALU64}} */
  public int cls() { return opcode & 0x07; }

  /** {@return whether this is a jump (conditional or not) other than call and exit} */
  public boolean isJump() {
    return Opcode.isJmp(opcode) && Opcode.op(opcode) != CALL && Opcode.op(opcode) != EXIT;
  }

  /** {@return this instruction with {@code off} replaced} */
  public Insn withOff(int newOff) { return new Insn(opcode, dst, src, newOff, imm, ref); }

  /** {@return this instruction with {@code imm} replaced} */
  public Insn withImm(long newImm) { return new Insn(opcode, dst, src, off, newImm, ref); }

  /** {@return this instruction with {@code ref} replaced} */
  public Insn withRef(Ref newRef) { return new Insn(opcode, dst, src, off, imm, newRef); }

  // ---- encoding (RFC 9669 section 3: little-endian on x86-64) ------------------------------------------------

  /** Writes this instruction's slots to {@code out}, which must be little-endian. */
  public void encode(ByteBuffer out) {
    out.put((byte) opcode);
    out.put((byte) ((src << 4) | dst));
    out.putShort((short) off);
    out.putInt((int) imm);
    if (isWide()) {
      out.putLong(0);
      out.putInt(out.position() - 4, (int) (imm >>> 32));
    }
  }

  /** {@return this instruction's bytes} */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(8 * slots()).order(ByteOrder.LITTLE_ENDIAN);
    encode(b);
    return b.array();
  }

  /**
   * Decodes a program. A final {@code lddw} that lacks its second slot is an error.
   *
   * @throws IllegalArgumentException if the length is not a multiple of 8 or a {@code lddw} is truncated
   */
  public static List<Insn> decode(byte[] code) {
    if (code.length % 8 != 0) throw new IllegalArgumentException("program length " + code.length + " is not a multiple of 8");
    ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
    List<Insn> out = new ArrayList<>(code.length / 8);
    while (b.hasRemaining()) {
      int opcode = b.get() & 0xff;
      int regs = b.get() & 0xff;
      int off = b.getShort();
      long imm = b.getInt();
      if (opcode == LDDW) {
        if (!b.hasRemaining()) throw new IllegalArgumentException("lddw at slot " + (b.position() / 8 - 1) + " is missing its second half");
        b.position(b.position() + 4);
        long hi = b.getInt();
        imm = (hi << 32) | (imm & 0xffff_ffffL);
      }
      out.add(new Insn(opcode, regs & 0x0f, regs >>> 4, off, imm));
    }
    return out;
  }

  @Override public String toString() { return Disassembler.text(this, null); }
}
