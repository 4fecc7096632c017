package jbpf.vm.verify;

import java.util.List;
import jbpf.asm.Insn;
import jbpf.vm.Context;

/**
 * What the verifier proved about a program, for the engines: which instructions are reachable, where jumps
 * go, which memory region each load and store touches, and how the stack is laid out.
 *
 * <p>Stack layout: function {@code f} has a frame of {@link #frameSize(int) frameSize(f)} bytes. The main
 * function's frame ends at offset {@link #stackSize()} of the stack; a callee's frame ends where its caller's
 * begins, so the callee's {@code r10} is the caller's minus the caller's frame size.
 */
public final class Verification {
  /** The memory region an access touches, when it is the same on every path. */
  public enum Region {
    /** The context: offset {@code r - CTX_BASE}. */
    CTX,
    /** The stack: offset {@code r - STACK_BASE}. */
    STACK,
    /** The values of the map {@link Access#fd()}. */
    MAP_VALUE,
    /** Different regions on different paths, or a ring buffer record: resolved when it runs. */
    GENERIC
  }

  /** The region of a load, store or atomic operation. */
  public record Access(Region region, int fd) {}

  private final List<Insn> insns;
  private final Context context;
  private final int[] slot;
  private final int[] target;
  private final boolean[] reachable;
  private final Access[] access;
  private final int[] function;
  private final int[] entries;
  private final int[] frameSize;
  private final int stackSize;
  private final long[] helper;

  Verification(List<Insn> insns, Context context, int[] slot, int[] target, boolean[] reachable, Access[] access,
      int[] function, int[] entries, int[] frameSize, int stackSize, long[] helper) {
    this.insns = List.copyOf(insns);
    this.context = context;
    this.slot = slot;
    this.target = target;
    this.reachable = reachable;
    this.access = access;
    this.function = function;
    this.entries = entries;
    this.frameSize = frameSize;
    this.stackSize = stackSize;
    this.helper = helper;
  }

  /** {@return the instructions} */
  public List<Insn> insns() { return insns; }

  /** {@return the context the program was verified for} */
  public Context context() { return context; }

  /** {@return the slot (8-byte unit) instruction {@code i} starts at} */
  public int slot(int i) { return slot[i]; }

  /** {@return the instruction a jump or local call at {@code i} goes to, or -1} */
  public int target(int i) { return target[i]; }

  /** {@return whether some path reaches instruction {@code i}} */
  public boolean reachable(int i) { return reachable[i]; }

  /** {@return the region the memory instruction {@code i} touches, or {@code null} for other instructions} */
  public Access access(int i) { return access[i]; }

  /** {@return the helper number a call at {@code i} calls: its {@code imm}, or for {@code callx} the register's proven value} */
  public long helper(int i) { return helper[i]; }

  /** {@return the function (0 is the main one) instruction {@code i} belongs to} */
  public int function(int i) { return function[i]; }

  /** {@return the first instruction of each function} */
  public int[] entries() { return entries.clone(); }

  /** {@return the number of functions} */
  public int functions() { return entries.length; }

  /** {@return the frame size of function {@code f} in bytes, a multiple of 8} */
  public int frameSize(int f) { return frameSize[f]; }

  /** {@return the stack size a run needs: the largest sum of frame sizes along a call chain} */
  public int stackSize() { return stackSize; }
}
