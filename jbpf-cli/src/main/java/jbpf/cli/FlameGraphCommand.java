package jbpf.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import jbpf.output.picture.FlameGraph;
import jbpf.output.picture.FoldedStacks;

/**
 * {@code jbpf flamegraph}: a flame graph SVG of folded stacks ({@code a;b;c 12} lines, as flamegraph.pl's
 * stackcollapse scripts and {@code --folded} write them), read from a file or standard input.
 */
final class FlameGraphCommand {
  private FlameGraphCommand() {}

  static final String USAGE = """
      USAGE:
          jbpf flamegraph [--title TEXT] [--subtitle TEXT] [--unit WORD] [--width PX] [-o FILE.svg] [FILE]

      Reads folded stacks (one 'frame;frame;frame count' line per stack; kernel frames may end in _[k], JIT
      frames in _[j]) from FILE or standard input and writes an interactive flame graph SVG to FILE.svg or
      standard output.
      """;

  static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    FlameGraph.Options o = FlameGraph.Options.DEFAULT;
    String input = null, output = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "-h", "--help" -> {
            stdout.print(USAGE);
            return 0;
          }
          case "--title", "--subtitle", "--unit", "--width", "-o" -> {
            if (++i >= args.length) throw new IllegalArgumentException("option '" + a + "' requires an argument");
            String v = args[i];
            switch (a) {
              case "--title" -> o = o.withTitle(v);
              case "--subtitle" -> o = o.withSubtitle(v);
              case "--unit" -> o = o.withUnit(v);
              case "--width" -> o = o.withWidth(width(v));
              default -> output = v;
            }
          }
          default -> {
            if (a.startsWith("-") && !a.equals("-")) throw new IllegalArgumentException("unrecognized option '" + a + "'");
            if (input != null) throw new IllegalArgumentException("more than one input file: " + input + ", " + a);
            input = a;
          }
        }
      }
    } catch (IllegalArgumentException e) {
      stderr.println("ERROR: " + e.getMessage());
      stderr.print(USAGE);
      return 1;
    }
    String name = input == null || input.equals("-") ? "standard input" : input;
    FoldedStacks stacks;
    try (BufferedReader r = input == null || input.equals("-")
        ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))
        : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8)) {
      stacks = FoldedStacks.read(r, name);
    } catch (NoSuchFileException e) {
      stderr.println("ERROR: failed to open file '" + input + "': No such file or directory");
      return 1;
    } catch (IOException e) {
      stderr.println("ERROR: read " + name + ": " + e.getMessage());
      return 1;
    } catch (FoldedStacks.FormatException e) {
      stderr.println("ERROR: " + e.getMessage());
      return 1;
    }
    if (stacks.isEmpty()) {
      stderr.println("ERROR: no stacks in " + name + ": expected lines of frames and a count, e.g. 'main;work 12'");
      return 1;
    }
    try {
      if (output == null) {
        Writer w = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        FlameGraph.write(stacks, o, w);
        w.flush();
        if (stdout.checkError()) throw new IOException("the stream failed");
      } else {
        try (Writer w = Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8)) {
          FlameGraph.write(stacks, o, w);
        }
      }
    } catch (IOException e) {
      stderr.println("ERROR: write " + (output == null ? "standard output" : "'" + output + "'") + ": " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private static int width(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--width takes a number of pixels, got '" + v + "'");
    }
  }
}
