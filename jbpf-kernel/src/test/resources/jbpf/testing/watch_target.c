// A target for watchpoint tests: prints its pid and the address of a global variable, then for every number n
// on standard input writes the variable n times and prints "done".
#include <stdio.h>
#include <unistd.h>

volatile long watched;

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("%d %lu\n", getpid(), (unsigned long) &watched);
  long n;
  while (scanf("%ld", &n) == 1) {
    for (long i = 0; i < n; i++) watched = i;
    printf("done\n");
  }
  return 0;
}
