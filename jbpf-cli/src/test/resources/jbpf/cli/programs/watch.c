/* Prints the address of a variable, waits for a line on stdin (unless told "nowait"), then writes the variable N times
   through poke(), DELAY ms apart. Usage: watch N [wait|nowait [DELAY]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile long watched;

__attribute__((noinline)) long twice(long v) { return v * 2; }

/* The write is not poke's first instruction: a watchpoint set when poke is called sees it. */
__attribute__((noinline)) void poke(volatile long *p, long v) { *p = twice(v); }

int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  printf("%p\n", (void *) &watched);
  fflush(stdout);
  char line[16];
  if ((argc < 3 || strcmp(argv[2], "nowait") != 0) && !fgets(line, sizeof line, stdin)) return 1;
  int delay = argc > 3 ? atoi(argv[3]) : 0;
  for (int i = 0; i < n; i++) {
    poke(&watched, i);
    if (delay) usleep(delay * 1000);
  }
  printf("done %ld\n", watched);
  return 0;
}
