package jbpf.elf;

import java.util.List;
import java.util.Objects;

/**
 * A SystemTap/USDT probe point from a {@code .note.stapsdt} note (type 3, owner {@code stapsdt}).
 *
 * <p>A note's descriptor is three addresses followed by three NUL-terminated strings:
 * <pre>pc (8) | base (8) | semaphore (8) | provider\0 | name\0 | arguments\0</pre>
 * {@code base} is the link-time address of {@code .stapsdt.base}; when the file was prelinked the section moved and
 * {@code pc} and {@code semaphore} move by the same amount, which {@link #address()} and
 * {@link #semaphoreAddress()} already include.
 *
 * @param provider the provider, e.g. {@code libc}
 * @param name the probe name, e.g. {@code setjmp}
 * @param address the probe's virtual address, adjusted for {@code .stapsdt.base}
 * @param fileOffset the file offset of {@code address}, where a uprobe attaches
 * @param noteBase the {@code base} field as written in the note
 * @param semaphoreAddress the virtual address of the 16-bit semaphore, 0 if the probe has none
 * @param semaphoreOffset the file offset of the semaphore (the uprobe {@code ref_ctr_offset}), 0 if none
 * @param argumentText the argument specification as written, e.g. {@code -4@%edi 8@-16(%rbp)}
 * @param arguments {@code argumentText} parsed
 */
public record UsdtProbe(String provider, String name, long address, long fileOffset, long noteBase, long semaphoreAddress,
                        long semaphoreOffset, String argumentText, List<UsdtArgument> arguments) {
  public UsdtProbe {
    Objects.requireNonNull(provider);
    Objects.requireNonNull(name);
    arguments = List.copyOf(arguments);
  }

  /** {@return whether the probe is guarded by a semaphore that a tracer must increment} */
  public boolean hasSemaphore() { return semaphoreAddress != 0; }
}
