package jbpf.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jbpf.asm.Reg.R0;
import static jbpf.asm.Reg.R1;
import static jbpf.asm.Reg.R2;
import static jbpf.asm.Reg.R3;
import static jbpf.asm.Reg.R4;
import static jbpf.asm.Reg.R6;
import static jbpf.asm.Reg.R7;
import static jbpf.asm.Reg.R10;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import jbpf.asm.Alu;
import jbpf.asm.Helper;
import jbpf.asm.Insn;
import jbpf.asm.InsnList;
import jbpf.asm.Jmp;
import jbpf.asm.Label;
import jbpf.asm.Opcode;
import jbpf.asm.Size;
import jbpf.link.Link;
import jbpf.map.BpfMap;
import jbpf.perf.PerfEvent;
import jbpf.prog.BpfProgram;
import jbpf.ringbuf.RingBuffer;
import jbpf.spec.MapSpec;
import jbpf.spec.MapType;
import jbpf.spec.ProgramSpec;
import jbpf.spec.ProgramType;
import jbpf.sys.Sys;

/**
 * Ring buffer throughput. A program on tracepoint syscalls:sys_enter_getpid writes {@code K} 32-byte records per
 * getpid call of this process ({@code bpf_ringbuf_output}), counting the ones that did not fit. Two measurements:
 * <ul>
 * <li>drain: the ring (16 MiB) is filled first, then consumed alone: the consumer's own speed;
 * <li>live: a producer thread calls getpid while a consumer thread polls, for some seconds: end-to-end events/s
 *     and drops.
 * </ul>
 * Run with {@code jbpf-kernel/bench/run ringbuf [K] [seconds]} as root.
 */
public final class RingBufBench {
  private RingBufBench() {}

  static final int RECORD = 32;

  /** state[0]: sequence; state[1]: records that did not fit. */
  static ProgramSpec producer(int pid, int perCall) {
    Label out = new Label("out");
    InsnList l = new InsnList().add(Insn.call(Helper.GET_CURRENT_PID_TGID), Alu.RSH.imm(R0, 32), Jmp.JNE.imm(R0, pid, out),
        Insn.st(Size.W, R10, -4, 0), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, -4), Insn.ldMap(R1, "state"),
        Insn.call(Helper.MAP_LOOKUP_ELEM), Jmp.JEQ.imm(R0, 0, out), Alu.MOV.reg(R6, R0), Insn.ldx(Size.DW, R7, R6, 0));
    for (int k = 0; k < perCall; k++) {
      Label fit = new Label("fit");
      l.add(Insn.stx(Size.DW, R10, -40, R7), Insn.stx(Size.DW, R10, -32, R7), Insn.stx(Size.DW, R10, -24, R7),
          Insn.stx(Size.DW, R10, -16, R7), Insn.ldMap(R1, "rb"), Alu.MOV.reg(R2, R10), Alu.ADD.imm(R2, -40),
          Alu.MOV.imm(R3, RECORD), Alu.MOV.imm(R4, 0), Insn.call(Helper.RINGBUF_OUTPUT), Alu.ADD.imm(R7, 1),
          Jmp.JEQ.imm(R0, 0, fit), Alu.MOV.imm(R1, 1), Insn.atomic(Size.DW, Opcode.ADD, R6, 8, R1)).bind(fit);
    }
    l.add(Insn.stx(Size.DW, R6, 0, R7)).bind(out).add(Alu.MOV.imm(R0, 0), Insn.exit());
    return new ProgramSpec("rb_bench", ProgramType.TRACEPOINT, l.resolve());
  }

  public static void main(String[] args) throws Exception {
    int perCall = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int pid = Sys.getpid();
    try (BpfMap rb = BpfMap.create(MapSpec.ringBuffer("rb", 16 << 20));
         BpfMap state = BpfMap.create(new MapSpec("state", MapType.ARRAY, 4, 16, 1));
         BpfProgram p = BpfProgram.load(producer(pid, perCall), Map.of("rb", rb, "state", state));
         Link link = Link.perfEvent(p, PerfEvent.tracepoint("syscalls", "sys_enter_getpid"), 0);
         RingBuffer ring = RingBuffer.open(rb)) {
      long[] sum = {0};
      // drain: fill the ring until records stop fitting, then time the consumer alone
      for (int round = 0; round < 5; round++) {
        long drops0 = drops(state);
        while (drops(state) == drops0) for (int i = 0; i < 1000; i++) Sys.getpid();
        long t0 = System.nanoTime();
        int n = ring.consume(r -> sum[0] += r.get(JAVA_LONG, 0));
        long t1 = System.nanoTime();
        System.out.printf("drain %d: %d records of %d bytes in %.1f ms: %.1f M records/s, %.0f MB/s%n", round, n, RECORD,
            (t1 - t0) / 1e6, n / ((t1 - t0) / 1e3), n * (double) RECORD / ((t1 - t0) / 1e3));
      }
      // live: a producer thread and a consumer thread
      long seq0 = seq(state), drops0 = drops(state);
      AtomicBoolean stop = new AtomicBoolean();
      long[] consumed = {0};
      Thread consumer = Thread.ofPlatform().start(() -> {
        while (!stop.get()) consumed[0] += ring.poll(100, r -> sum[0] += r.get(JAVA_LONG, 0));
        consumed[0] += ring.consume(r -> sum[0] += r.get(JAVA_LONG, 0));
      });
      long calls = 0, t0 = System.nanoTime(), end = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        for (int i = 0; i < 1000; i++) Sys.getpid();
        calls += 1000;
      }
      long t1 = System.nanoTime();
      stop.set(true);
      ring.wakeup();
      consumer.join();
      double s = (t1 - t0) / 1e9;
      long produced = seq(state) - seq0, dropped = drops(state) - drops0;
      System.out.printf("live: %d getpid calls x %d records in %.1f s: %.2f M records/s offered, %.2f M/s consumed, %d dropped (%.1f%%)%n",
          calls, perCall, s, produced / s / 1e6, consumed[0] / s / 1e6, dropped, 100.0 * dropped / Math.max(1, produced));
      if (sum[0] == 42) System.out.println();
    }
  }

  private static long slot(BpfMap state, int i) {
    return ByteBuffer.wrap(state.lookup(new byte[4])).order(ByteOrder.LITTLE_ENDIAN).getLong(i * 8);
  }

  private static long seq(BpfMap state) { return slot(state, 0); }

  private static long drops(BpfMap state) { return slot(state, 1); }
}
