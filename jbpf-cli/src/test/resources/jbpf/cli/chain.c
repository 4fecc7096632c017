/* A call chain the stack tests know: main -> func_a -> func_b -> leaf_c, which makes the getppid system call itself
   (no C library frame in between), over and over. Built with frame pointers, so the kernel can walk the user stack. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

__attribute__((noinline)) void leaf_c(void) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_getppid) : "rcx", "r11", "memory");
}
__attribute__((noinline)) void func_b(void) { leaf_c(); __asm__ volatile(""); }
__attribute__((noinline)) void func_a(void) { func_b(); __asm__ volatile(""); }

int main(void) {
  struct timespec pause = {0, 20 * 1000 * 1000};
  printf("started\n");
  fflush(stdout);
  for (;;) {
    func_a();
    nanosleep(&pause, NULL);
  }
}
