package jbpf.btf;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Prints every type of a raw BTF file in the format of {@code bpftool btf dump file F}, so that the decoder can be
 * compared with libbpf's: {@code diff <(bpftool btf dump file F) <(java ... jbpf.btf.BtfDump F)}.
 */
public final class BtfDump {
  public static void main(String[] args) throws Exception {
    Btf btf = Btf.read(Path.of(args.length > 0 ? args[0] : "/sys/kernel/btf/vmlinux"));
    PrintStream out = new PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false);
    for (int id = btf.firstTypeId(); id < btf.typeCount(); id++) out.println(dump(btf, id));
    out.flush();
  }

  static String dump(Btf btf, int id) {
    BtfType t = btf.type(id);
    StringBuilder s = new StringBuilder().append('[').append(id).append("] ").append(t.kind()).append(' ');
    s.append('\'').append(t.name().isEmpty() ? "(anon)" : t.name()).append('\'');
    switch (t) {
      case BtfType.Int i -> s.append(" size=").append(i.size()).append(" bits_offset=").append(i.bitOffset())
          .append(" nr_bits=").append(i.bits()).append(" encoding=").append(i.encoding() == BtfType.Int.Encoding.NONE ? "(none)" : i.encoding());
      case BtfType.Ptr p -> s.append(" type_id=").append(p.type());
      case BtfType.Modifier m -> s.append(" type_id=").append(m.type());
      case BtfType.Array a -> s.append(" type_id=").append(a.type()).append(" index_type_id=").append(a.indexType()).append(" nr_elems=").append(a.nelems());
      case BtfType.Composite c -> {
        s.append(" size=").append(c.size()).append(" vlen=").append(c.members().size());
        for (BtfType.Member m : c.members()) {
          s.append("\n\t'").append(m.name().isEmpty() ? "(anon)" : m.name()).append("' type_id=").append(m.type()).append(" bits_offset=").append(m.bitOffset());
          if (m.isBitfield()) s.append(" bitfield_size=").append(m.bitfieldSize());
        }
      }
      case BtfType.Enumeration e -> {
        s.append(" encoding=").append(e.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(e.size()).append(" vlen=").append(e.values().size());
        boolean wide = e instanceof BtfType.Enum64;
        for (BtfType.Enumerator v : e.values()) {
          s.append("\n\t'").append(v.name()).append("' val=").append(e.signed() ? Long.toString(v.value()) : Long.toUnsignedString(v.value()));
          if (wide) s.append(e.signed() ? "LL" : "ULL");
        }
      }
      case BtfType.Fwd f -> s.append(" fwd_kind=").append(f.union() ? "union" : "struct");
      case BtfType.Func f -> s.append(" type_id=").append(f.type()).append(" linkage=").append(f.linkage().name().toLowerCase());
      case BtfType.FuncProto f -> {
        s.append(" ret_type_id=").append(f.returnType()).append(" vlen=").append(f.params().size() + (f.varargs() ? 1 : 0));
        for (BtfType.Param p : f.params()) s.append("\n\t'").append(p.name().isEmpty() ? "(anon)" : p.name()).append("' type_id=").append(p.type());
        if (f.varargs()) s.append("\n\t'(anon)' type_id=0");
      }
      case BtfType.Var v -> s.append(" type_id=").append(v.type()).append(", linkage=").append(v.linkage() == BtfType.Linkage.EXTERN ? "extern" : v.linkage() == BtfType.Linkage.GLOBAL ? "global" : "static");
      case BtfType.Datasec d -> {
        s.append(" size=").append(d.size()).append(" vlen=").append(d.vars().size());
        for (BtfType.SecInfo v : d.vars())
          s.append("\n\ttype_id=").append(v.type()).append(" offset=").append(v.offset()).append(" size=").append(v.size())
              .append(" (").append(btf.kind(v.type())).append(" '").append(btf.name(v.type())).append("')");
      }
      case BtfType.Float f -> s.append(" size=").append(f.size());
      case BtfType.DeclTag d -> s.append(" type_id=").append(d.type()).append(" component_idx=").append(d.componentIndex());
      case BtfType.Void _ -> { }
    }
    return s.toString();
  }
}
