// A C++ class whose overloaded method a probe names demangled. Usage: cart N
#include <cstdio>
#include <cstdlib>

namespace shop {
struct Cart {
  long total = 0;
  __attribute__((noinline)) long add(long price, int qty) { total += price * qty; return total; }
  __attribute__((noinline)) long add(long price) { return add(price, 1); }
};
}  // namespace shop

int main(int argc, char **argv) {
  int n = std::atoi(argv[1]);
  shop::Cart cart;
  for (int i = 0; i < n; i++) {
    cart.add(10 + i, 2);
    cart.add(5);
  }
  std::printf("total %ld\n", cart.total);
  return 0;
}
