package org.ebpf4j.api.codec;

import java.util.List;
import java.util.Locale;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.Member;

/** Compares a codec's layout with a BTF type, so that a record that drifted from its C struct fails loudly. */
final class BtfLayoutCheck {
    private final Btf btf;

    BtfLayoutCheck(Btf btf) {
        this.btf = btf;
    }

    void check(RecordCodec<?> record, int typeId) {
        compare(record.toString(), record, typeId);
    }

    private void compare(String path, Codec<?> codec, int typeId) {
        int id = btf.resolve(typeId);
        BtfType type = id == 0 ? null : btf.type(id);
        switch (codec) {
            case RecordCodec<?> record -> compareStruct(path, record, id, type);
            case ArrayCodec<?> array -> compareArray(path, codec, array.length(), array.element(), id, type);
            case BytesCodec bytes -> compareArray(path, codec, bytes.length(), Codecs.int8(), id, type);
            case CStringCodec text -> compareArray(path, codec, text.length(), Codecs.int8(), id, type);
            default -> {
                boolean scalar = type instanceof BtfType.Int || type instanceof BtfType.Enumeration
                        || type instanceof BtfType.Float || type instanceof BtfType.Ptr;
                if (!scalar || btf.sizeOf(id) != codec.size()) {
                    throw mismatch(path, codec + " (" + codec.size() + " bytes)", id);
                }
            }
        }
    }

    private void compareStruct(String path, RecordCodec<?> record, int id, BtfType type) {
        if (!(type instanceof BtfType.Struct struct)) {
            throw mismatch(path, record.toString(), id);
        }
        if (struct.size() != record.size()) {
            throw new IllegalArgumentException(path + " is " + record.size() + " bytes, " + btf.describe(id) + " is "
                    + struct.size());
        }
        List<RecordCodec.Member> members = record.members();
        List<Member> btfMembers = struct.members();
        if (members.size() != btfMembers.size()) {
            throw new IllegalArgumentException(path + " has " + members.size() + " components, " + btf.describe(id)
                    + " has " + btfMembers.size() + " members");
        }
        for (int i = 0; i < members.size(); i++) {
            RecordCodec.Member member = members.get(i);
            Member btfMember = btfMembers.get(i);
            String at = path + "." + member.name();
            if (!looselyEqual(member.name(), btfMember.name())) {
                throw new IllegalArgumentException(at + ": the struct's member " + (i + 1) + " is '"
                        + btfMember.name() + "'");
            }
            if (btfMember.isBitfield()) {
                throw new IllegalArgumentException(at + ": '" + btfMember.name()
                        + "' is a bitfield, which a record component cannot mirror");
            }
            if (btfMember.bitOffset() != 8L * member.offset()) {
                throw new IllegalArgumentException(at + " is at offset " + member.offset() + ", '"
                        + btfMember.name() + "' at offset " + btfMember.bitOffset() / 8 + " in " + btf.describe(id));
            }
            compare(at, member.codec(), btfMember.type());
        }
    }

    private void compareArray(String path, Codec<?> codec, int length, Codec<?> element, int id, BtfType type) {
        if (!(type instanceof BtfType.Array array) || array.length() != length) {
            throw mismatch(path, codec.toString(), id);
        }
        compare(path + "[]", element, array.elementType());
    }

    private IllegalArgumentException mismatch(String path, String ours, int id) {
        return new IllegalArgumentException(path + " is " + ours + " but the C type is " + btf.describe(id)
                + (id == 0 ? "" : " (" + sizeText(id) + ")"));
    }

    private String sizeText(int id) {
        try {
            return btf.sizeOf(id) + " bytes";
        } catch (RuntimeException unsized) {
            return "no size";
        }
    }

    private static boolean looselyEqual(String javaName, String cName) {
        return normal(javaName).equals(normal(cName));
    }

    private static String normal(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
