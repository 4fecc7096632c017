package jbpf.prog;

import jbpf.map.BpfMap;

/** Finds the live map a program refers to by name ({@code Ref.Map}) when it is loaded. */
@FunctionalInterface
public interface MapResolver {
  /** {@return the map named {@code name}, or {@code null} if there is none} */
  BpfMap resolve(String name);
}
