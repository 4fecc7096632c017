package jbpf.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dynamic perf event source (PMU) of {@code /sys/bus/event_source/devices}, such as {@code kprobe} or
 * {@code uprobe}: its type number for {@code perf_event_attr.type} and the {@code config} bits of its format
 * fields.
 */
record Pmu(String name, int type) {
  static final Path DEVICES = Path.of("/sys/bus/event_source/devices");
  // "config:0" or "config:32-63"
  private static final Pattern FIELD = Pattern.compile("^config:(\\d+)(?:-(\\d+))?$");

  /** {@return the PMU named {@code name}, or empty if this kernel has none} */
  static Optional<Pmu> find(String name) {
    Path type = DEVICES.resolve(name).resolve("type");
    try {
      return Optional.of(new Pmu(name, Integer.parseInt(Files.readString(type).strip())));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@return the first bit of format field {@code field} in {@code config}, or {@code fallback} if not described} */
  int configBit(String field, int fallback) {
    try {
      return parseFormat(Files.readString(DEVICES.resolve(name).resolve("format").resolve(field)), fallback);
    } catch (IOException e) {
      return fallback;
    }
  }

  /** {@return the first bit of a format file's text such as {@code config:0} or {@code config:32-63}} */
  static int parseFormat(String text, int fallback) {
    Matcher m = FIELD.matcher(text.strip());
    return m.matches() ? Integer.parseInt(m.group(1)) : fallback;
  }
}
