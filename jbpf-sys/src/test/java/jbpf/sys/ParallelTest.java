package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test void everyIndexRunsOnceOnTheNamedThreads() {
    AtomicIntegerArray runs = new AtomicIntegerArray(100);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<RuntimeException> errors = new ArrayList<>();
    Parallel.forEach(100, 4, "work", false, i -> {
      runs.incrementAndGet(i);
      threads.add(Thread.currentThread().getName());
    }, errors);
    int[] once = new int[100];
    Arrays.fill(once, 1);
    int[] seen = new int[100];
    for (int i = 0; i < 100; i++) seen[i] = runs.get(i);
    assertArrayEquals(once, seen);
    assertTrue(threads.stream().allMatch(t -> t.matches("work-[0-3]")), threads::toString);
    assertTrue(errors.isEmpty());
  }

  @Test void oneThreadRunsOnTheCaller() {
    List<String> names = new ArrayList<>();
    Parallel.forEach(3, 1, "work", false, i -> names.add(Thread.currentThread().getName()), new ArrayList<>());
    assertEquals(List.of(Thread.currentThread().getName(), Thread.currentThread().getName(), Thread.currentThread().getName()), names);
  }

  @Test void errorsAreCollectedAndTheRestStillRuns() {
    AtomicIntegerArray runs = new AtomicIntegerArray(10);
    List<RuntimeException> errors = new ArrayList<>();
    Parallel.forEach(10, 3, "work", false, i -> {
      runs.incrementAndGet(i);
      if (i % 2 == 0) throw new IllegalStateException("item " + i);
    }, errors);
    assertEquals(5, errors.size());
    for (int i = 0; i < 10; i++) assertEquals(1, runs.get(i));
  }

  @Test void stopOnErrorStartsNothingAfterTheFirstFailure() {
    List<Integer> ran = new ArrayList<>();
    List<RuntimeException> errors = new ArrayList<>();
    Parallel.forEach(10, 1, "work", true, i -> {
      ran.add(i);
      if (i == 2) throw new IllegalStateException("item 2");
    }, errors);
    assertEquals(List.of(0, 1, 2), ran);
    assertEquals(1, errors.size());
  }

  @Test void throwFirstKeepsTheOthersAsSuppressed() {
    RuntimeException a = new IllegalStateException("a"), b = new IllegalArgumentException("b");
    Parallel.throwFirst(List.of());
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> Parallel.throwFirst(new ArrayList<>(List.of(a, b))));
    assertSame(a, thrown);
    assertArrayEquals(new Throwable[] {b}, thrown.getSuppressed());
  }
}
