package org.ebpf4j.btf.core;

import java.nio.ByteOrder;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.btf.IntEncoding;
import org.ebpf4j.btf.Member;

/**
 * The value of each relocation kind, computed from one resolved access path. A null path means no target
 * candidate matched: existence kinds are 0 there, type kinds too (libbpf: "type-based relos return zero when
 * target type is not found"), and the rest poison their instruction.
 */
final class RelocationValues {
    /** Bitfield shifts are relative to a 64-bit register. */
    private static final int REGISTER_BITS = 64;

    private final ByteOrder order;

    /** {@code order} is the program's: where a bitfield's bits sit in the loaded word depends on it. */
    RelocationValues(ByteOrder order) {
        this.order = order;
    }

    /** Empty result: the instruction must be poisoned. */
    RelocatedValue of(CoreReloKind kind, AccessSpec spec) {
        return switch (kind) {
            case FIELD_EXISTS, TYPE_EXISTS, TYPE_MATCHES, ENUMVAL_EXISTS -> RelocatedValue.of(spec == null ? 0 : 1);
            case TYPE_ID_LOCAL -> RelocatedValue.unchecked(spec.rootTypeId());
            case TYPE_ID_TARGET -> RelocatedValue.unchecked(spec == null ? 0 : spec.rootTypeId());
            case TYPE_SIZE -> RelocatedValue.of(spec == null ? 0 : BtfLookup.sizeOf(spec.btf(), spec.rootTypeId()));
            case ENUMVAL_VALUE -> spec == null ? null : RelocatedValue.of(enumValue(spec));
            case FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_SIGNED, FIELD_LSHIFT_U64, FIELD_RSHIFT_U64 ->
                    spec == null ? null : field(kind, spec);
        };
    }

    /**
     * A 32-bit ENUM's value is read as signed, as libbpf reads {@code btf_enum.val} into its 64-bit result, so an
     * unsigned enumerator above INT_MAX becomes negative; ENUM64 values are taken whole.
     */
    private static long enumValue(AccessSpec spec) {
        Accessor.Enumerator enumerator = (Accessor.Enumerator) spec.last();
        BtfType.Enumeration type = (BtfType.Enumeration) spec.btf().type(enumerator.enumId());
        long raw = type.values().get(enumerator.index()).value();
        return type instanceof BtfType.Enum ? (int) raw : raw;
    }

    private RelocatedValue field(CoreReloKind kind, AccessSpec spec) {
        Btf btf = spec.btf();
        return switch (spec.last()) {
            case Accessor.Element element -> element(kind, btf, element, spec.bitOffset());
            case Accessor.Field field -> member(kind, btf, field, spec.bitOffset());
            case Accessor.Enumerator ignored -> throw new IllegalStateException("enumerator in a field path");
        };
    }

    private static RelocatedValue element(CoreReloKind kind, Btf btf, Accessor.Element element, long bitOffset) {
        int size = (int) BtfLookup.sizeOf(btf, element.elementTypeId());
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> new RelocatedValue(bitOffset / 8, true, size, element.elementTypeId());
            case FIELD_BYTE_SIZE -> RelocatedValue.of(size);
            default -> throw new RelocationFailure(kind + " cannot be applied to an array element");
        };
    }

    private RelocatedValue member(CoreReloKind kind, Btf btf, Accessor.Field field, long bitOffset) {
        BtfType.Composite composite = (BtfType.Composite) btf.type(field.compositeId());
        Member member = composite.members().get(field.index());
        int fieldTypeId = btf.resolve(member.type());
        BtfType fieldType = BtfLookup.typeOrVoid(btf, fieldTypeId);
        long byteSize = BtfLookup.sizeOf(btf, fieldTypeId);
        boolean bitfield = member.isBitfield();
        long bitSize = bitfield ? member.bitfieldSize() : byteSize * 8;
        long byteOffset = bitOffset / 8;
        if (bitfield) {
            // The smallest naturally aligned load, starting from the field type's own size, that holds every bit.
            byteOffset = alignDown(bitOffset / 8, byteSize);
            while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8) {
                if (byteSize >= 8) {
                    throw new RelocationFailure("bitfield '" + member.name() + "' at bit " + bitOffset
                            + " cannot be read with one 64-bit load");
                }
                byteSize *= 2;
                byteOffset = alignDown(bitOffset / 8, byteSize);
            }
        }
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> bitfield ? RelocatedValue.unchecked(byteOffset)
                    : new RelocatedValue(byteOffset, true, (int) byteSize, fieldTypeId);
            case FIELD_BYTE_SIZE -> bitfield ? RelocatedValue.unchecked(byteSize) : RelocatedValue.of(byteSize);
            case FIELD_SIGNED -> RelocatedValue.of(isSigned(fieldType) ? 1 : 0);
            case FIELD_LSHIFT_U64 -> {
                long shift = order == ByteOrder.LITTLE_ENDIAN
                        ? REGISTER_BITS - (bitOffset + bitSize - byteOffset * 8)
                        : (8 - byteSize) * 8 + (bitOffset - byteOffset * 8);
                yield bitfield ? RelocatedValue.unchecked(shift) : RelocatedValue.of(shift);
            }
            case FIELD_RSHIFT_U64 -> RelocatedValue.of(REGISTER_BITS - bitSize);
            default -> throw new IllegalStateException(kind + " is not computed from a member");
        };
    }

    private static long alignDown(long value, long alignment) {
        return value / alignment * alignment;
    }

    static boolean isSigned(BtfType type) {
        return switch (type) {
            case BtfType.Int integer -> integer.encoding() == IntEncoding.SIGNED;
            case BtfType.Enumeration enumeration -> enumeration.signed();
            case null, default -> false;
        };
    }
}
