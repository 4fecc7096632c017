/* Spins on the CPU for MS milliseconds, then touches PAGES new pages. Usage: busy MS PAGES */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
  long ms = atol(argv[1]);
  long pages = atol(argv[2]);
  volatile unsigned long spin = 0;
  long end = now_ms() + ms;
  while (now_ms() < end) for (int i = 0; i < 100000; i++) spin++;
  long size = sysconf(_SC_PAGESIZE);
  volatile char *p = malloc(pages * size);
  for (long i = 0; i < pages; i++) p[i * size] = 1;
  return 0;
}
