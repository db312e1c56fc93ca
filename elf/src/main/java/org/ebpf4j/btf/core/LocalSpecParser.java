package org.ebpf4j.btf.core;

import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.btf.Member;

/**
 * Reads a relocation's access string against the object's own BTF, where it must fit exactly: clang wrote both.
 * Any mismatch is an error, never a poisoned instruction.
 */
final class LocalSpecParser {
    private LocalSpecParser() {
    }

    static AccessSpec parse(Btf btf, int typeId, String accessString, CoreReloKind kind) {
        if (typeId < 1 || typeId > btf.lastTypeId()) {
            throw new RelocationFailure("local type id " + typeId + " is not in the object's BTF (last id "
                    + btf.lastTypeId() + ")");
        }
        List<Integer> raw = indices(accessString);
        return switch (kind) {
            case TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE, TYPE_MATCHES -> typeSpec(btf, typeId, raw);
            case ENUMVAL_EXISTS, ENUMVAL_VALUE -> enumSpec(btf, typeId, raw);
            case FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_EXISTS, FIELD_SIGNED, FIELD_LSHIFT_U64, FIELD_RSHIFT_U64 ->
                    fieldSpec(btf, typeId, raw);
        };
    }

    /** "0:1:2" as numbers; each component a non-negative decimal. */
    static List<Integer> indices(String accessString) {
        String[] parts = accessString.split(":", -1);
        if (parts.length > CoreLimits.MAX_ACCESS_LENGTH) {
            throw new RelocationFailure("access string has " + parts.length + " components, more than "
                    + CoreLimits.MAX_ACCESS_LENGTH);
        }
        List<Integer> indices = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("[0-9]{1,9}")) {
                throw new RelocationFailure("access string component " + (i + 1) + " ('" + parts[i]
                        + "') is not an index");
            }
            indices.add(Integer.parseInt(parts[i]));
        }
        return indices;
    }

    private static AccessSpec typeSpec(Btf btf, int typeId, List<Integer> raw) {
        if (!raw.equals(List.of(0))) {
            throw new RelocationFailure("a type relocation's access string must be \"0\"");
        }
        return new AccessSpec(btf, typeId, List.of(), raw, 0);
    }

    private static AccessSpec enumSpec(Btf btf, int typeId, List<Integer> raw) {
        int enumId = btf.resolve(typeId);
        if (!(BtfLookup.typeOrVoid(btf, enumId) instanceof BtfType.Enumeration enumeration)) {
            throw new RelocationFailure(btf.describe(typeId) + " is not an enum");
        }
        if (raw.size() != 1) {
            throw new RelocationFailure("an enum value relocation's access string must be one enumerator index");
        }
        int index = raw.getFirst();
        if (index >= enumeration.values().size()) {
            throw new RelocationFailure("enumerator index " + index + " is out of range: "
                    + btf.describe(enumId) + " has " + enumeration.values().size() + " values");
        }
        String name = enumeration.values().get(index).name();
        return new AccessSpec(btf, typeId, List.of(new Accessor.Enumerator(enumId, index, name)), raw, 0);
    }

    private static AccessSpec fieldSpec(Btf btf, int typeId, List<Integer> raw) {
        int rootId = btf.resolve(typeId);
        if (rootId == 0) {
            throw new RelocationFailure(btf.describe(typeId) + " resolves to void, which has no fields");
        }
        List<Accessor> accessors = new ArrayList<>();
        long bitOffset = raw.getFirst() * BtfLookup.sizeOf(btf, rootId) * 8;
        accessors.add(new Accessor.Element(rootId, raw.getFirst()));
        int current = rootId;
        for (int step = 1; step < raw.size(); step++) {
            int index = raw.get(step);
            switch (btf.type(current)) {
                case BtfType.Composite composite -> {
                    if (index >= composite.members().size()) {
                        throw new RelocationFailure("member index " + index + " (component " + (step + 1)
                                + ") is out of range: " + btf.describe(current) + " has "
                                + composite.members().size() + " members");
                    }
                    Member member = composite.members().get(index);
                    bitOffset += member.bitOffset();
                    if (!member.name().isEmpty()) {
                        accessors.add(new Accessor.Field(current, index, member.name()));
                    }
                    current = resolveNonVoid(btf, member.type(), step);
                }
                case BtfType.Array array -> {
                    boolean flexible = FlexibleArray.is(btf, accessors.getLast(), array);
                    if (!flexible && index >= array.length()) {
                        throw new RelocationFailure("array index " + index + " (component " + (step + 1)
                                + ") is out of range: the array has " + array.length() + " elements");
                    }
                    current = resolveNonVoid(btf, array.elementType(), step);
                    accessors.add(new Accessor.Element(current, index));
                    bitOffset += index * BtfLookup.sizeOf(btf, current) * 8;
                }
                default -> throw new RelocationFailure("component " + (step + 1) + " (" + index + ") indexes "
                        + btf.describe(current) + ", which is not a struct, union or array");
            }
        }
        return new AccessSpec(btf, typeId, accessors, raw, bitOffset);
    }

    private static int resolveNonVoid(Btf btf, int id, int step) {
        int resolved = btf.resolve(id);
        if (resolved == 0) {
            throw new RelocationFailure("component " + (step + 1) + " reaches void");
        }
        return resolved;
    }
}
