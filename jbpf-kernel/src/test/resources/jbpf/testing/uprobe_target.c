// A target for uprobe tests: prints its pid and the address of add(), then for every line "a b" on standard
// input calls add(a, b) and prints the sum.
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) int add(int a, int b) {
  __asm__ volatile("" ::: "memory");
  return a + b;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("%d %lu\n", getpid(), (unsigned long) &add);
  int a, b;
  while (scanf("%d %d", &a, &b) == 2) printf("%d\n", add(a, b));
  return 0;
}
