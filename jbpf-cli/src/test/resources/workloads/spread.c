/*
 * System calls spread over every CPU, for tests of per-CPU values: prints "ready" once started, waits for SIGUSR1,
 * then on each CPU it may run on, in turn, calls getppid(2) COUNT times, and exits. Prints the number of CPUs used.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t go;

static void on_usr1(int sig) { (void)sig; go = 1; }

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  int count = atoi(argv[1]);
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 3;
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &old);
  signal(SIGUSR1, on_usr1);
  printf("ready\n");
  fflush(stdout);
  while (!go) sigsuspend(&old);
  int used = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) return 4;
    for (int i = 0; i < count; i++) syscall(SYS_getppid);
    used++;
  }
  printf("%d\n", used);
  return 0;
}
