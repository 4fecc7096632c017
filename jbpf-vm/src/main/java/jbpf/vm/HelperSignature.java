package jbpf.vm;

import java.util.List;
import java.util.Objects;

/**
 * What the verifier checks at a {@code call} of a helper: the kind of each argument in {@code r1}..{@code r5}
 * and what {@code r0} holds afterwards. Modelled on {@code struct bpf_func_proto} (include/linux/bpf.h).
 *
 * @param name the name shown in verifier messages, e.g. {@code map_lookup_elem}
 * @param args one entry per argument register, at most five
 */
public record HelperSignature(String name, List<Arg> args, Ret ret) {
  /** An argument kind. */
  public enum Arg {
    /** Any initialised value: a number, or a pointer the helper only compares or copies from defensively. */
    ANYTHING,
    /** A map reference loaded with {@code lddw rN, map}. */
    MAP,
    /** A ring buffer map reference. */
    RINGBUF,
    /** A pointer to initialised memory holding a key of the preceding map argument. */
    MAP_KEY,
    /** A pointer to initialised memory holding a value of the preceding map argument. */
    MAP_VALUE,
    /** A pointer to initialised memory whose length is the next argument ({@link #SIZE}). */
    MEM,
    /** A pointer to writable memory the helper fills, whose length is the next argument ({@link #SIZE}). */
    UNINIT_MEM,
    /** The length of the preceding {@link #MEM} or {@link #UNINIT_MEM}: a number with a proven upper bound. */
    SIZE,
    /** A constant size, known when the program is verified. */
    CONST_SIZE,
    /** A ring buffer record from {@code ringbuf_reserve}, at its start; the call releases it. */
    RINGBUF_RECORD
  }

  /** What a helper leaves in {@code r0}. */
  public enum Ret {
    /** A number. */
    INTEGER,
    /** A pointer to a value of the map argument, or 0: the program must compare it with 0 before use. */
    MAP_VALUE_OR_NULL,
    /** A ring buffer record of the {@link Arg#CONST_SIZE} argument's size, or 0; it must be submitted or discarded. */
    RINGBUF_RECORD_OR_NULL
  }

  public HelperSignature {
    Objects.requireNonNull(name);
    Objects.requireNonNull(ret);
    args = List.copyOf(args);
    if (args.size() > 5) throw new IllegalArgumentException("helper " + name + " takes more than 5 arguments");
  }

  /** {@return a signature} */
  public static HelperSignature of(String name, Ret ret, Arg... args) { return new HelperSignature(name, List.of(args), ret); }
}
