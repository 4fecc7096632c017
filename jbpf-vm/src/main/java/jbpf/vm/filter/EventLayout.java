package jbpf.vm.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an event record: name, type and byte offset of each, and the record's size. Integers are
 * little-endian.
 *
 * <pre>{@code
 * EventLayout layout = EventLayout.builder(64)
 *     .field("pid", FieldType.U32, 8).field("foo", FieldType.S32, 16).field("comm", FieldType.chars(16), 48)
 *     .build();
 * }</pre>
 */
public final class EventLayout {
  /** One field. */
  public record Field(String name, FieldType type, int offset) {}

  private final int size;
  private final Map<String, Field> fields;

  private EventLayout(int size, Map<String, Field> fields) {
    this.size = size;
    this.fields = fields;
  }

  /** {@return a builder of a record of {@code size} bytes} */
  public static Builder builder(int size) { return new Builder(size); }

  /** Collects fields. */
  public static final class Builder {
    private final int size;
    private final Map<String, Field> fields = new LinkedHashMap<>();

    private Builder(int size) {
      if (size <= 0) throw new IllegalArgumentException("event size must be positive");
      this.size = size;
    }

    /** Adds a field. @throws IllegalArgumentException if it is named twice or does not fit in the record */
    public Builder field(String name, FieldType type, int offset) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("field name is not an identifier: " + name);
      if (offset < 0 || offset + type.size() > size)
        throw new IllegalArgumentException("field " + name + " (" + type + " at offset " + offset + ") does not fit in " + size + " bytes");
      if (fields.putIfAbsent(name, new Field(name, type, offset)) != null) throw new IllegalArgumentException("field " + name + " is defined twice");
      return this;
    }

    /** {@return the layout} */
    public EventLayout build() { return new EventLayout(size, Map.copyOf(fields)); }
  }

  /** {@return the record size in bytes} */
  public int size() { return size; }

  /** {@return the field named {@code name}, or {@code null}} */
  public Field field(String name) { return fields.get(name); }

  /** {@return the fields, sorted by offset} */
  public List<Field> fields() {
    List<Field> out = new ArrayList<>(fields.values());
    out.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
    return out;
  }
}
