package jbpf.vm.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import jbpf.vm.Context;
import jbpf.vm.Vm;
import jbpf.vm.VmFault;
import jbpf.vm.VmProgram;
import jbpf.vm.verify.VerifyException;

/**
 * {@code jbpf vm-plugin [MEM_HEX] [--jit|--interpret]}: reads a program as hex bytes
 * ({@code b7 00 00 00 01 00 00 00 95 00 ...}) from standard input, verifies it for a writable context holding
 * MEM, runs it with {@code r1} pointing at MEM and {@code r2} holding its length, and prints {@code r0} in hex.
 * Exit status 0 on success; 1 with one line on standard error when the input is malformed, the verifier rejects
 * the program, or the run stops early; 2 for bad usage.
 */
public final class VmPlugin {
  private VmPlugin() {}

  private static final String USAGE = "usage: jbpf vm-plugin [MEM_HEX] [--jit|--interpret]  (program as hex bytes on standard input)";

  /** Runs the plugin. {@return the exit status} */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    boolean jit = true;
    String memHex = null;
    for (String a : args) {
      switch (a) {
        case "--jit" -> jit = true;
        case "--interpret", "--interpreter" -> jit = false;
        case "-h", "--help" -> {
          out.println(USAGE);
          return 0;
        }
        default -> {
          if (a.startsWith("--")) {
            err.println("jbpf vm-plugin: unknown option " + a);
            err.println(USAGE);
            return 2;
          }
          if (memHex != null) {
            err.println("jbpf vm-plugin: more than one memory argument");
            err.println(USAGE);
            return 2;
          }
          memHex = a;
        }
      }
    }
    try {
      byte[] mem = hex("memory argument", memHex == null ? "" : memHex);
      byte[] code = hex("program on standard input", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      if (code.length == 0) throw new IllegalArgumentException("the program on standard input is empty");
      VmProgram p = Vm.builder().build().load(code, Context.writable(mem.length));
      MemorySegment ctx = MemorySegment.ofArray(mem);
      long r0 = jit ? p.jit().run(ctx) : p.interpreter().run(ctx);
      out.println(Long.toHexString(r0));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("jbpf vm-plugin: " + e.getMessage());
    } catch (VerifyException e) {
      err.println("jbpf vm-plugin: verifier: " + e.getMessage());
    } catch (VmFault e) {
      err.println("jbpf vm-plugin: run: " + e.getMessage());
    } catch (IOException e) {
      err.println("jbpf vm-plugin: read standard input: " + e.getMessage());
    }
    return 1;
  }

  /** {@return the bytes of hex text, with whitespace and an optional 0x prefix per byte group ignored} */
  static byte[] hex(String what, String text) {
    StringBuilder digits = new StringBuilder(text.length());
    String[] groups = text.strip().split("\\s+");
    for (String g : groups) digits.append(g.startsWith("0x") || g.startsWith("0X") ? g.substring(2) : g);
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (Character.digit(c, 16) < 0) throw new IllegalArgumentException("the " + what + " is not hex: unexpected '" + c + "'");
    }
    if (digits.length() % 2 != 0) throw new IllegalArgumentException("the " + what + " has an odd number of hex digits");
    return java.util.HexFormat.of().parseHex(digits);
  }
}
