package jbpf.cli;

/** The {@code jbpf} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("jbpf v0.1.0");
  }
}
