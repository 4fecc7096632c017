package jbpf.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the project's shared data directory, which lives beside the repository ({@code ../shared} from its root):
 * the system property {@code jbpf.shared}, then {@code $JBPF_SHARED}, then a {@code shared} directory beside any
 * ancestor of the working directory, then {@code /work/shared}.
 */
public final class SharedData {
  private SharedData() {}

  /** {@return the directory {@code shared/<relative>}, if one of the candidate places has it} */
  public static Optional<Path> find(String relative) {
    for (Path base : candidates()) {
      Path p = base.resolve(relative);
      if (Files.isDirectory(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** {@return the places searched, for skip messages} */
  public static List<Path> candidates() {
    List<Path> out = new ArrayList<>();
    String prop = System.getProperty("jbpf.shared");
    if (prop != null && !prop.isBlank()) out.add(Path.of(prop));
    String env = System.getenv("JBPF_SHARED");
    if (env != null && !env.isBlank()) out.add(Path.of(env));
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) out.add(p.resolve("shared"));
    out.add(Path.of("/work/shared"));
    return out;
  }
}
