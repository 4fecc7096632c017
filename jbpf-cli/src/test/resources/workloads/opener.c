/* Waits for a line on stdin, then opens PATH with openat(2) COUNT times, closing each, and exits. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int count = atoi(argv[2]);
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 3;
  for (int i = 0; i < count; i++) {
    int fd = openat(AT_FDCWD, argv[1], O_RDONLY);
    if (fd >= 0) close(fd);
  }
  return 0;
}
