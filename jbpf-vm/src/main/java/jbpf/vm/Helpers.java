package jbpf.vm;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The helper functions programs may call, by number: an immutable table that Java code extends with
 * {@link #with}. {@link #standard()} has the common helpers with userspace semantics.
 */
public final class Helpers {
  /** One registered helper. */
  public record Entry(int id, HelperSignature signature, HelperFunction function) {
    public Entry {
      Objects.requireNonNull(signature);
      Objects.requireNonNull(function);
    }
  }

  private final Map<Integer, Entry> byId;

  private Helpers(Map<Integer, Entry> byId) { this.byId = Map.copyOf(byId); }

  /** {@return a table with no helpers} */
  public static Helpers none() { return new Helpers(Map.of()); }

  /**
   * {@return the standard helpers}: map_lookup_elem, map_update_elem, map_delete_elem, probe_read (and the
   * _str, _user and _kernel variants: a bounded copy from VM memory), ktime_get_ns, trace_printk (to the VM's
   * trace sink), get_prandom_u32, get_smp_processor_id, ringbuf_output, ringbuf_reserve, ringbuf_submit,
   * ringbuf_discard and ringbuf_query
   */
  public static Helpers standard() { return StandardHelpers.TABLE; }

  /** {@return this table plus helper {@code id}, replacing any helper of that number} */
  public Helpers with(int id, HelperSignature signature, HelperFunction function) {
    if (id <= 0) throw new IllegalArgumentException("helper number must be positive: " + id);
    Map<Integer, Entry> m = new HashMap<>(byId);
    m.put(id, new Entry(id, signature, function));
    return new Helpers(m);
  }

  /** {@return helper {@code id}, or {@code null}} */
  public Entry get(long id) { return id >= 0 && id <= Integer.MAX_VALUE ? byId.get((int) id) : null; }

  /** {@return the registered helpers by number} */
  public Map<Integer, Entry> all() { return byId; }
}
