package org.ebpf4j.btf.core;

import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.isa.BpfException;

/** The few BTF questions CO-RE asks, with void (id 0, which has no record) answered instead of thrown. */
final class BtfLookup {
    private BtfLookup() {
    }

    /** The type at {@code id}, or null for void. */
    static BtfType typeOrVoid(Btf btf, int id) {
        return id == 0 ? null : btf.type(id);
    }

    /** The type {@code id} resolves to through typedefs and qualifiers, or null for void. */
    static BtfType resolved(Btf btf, int id) {
        return typeOrVoid(btf, btf.resolve(id));
    }

    /** The kind of {@code id} itself; null for void. */
    static BtfKind kindOf(Btf btf, int id) {
        BtfType type = typeOrVoid(btf, id);
        return type == null ? null : type.kind();
    }

    static long sizeOf(Btf btf, int id) {
        try {
            return btf.sizeOf(id);
        } catch (BpfException unsized) {
            throw new RelocationFailure(unsized.getMessage());
        }
    }

    /**
     * CO-RE treats ENUM and ENUM64 as one kind (a kernel may widen an enum); every other kind matches only
     * itself. Void matches void.
     */
    static boolean kindsCompatible(BtfKind local, BtfKind target) {
        if (local == target) {
            return true;
        }
        return isEnum(local) && isEnum(target);
    }

    static boolean isEnum(BtfKind kind) {
        return kind == BtfKind.ENUM || kind == BtfKind.ENUM64;
    }

    static String describe(Btf btf, int id) {
        return btf.describe(id);
    }
}
