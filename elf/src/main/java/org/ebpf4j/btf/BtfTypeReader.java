package org.ebpf4j.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the type section record by record ({@code struct btf_type} and the kind's trailing data) and checks what
 * one record can show by itself: kind, info bits, vlen against the bytes left, names, sizes, encodings. References
 * between types are checked afterwards by {@link BtfReferenceCheck}, once the last type id is known.
 */
final class BtfTypeReader {
    private static final int TYPE_HEADER = 12;
    /** Info bits 16-23 and 29-30, unused by every kind. */
    private static final long INFO_UNUSED = 0x60ff_0000L;
    /** INT data bits that are neither encoding (24-27), offset (16-23) nor bits (0-7). */
    private static final long INT_UNUSED = 0xf000_ff00L;
    private static final int MAX_INT_BITS = 128;

    private final SectionBytes bytes;
    private final BtfStrings strings;
    private final int end;
    private int at;
    private int id;
    private BtfKind kind;
    /** The current type's name; null until read. */
    private String name;

    private BtfTypeReader(SectionBytes bytes, BtfStrings strings, int start, int end) {
        this.bytes = bytes;
        this.strings = strings;
        this.at = start;
        this.end = end;
    }

    /** The types of {@code [start, end)} of the section, in id order (index 0 holds type id 1). */
    static List<BtfType> read(SectionBytes bytes, BtfStrings strings, int start, int end) {
        return new BtfTypeReader(bytes, strings, start, end).readAll();
    }

    private List<BtfType> readAll() {
        List<BtfType> types = new ArrayList<>();
        while (at < end) {
            id = types.size() + 1;
            types.add(readType());
        }
        return types;
    }

    private BtfType readType() {
        int typeStart = at;
        kind = null;
        name = null;
        if (end - at < TYPE_HEADER) {
            throw fail(typeStart, "truncated type header: " + TYPE_HEADER + " bytes needed, " + (end - at) + " left");
        }
        long nameOffset = bytes.u32(at);
        long info = bytes.u32(at + 4);
        long sizeOrType = bytes.u32(at + 8);
        at += TYPE_HEADER;
        int kindNumber = (int) (info >>> 24) & 0x1f;
        kind = BtfKind.of(kindNumber);
        if (kind == null) {
            throw fail(typeStart, "unknown kind " + kindNumber);
        }
        if (!strings.contains(nameOffset)) {
            throw fail(typeStart, "name offset " + nameOffset + " is outside the string section ("
                    + strings.length() + " bytes)");
        }
        name = strings.at(nameOffset);
        if ((info & INFO_UNUSED) != 0) {
            throw fail(typeStart, String.format("unused info bits set (info 0x%08x)", info));
        }
        int vlen = (int) (info & 0xffff);
        boolean kindFlag = (info >>> 31) != 0;
        checkKindFlag(typeStart, kindFlag);
        checkName(typeStart);
        if (!hasVlen() && vlen != 0) {
            throw fail(typeStart, "vlen " + vlen + " must be 0 for " + kind);
        }
        return switch (kind) {
            case INT -> readInt(typeStart, sizeOrType);
            case PTR -> new BtfType.Ptr(typeId(typeStart, sizeOrType));
            case ARRAY -> readArray(typeStart, sizeOrType);
            case STRUCT -> new BtfType.Struct(name, sizeOrType, readMembers(typeStart, vlen, kindFlag));
            case UNION -> new BtfType.Union(name, sizeOrType, readMembers(typeStart, vlen, kindFlag));
            case ENUM -> new BtfType.Enum(name, enumSize(typeStart, sizeOrType), kindFlag,
                    readEnumValues(typeStart, vlen, kindFlag));
            case FWD -> new BtfType.Fwd(name, kindFlag);
            case TYPEDEF -> new BtfType.Typedef(name, typeId(typeStart, sizeOrType));
            case VOLATILE -> new BtfType.Volatile(typeId(typeStart, sizeOrType));
            case CONST -> new BtfType.Const(typeId(typeStart, sizeOrType));
            case RESTRICT -> new BtfType.Restrict(typeId(typeStart, sizeOrType));
            case FUNC -> new BtfType.Func(name, typeId(typeStart, sizeOrType), linkage(typeStart, vlen, "vlen"));
            case FUNC_PROTO -> new BtfType.FuncProto(typeId(typeStart, sizeOrType), readParams(typeStart, vlen));
            case VAR -> readVar(typeStart, sizeOrType);
            case DATASEC -> new BtfType.Datasec(name, sizeOrType, readDatasecVars(typeStart, vlen, sizeOrType));
            case FLOAT -> new BtfType.Float(name, floatSize(typeStart, sizeOrType));
            case DECL_TAG -> readDeclTag(typeStart, sizeOrType, kindFlag);
            case TYPE_TAG -> new BtfType.TypeTag(name, typeId(typeStart, sizeOrType), kindFlag);
            case ENUM64 -> new BtfType.Enum64(name, enumSize(typeStart, sizeOrType), kindFlag,
                    readEnum64Values(typeStart, vlen));
        };
    }

    /** Kinds whose vlen counts trailing records (FUNC keeps its linkage there). */
    private boolean hasVlen() {
        return switch (kind) {
            case STRUCT, UNION, ENUM, FUNC, FUNC_PROTO, DATASEC, ENUM64 -> true;
            default -> false;
        };
    }

    private void checkKindFlag(int typeStart, boolean kindFlag) {
        boolean allowed = switch (kind) {
            case STRUCT, UNION, ENUM, FWD, ENUM64, DECL_TAG, TYPE_TAG -> true;
            default -> false;
        };
        if (kindFlag && !allowed) {
            throw fail(typeStart, "kind_flag must be 0 for " + kind);
        }
    }

    /** Linux rejects names on pointers, arrays, qualifiers and prototypes, and requires them where C has one. */
    private void checkName(int typeStart) {
        switch (kind) {
            case PTR, ARRAY, VOLATILE, CONST, RESTRICT, FUNC_PROTO -> {
                if (!name.isEmpty()) {
                    throw fail(typeStart, "a " + kind + " must not have a name");
                }
            }
            case FWD, TYPEDEF, FUNC, VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG -> {
                if (name.isEmpty()) {
                    throw fail(typeStart, "a " + kind + " must have a name");
                }
            }
            default -> { }
        }
    }

    private BtfType readInt(int typeStart, long size) {
        if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
            throw fail(typeStart, "size " + size + " is not 1, 2, 4, 8 or 16");
        }
        long data = u32Trailing(typeStart, "INT data");
        if ((data & INT_UNUSED) != 0) {
            throw fail(typeStart, String.format("unused INT data bits set (0x%08x)", data));
        }
        int encodingBits = (int) (data >>> 24) & 0xf;
        IntEncoding encoding = IntEncoding.of(encodingBits);
        if (encoding == null) {
            throw fail(typeStart, "encoding 0x" + Integer.toHexString(encodingBits)
                    + " combines SIGNED, CHAR and BOOL (at most one allowed)");
        }
        int bitOffset = (int) (data >>> 16) & 0xff;
        int bits = (int) data & 0xff;
        if (bits == 0 || bits > MAX_INT_BITS) {
            throw fail(typeStart, "nr_bits " + bits + " is not in 1.." + MAX_INT_BITS);
        }
        if (bitOffset + bits > size * 8) {
            throw fail(typeStart, "bits_offset " + bitOffset + " + nr_bits " + bits + " exceed the size of "
                    + size + " bytes");
        }
        return new BtfType.Int(name, size, encoding, bitOffset, bits);
    }

    private BtfType readArray(int typeStart, long size) {
        if (size != 0) {
            throw fail(typeStart, "size/type field " + size + " must be 0 for ARRAY");
        }
        require(typeStart, 12, "array data");
        int element = typeId(typeStart, bytes.u32(at));
        int index = typeId(typeStart, bytes.u32(at + 4));
        long length = bytes.u32(at + 8);
        at += 12;
        return new BtfType.Array(element, index, length);
    }

    private List<Member> readMembers(int typeStart, int vlen, boolean kindFlag) {
        require(typeStart, 12L * vlen, vlen + " members");
        List<Member> members = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String memberName = name(typeStart, bytes.u32(at), "member " + i);
            int type = typeId(typeStart, bytes.u32(at + 4));
            long offset = bytes.u32(at + 8);
            at += 12;
            // With kind_flag the offset packs the bitfield size (bits 24-31) above the bit offset.
            members.add(kindFlag
                    ? new Member(memberName, type, offset & 0xff_ffff, (int) (offset >>> 24))
                    : new Member(memberName, type, offset, 0));
        }
        return members;
    }

    private long enumSize(int typeStart, long size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw fail(typeStart, "size " + size + " is not 1, 2, 4 or 8");
        }
        return size;
    }

    private List<EnumValue> readEnumValues(int typeStart, int vlen, boolean signed) {
        require(typeStart, 8L * vlen, vlen + " enumerators");
        List<EnumValue> values = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String valueName = name(typeStart, bytes.u32(at), "enumerator " + i);
            long value = signed ? bytes.s32(at + 4) : bytes.u32(at + 4);
            at += 8;
            values.add(new EnumValue(valueName, value));
        }
        return values;
    }

    private List<EnumValue> readEnum64Values(int typeStart, int vlen) {
        require(typeStart, 12L * vlen, vlen + " enumerators");
        List<EnumValue> values = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String valueName = name(typeStart, bytes.u32(at), "enumerator " + i);
            long value = bytes.u32(at + 8) << 32 | bytes.u32(at + 4);
            at += 12;
            values.add(new EnumValue(valueName, value));
        }
        return values;
    }

    private List<Param> readParams(int typeStart, int vlen) {
        require(typeStart, 8L * vlen, vlen + " parameters");
        List<Param> params = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            Param param = new Param(name(typeStart, bytes.u32(at), "parameter " + i), typeId(typeStart,
                    bytes.u32(at + 4)));
            at += 8;
            if (param.type() == 0 && !(param.isVariadicMarker() && i == vlen - 1)) {
                throw fail(typeStart, "parameter " + i + " has type void (only an unnamed last one may, for ...)");
            }
            params.add(param);
        }
        return params;
    }

    private BtfType readVar(int typeStart, long type) {
        long linkage = u32Trailing(typeStart, "VAR linkage");
        return new BtfType.Var(name, typeId(typeStart, type), linkage(typeStart, linkage, "linkage"));
    }

    private List<DatasecVar> readDatasecVars(int typeStart, int vlen, long size) {
        require(typeStart, 12L * vlen, vlen + " variables");
        List<DatasecVar> vars = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            DatasecVar var = new DatasecVar(typeId(typeStart, bytes.u32(at)), bytes.u32(at + 4), bytes.u32(at + 8));
            at += 12;
            // Objects fresh from clang say size 0 for every DATASEC; only a laid-out section can be checked.
            if (size != 0 && var.offset() + var.size() > size) {
                throw fail(typeStart, "variable " + i + " at offset " + var.offset() + " of size " + var.size()
                        + " exceeds the section size " + size);
            }
            vars.add(var);
        }
        return vars;
    }

    private long floatSize(int typeStart, long size) {
        if (size != 2 && size != 4 && size != 8 && size != 12 && size != 16) {
            throw fail(typeStart, "size " + size + " is not 2, 4, 8, 12 or 16");
        }
        return size;
    }

    private BtfType readDeclTag(int typeStart, long type, boolean kindFlag) {
        require(typeStart, 4, "component_idx");
        int componentIndex = bytes.s32(at);
        at += 4;
        if (componentIndex < -1) {
            throw fail(typeStart, "component_idx " + componentIndex + " is below -1");
        }
        return new BtfType.DeclTag(name, typeId(typeStart, type), componentIndex, kindFlag);
    }

    private Linkage linkage(int typeStart, long value, String field) {
        Linkage linkage = Linkage.of(value);
        if (linkage == null) {
            throw fail(typeStart, field + " " + value + " is not a linkage (0 static, 1 global, 2 extern)");
        }
        return linkage;
    }

    /** A type id as read; whether it names an existing type is checked once all types are read. */
    private int typeId(int typeStart, long value) {
        if (value > BtfLimits.MAX_TYPE_ID) {
            throw fail(typeStart, "type id " + value + " exceeds the maximum " + BtfLimits.MAX_TYPE_ID);
        }
        return (int) value;
    }

    private String name(int typeStart, long offset, String owner) {
        if (!strings.contains(offset)) {
            throw fail(typeStart, owner + " name offset " + offset + " is outside the string section ("
                    + strings.length() + " bytes)");
        }
        return strings.at(offset);
    }

    private long u32Trailing(int typeStart, String what) {
        require(typeStart, 4, what);
        long value = bytes.u32(at);
        at += 4;
        return value;
    }

    private void require(int typeStart, long count, String what) {
        if (count > end - at) {
            throw fail(typeStart, what + " need " + count + " bytes, but " + (end - at)
                    + " are left in the type section");
        }
    }

    private BtfFormatException fail(int typeStart, String what) {
        // Until the name is read, say only what is known: "type 4" or "type 4 (INT)".
        String label = kind == null ? "type " + id
                : name == null ? "type " + id + " (" + kind + ")" : Btf.label(id, kind, name);
        return new BtfFormatException("BTF: " + label + " at byte " + typeStart + ": " + what);
    }
}
