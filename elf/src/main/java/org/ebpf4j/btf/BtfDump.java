package org.ebpf4j.btf;

/**
 * Prints types in the layout of {@code bpftool btf dump ... format raw}: one line per type, then one tab-indented
 * line per member, enumerator, parameter or section variable. Tests compare whole dumps with bpftool's, which makes
 * bpftool the ground truth for every kind. The kind_flag of DECL_TAG and TYPE_TAG is not printed (bpftool 7.1 does
 * not know it).
 */
public final class BtfDump {
    private BtfDump() {
    }

    /** Every type, each line ending in a newline. */
    public static String raw(Btf btf) {
        StringBuilder out = new StringBuilder(btf.lastTypeId() * 48);
        for (int id = 1; id <= btf.lastTypeId(); id++) {
            appendType(out, btf, id);
            out.append('\n');
        }
        return out.toString();
    }

    /** One type, without a final newline. */
    public static String raw(Btf btf, int id) {
        StringBuilder out = new StringBuilder();
        appendType(out, btf, id);
        return out.toString();
    }

    private static void appendType(StringBuilder out, Btf btf, int id) {
        BtfType type = btf.type(id);
        out.append('[').append(id).append("] ").append(type.kind()).append(' ').append(quoted(type.name()));
        switch (type) {
            case BtfType.Int t -> out.append(" size=").append(t.size()).append(" bits_offset=").append(t.bitOffset())
                    .append(" nr_bits=").append(t.bits()).append(" encoding=").append(t.encoding().label());
            case BtfType.Ptr t -> out.append(" type_id=").append(t.type());
            case BtfType.Array t -> out.append(" type_id=").append(t.elementType()).append(" index_type_id=")
                    .append(t.indexType()).append(" nr_elems=").append(t.length());
            case BtfType.Composite t -> {
                out.append(" size=").append(t.size()).append(" vlen=").append(t.members().size());
                for (Member member : t.members()) {
                    out.append("\n\t").append(quoted(member.name())).append(" type_id=").append(member.type())
                            .append(" bits_offset=").append(member.bitOffset());
                    if (member.isBitfield()) {
                        out.append(" bitfield_size=").append(member.bitfieldSize());
                    }
                }
            }
            case BtfType.Enumeration t -> appendEnum(out, t);
            case BtfType.Fwd t -> out.append(" fwd_kind=").append(t.union() ? "union" : "struct");
            case BtfType.Typedef t -> out.append(" type_id=").append(t.type());
            case BtfType.Qualifier t -> out.append(" type_id=").append(t.type());
            case BtfType.Func t -> out.append(" type_id=").append(t.type()).append(" linkage=")
                    .append(t.linkage().label());
            case BtfType.FuncProto t -> {
                out.append(" ret_type_id=").append(t.returnType()).append(" vlen=").append(t.params().size());
                for (Param param : t.params()) {
                    out.append("\n\t").append(quoted(param.name())).append(" type_id=").append(param.type());
                }
            }
            case BtfType.Var t -> out.append(" type_id=").append(t.type()).append(", linkage=")
                    .append(t.linkage().label());
            case BtfType.Datasec t -> {
                out.append(" size=").append(t.size()).append(" vlen=").append(t.vars().size());
                for (DatasecVar var : t.vars()) {
                    BtfType target = btf.type(var.type());
                    out.append("\n\ttype_id=").append(var.type()).append(" offset=").append(var.offset())
                            .append(" size=").append(var.size()).append(" (").append(target.kind()).append(' ')
                            .append(quoted(target.name())).append(')');
                }
            }
            case BtfType.Float t -> out.append(" size=").append(t.size());
            case BtfType.DeclTag t -> out.append(" type_id=").append(t.type()).append(" component_idx=")
                    .append(t.componentIndex());
        }
    }

    private static void appendEnum(StringBuilder out, BtfType.Enumeration t) {
        boolean wide = t instanceof BtfType.Enum64;
        out.append(" encoding=").append(t.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(t.size())
                .append(" vlen=").append(t.values().size());
        for (EnumValue value : t.values()) {
            out.append("\n\t").append(quoted(value.name())).append(" val=")
                    .append(t.signed() ? Long.toString(value.value()) : Long.toUnsignedString(value.value()));
            if (wide) {
                out.append(t.signed() ? "LL" : "ULL");
            }
        }
    }

    private static String quoted(String name) {
        return "'" + (name.isEmpty() ? "(anon)" : name) + "'";
    }
}
