// C++ frames whose names only make sense demangled: a method in a namespace, and a function template.
#include <cstdio>
#include <ctime>
#include <unistd.h>
#include <sys/syscall.h>

namespace shop {
struct Cart {
  int items = 0;
  __attribute__((noinline)) void checkout(int n);
};

__attribute__((noinline)) void Cart::checkout(int n) {
  long r;
  items += n;
  __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_getppid) : "rcx", "r11", "memory");
}
}  // namespace shop

template <int N>
__attribute__((noinline)) void repeat(shop::Cart& c) {
  for (int i = 0; i < N; i++) c.checkout(i);
}

int main() {
  shop::Cart cart;
  struct timespec pause = {0, 20 * 1000 * 1000};
  std::printf("started\n");
  std::fflush(stdout);
  for (;;) {
    repeat<3>(cart);
    nanosleep(&pause, nullptr);
  }
}
