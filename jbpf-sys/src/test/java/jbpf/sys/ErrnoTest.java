package jbpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrnoTest {
  static Stream<Arguments> numbers() {
    return Stream.of(
        arguments(1, Errno.EPERM, "operation not permitted (EPERM)"),
        arguments(2, Errno.ENOENT, "no such file or directory (ENOENT)"),
        arguments(-7, Errno.E2BIG, "argument list too long (E2BIG)"),
        arguments(13, Errno.EACCES, "permission denied (EACCES)"),
        arguments(28, Errno.ENOSPC, "no space left on device (ENOSPC)"),
        arguments(95, Errno.EOPNOTSUPP, "operation not supported (EOPNOTSUPP)"),
        arguments(524, Errno.ENOTSUPP, "operation is not supported (ENOTSUPP)"),
        arguments(9999, Errno.UNKNOWN, "unknown error (UNKNOWN)"));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("numbers")
  void describes(int number, Errno errno, String text) {
    assertEquals(errno, Errno.from(number));
    assertEquals(text, errno.describe());
  }
}
