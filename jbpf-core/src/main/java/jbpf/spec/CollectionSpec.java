package jbpf.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The maps and programs of one compiled script or object file, programs referring to maps by name. */
public record CollectionSpec(Map<String, MapSpec> maps, List<ProgramSpec> programs) {
  public CollectionSpec {
    maps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(maps));
    programs = List.copyOf(programs);
    for (ProgramSpec p : programs)
      for (String m : p.code().mapNames())
        if (!maps.containsKey(m)) throw new IllegalArgumentException("program " + p.name() + " refers to unknown map " + m);
  }
}
