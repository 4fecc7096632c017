/* A busy loop for the flame graph test: main -> busy_outer, which spends about two thirds of its time in
   busy_leaf_a and one third in busy_leaf_b. Built with frame pointers, so the kernel can walk the user stack. */
#include <stdio.h>

static volatile unsigned long sink;

__attribute__((noinline)) void busy_leaf_a(void) { for (unsigned long i = 0; i < 200000; i++) sink += i; }
__attribute__((noinline)) void busy_leaf_b(void) { for (unsigned long i = 0; i < 100000; i++) sink ^= i; }
__attribute__((noinline)) void busy_outer(void) { busy_leaf_a(); busy_leaf_b(); __asm__ volatile(""); }

int main(void) {
  printf("started\n");
  fflush(stdout);
  for (;;) busy_outer();
}
