/* Generates a function at run time, as a JIT compiler does, and names it in /tmp/perf-PID.map: the function sets up a
   frame, makes the getppid system call and returns. jit_caller calls it over and over. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

static const unsigned char code[] = {
    0x55,                          /* push %rbp */
    0x48, 0x89, 0xe5,              /* mov %rsp,%rbp */
    0xb8, 0x6e, 0x00, 0x00, 0x00,  /* mov $110 (getppid),%eax */
    0x0f, 0x05,                    /* syscall */
    0x5d,                          /* pop %rbp */
    0xc3,                          /* ret */
};

__attribute__((noinline)) void jit_caller(void (*f)(void)) { f(); __asm__ volatile(""); }

int main(void) {
  unsigned char *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return 1;
  memcpy(mem + 64, code, sizeof code);
  char path[64];
  snprintf(path, sizeof path, "/tmp/perf-%d.map", getpid());
  FILE *map = fopen(path, "w");
  if (!map) return 2;
  fprintf(map, "%lx %zx generated_stub\n", (unsigned long) (mem + 64), sizeof code);
  fclose(map);
  struct timespec pause = {0, 20 * 1000 * 1000};
  printf("started %s\n", path);
  fflush(stdout);
  for (;;) {
    jit_caller((void (*)(void)) (mem + 64));
    nanosleep(&pause, NULL);
  }
}
