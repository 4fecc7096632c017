package jbpf.vm.plugin;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmPluginTest {
  /** The result of one run: exit status, standard output, standard error. */
  record Result(int status, String out, String err) {}

  static Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int status = VmPlugin.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> runs() {
    String r0eq1 = "b7 00 00 00 01 00 00 00 95 00 00 00 00 00 00 00";
    String len = "bf 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00";          // r0 = r2
    String load = "61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00";         // r0 = *(u32 *)(r1 + 0)
    String loop = "05 00 ff ff 00 00 00 00 95 00 00 00 00 00 00 00";         // goto -1
    return Stream.of(
        arguments("r0 = 1, JIT", r0eq1, new String[] {"--jit"}, 0, "1\n", ""),
        arguments("r0 = 1, interpreter", r0eq1, new String[] {"--interpret"}, 0, "1\n", ""),
        arguments("r2 is the memory length", len, new String[] {"00 01 02"}, 0, "3\n", ""),
        arguments("memory without spaces", load, new String[] {"efbeadde"}, 0, "deadbeef\n", ""),
        arguments("program on several lines", "b7 00 00 00 2a 00 00 00\n95 00 00 00 00 00 00 00\n", new String[0], 0, "2a\n", ""),
        arguments("garbage hex", "b7 00 zz", new String[0], 1, "", "jbpf vm-plugin: the program on standard input is not hex: unexpected 'z'\n"),
        arguments("empty program", "", new String[0], 1, "", "jbpf vm-plugin: the program on standard input is empty\n"),
        arguments("not whole instructions", "b7 00 00 00", new String[0], 1, "", "jbpf vm-plugin: verifier: program length 4 is not a multiple of 8 bytes\n"),
        arguments("truncated lddw", "18 00 00 00 01 00 00 00", new String[0], 1, "",
            "jbpf vm-plugin: verifier: instruction 0: lddw at slot 0 is missing its second half\n"),
        arguments("load beyond memory", load, new String[] {"0102"}, 1, "",
            "jbpf vm-plugin: verifier: instruction 0: (61) r0 = *(u32 *)(r1 +0): invalid context access: bytes 0..3, the context has 2 bytes\n"),
        arguments("endless loop", loop, new String[0], 1, "",
            "jbpf vm-plugin: run: program exceeded its budget of 1000000 backward jumps (at instruction 0)\n"),
        arguments("unknown option", r0eq1, new String[] {"--fast"}, 2, "",
            "jbpf vm-plugin: unknown option --fast\nusage: jbpf vm-plugin [MEM_HEX] [--jit|--interpret]  (program as hex bytes on standard input)\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void runs(String name, String program, String[] args, int status, String out, String err) {
    assertEquals(new Result(status, out, err), run(program, args));
  }
}
