package org.ebpf4j.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes types as a raw BTF blob ({@code struct btf_header}, type section, string section), the form
 * {@code BPF_BTF_LOAD} takes and {@link Btf#parse} reads. The string section is built here: each distinct string
 * once, "" at offset 0. Strings that live outside the types ({@code .BTF.ext} file names and source lines) are added
 * with {@link #string} and keep their offsets in the blob.
 *
 * <p>A STRUCT or UNION gets kind_flag exactly when one of its members is a bitfield; without bitfields both
 * encodings mean the same, so nothing is lost.
 */
public final class BtfWriter {
    private final ByteOrder order;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();

    public BtfWriter(ByteOrder order) {
        this.order = order;
        string("");
    }

    /** The offset of {@code s} in the string section, adding it on first use. */
    public int string(String s) {
        Integer known = offsets.get(s);
        if (known != null) {
            return known;
        }
        int offset = strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        offsets.put(s, offset);
        return offset;
    }

    /** The blob of {@code types} (element {@code i} gets id {@code i + 1}) and every string added so far. */
    public byte[] write(List<BtfType> types) {
        TypeSection section = new TypeSection();
        for (BtfType type : types) {
            section.add(type);
        }
        byte[] typeBytes = section.bytes();
        byte[] stringBytes = strings.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(BtfHeader.KNOWN_LENGTH + typeBytes.length + stringBytes.length)
                .order(order);
        out.putShort((short) BtfHeader.MAGIC).put((byte) BtfHeader.VERSION).put((byte) 0)
                .putInt(BtfHeader.KNOWN_LENGTH)
                .putInt(0).putInt(typeBytes.length)
                .putInt(typeBytes.length).putInt(stringBytes.length)
                .put(typeBytes).put(stringBytes);
        return out.array();
    }

    /** Types encoded one after another; the section grows as needed. */
    private final class TypeSection {
        private ByteBuffer out = ByteBuffer.allocate(4096).order(order);

        void add(BtfType type) {
            switch (type) {
                case BtfType.Int t -> {
                    header(t.name(), t.kind(), false, 0, t.size());
                    u32((long) t.encoding().bits() << 24 | (long) t.bitOffset() << 16 | t.bits());
                }
                case BtfType.Ptr t -> header("", t.kind(), false, 0, t.type());
                case BtfType.Array t -> {
                    header("", t.kind(), false, 0, 0);
                    u32(t.elementType());
                    u32(t.indexType());
                    u32(t.length());
                }
                case BtfType.Struct t -> members(t, t.name(), t.size(), t.members());
                case BtfType.Union t -> members(t, t.name(), t.size(), t.members());
                case BtfType.Enum t -> {
                    header(t.name(), t.kind(), t.signed(), t.values().size(), t.size());
                    for (EnumValue v : t.values()) {
                        u32(string(v.name()));
                        u32(v.value() & 0xffff_ffffL);
                    }
                }
                case BtfType.Fwd t -> header(t.name(), t.kind(), t.union(), 0, 0);
                case BtfType.Typedef t -> header(t.name(), t.kind(), false, 0, t.type());
                case BtfType.Volatile t -> header("", t.kind(), false, 0, t.type());
                case BtfType.Const t -> header("", t.kind(), false, 0, t.type());
                case BtfType.Restrict t -> header("", t.kind(), false, 0, t.type());
                case BtfType.Func t -> header(t.name(), t.kind(), false, t.linkage().number(), t.type());
                case BtfType.FuncProto t -> {
                    header("", t.kind(), false, t.params().size(), t.returnType());
                    for (Param p : t.params()) {
                        u32(string(p.name()));
                        u32(p.type());
                    }
                }
                case BtfType.Var t -> {
                    header(t.name(), t.kind(), false, 0, t.type());
                    u32(t.linkage().number());
                }
                case BtfType.Datasec t -> {
                    header(t.name(), t.kind(), false, t.vars().size(), t.size());
                    for (DatasecVar v : t.vars()) {
                        u32(v.type());
                        u32(v.offset());
                        u32(v.size());
                    }
                }
                case BtfType.Float t -> header(t.name(), t.kind(), false, 0, t.size());
                case BtfType.DeclTag t -> {
                    header(t.name(), t.kind(), t.attribute(), 0, t.type());
                    u32(t.componentIndex() & 0xffff_ffffL);
                }
                case BtfType.TypeTag t -> header(t.name(), t.kind(), t.attribute(), 0, t.type());
                case BtfType.Enum64 t -> {
                    header(t.name(), t.kind(), t.signed(), t.values().size(), t.size());
                    for (EnumValue v : t.values()) {
                        u32(string(v.name()));
                        u32(v.value() & 0xffff_ffffL);
                        u32(v.value() >>> 32);
                    }
                }
            }
        }

        private void members(BtfType type, String name, long size, List<Member> members) {
            boolean bitfields = members.stream().anyMatch(Member::isBitfield);
            header(name, type.kind(), bitfields, members.size(), size);
            for (Member m : members) {
                u32(string(m.name()));
                u32(m.type());
                u32(bitfields ? (long) m.bitfieldSize() << 24 | m.bitOffset() : m.bitOffset());
            }
        }

        private void header(String name, BtfKind kind, boolean kindFlag, int vlen, long sizeOrType) {
            u32(string(name));
            u32((kindFlag ? 1L << 31 : 0) | (long) kind.number() << 24 | vlen);
            u32(sizeOrType);
        }

        private void u32(long value) {
            if (out.remaining() < 4) {
                out = ByteBuffer.allocate(out.capacity() * 2).order(order).put(out.flip());
            }
            out.putInt((int) value);
        }

        byte[] bytes() {
            byte[] result = new byte[out.position()];
            out.flip().get(result);
            return result;
        }
    }
}
