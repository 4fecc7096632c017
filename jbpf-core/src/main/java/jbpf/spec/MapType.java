package jbpf.spec;

/** A kernel map type, numbered as in {@code enum bpf_map_type} (include/uapi/linux/bpf.h). */
public enum MapType {
  HASH(1), ARRAY(2), PROG_ARRAY(3), PERF_EVENT_ARRAY(4), PERCPU_HASH(5), PERCPU_ARRAY(6), STACK_TRACE(7),
  CGROUP_ARRAY(8), LRU_HASH(9), LRU_PERCPU_HASH(10), LPM_TRIE(11), ARRAY_OF_MAPS(12), HASH_OF_MAPS(13),
  QUEUE(22), STACK(23), RINGBUF(27), TASK_STORAGE(29), BLOOM_FILTER(30), USER_RINGBUF(31), CGRP_STORAGE(32);

  private final int value;

  MapType(int value) { this.value = value; }

  /** {@return the kernel's number for this type} */
  public int value() { return value; }

  /** {@return whether each CPU has its own copy of every value} */
  public boolean perCpu() { return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH; }
}
