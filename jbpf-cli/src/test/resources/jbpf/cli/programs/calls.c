/* Calls add() N times (forever if N < 0), every DELAY ms, and fires USDT probe jbpftest:tick, guarded by its
   semaphore, after each call. Usage: calls N [DELAY] */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

__extension__ unsigned short jbpftest_tick_semaphore __attribute__((unused)) __attribute__((section(".probes")));
volatile long total;

__attribute__((noinline)) long add(long a, int b) {
  total += a;
  return a * 10 + b;
}

int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  int delay = argc > 2 ? atoi(argv[2]) : 0;
  printf("pid %d\n", getpid());
  fflush(stdout);
  for (int i = 1; n < 0 || i <= n; i++) {
    long r = add(i, -i);
    if (jbpftest_tick_semaphore) {
      int neg = -i;
      unsigned char small = (unsigned char) (200 + i);
      DTRACE_PROBE3(jbpftest, tick, neg, r, small);
    }
    if (delay) usleep(delay * 1000);
  }
  return 0;
}
