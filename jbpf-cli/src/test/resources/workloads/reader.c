/*
 * Reads of known sizes, for tests of aggregations: prints "ready" once started, waits for SIGUSR1, then read(2)s
 * FILE (which must hold at least 1000 bytes) from its start 1 byte 11 times, 10 bytes 7 times, 100 bytes 5 times
 * and 1000 bytes 3 times, makes 2 reads of a closed descriptor (which return -EBADF, -9), and exits.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t go;

static void on_usr1(int sig) { (void)sig; go = 1; }

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  static const int sizes[] = {1, 10, 100, 1000};
  static const int times[] = {11, 7, 5, 3};
  static char buf[1000];
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 3;
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &old);
  signal(SIGUSR1, on_usr1);
  printf("ready\n");
  fflush(stdout);
  while (!go) sigsuspend(&old);
  for (int i = 0; i < 4; i++) {
    for (int j = 0; j < times[i]; j++) {
      if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, sizes[i]) != sizes[i]) return 4;
    }
  }
  close(fd);
  for (int j = 0; j < 2; j++) {
    if (read(fd, buf, 1) != -1) return 5;
  }
  return 0;
}
