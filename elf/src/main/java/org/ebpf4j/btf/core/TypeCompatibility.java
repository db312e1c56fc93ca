package org.ebpf4j.btf.core;

import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.Param;

/**
 * libbpf's loose notion of "the same type in another kernel": same kind after typedefs and qualifiers, any struct
 * matches any struct (their members are checked only along an access path), integers of any size match, pointers
 * and arrays compare what they point to, prototypes compare every parameter and the return type.
 */
final class TypeCompatibility {
    private final Btf local;
    private final Btf target;

    TypeCompatibility(Btf local, Btf target) {
        this.local = local;
        this.target = target;
    }

    /** For TYPE_EXISTS, TYPE_SIZE and TYPE_ID_TARGET: does candidate {@code targetId} stand for {@code localId}? */
    boolean types(int localId, int targetId) {
        if (!BtfLookup.kindsCompatible(BtfLookup.kindOf(local, localId), BtfLookup.kindOf(target, targetId))) {
            return false;
        }
        return types(localId, targetId, CoreLimits.MAX_TYPE_DEPTH);
    }

    private boolean types(int localId, int targetId, int depth) {
        if (depth < 0) {
            throw new RelocationFailure("types nest deeper than " + CoreLimits.MAX_TYPE_DEPTH + " levels");
        }
        BtfType l = BtfLookup.resolved(local, localId);
        BtfType t = BtfLookup.resolved(target, targetId);
        if (l == null || t == null) {
            return l == t;
        }
        if (!BtfLookup.kindsCompatible(l.kind(), t.kind())) {
            return false;
        }
        return switch (l) {
            case BtfType.Composite ignored -> true;
            case BtfType.Enumeration ignored -> true;
            case BtfType.Fwd ignored -> true;
            case BtfType.Int li -> plainInt(li) && plainInt((BtfType.Int) t);
            case BtfType.Ptr lp -> types(lp.type(), ((BtfType.Ptr) t).type(), depth - 1);
            case BtfType.Array la -> types(la.elementType(), ((BtfType.Array) t).elementType(), depth - 1);
            case BtfType.FuncProto lf -> prototypes(lf, (BtfType.FuncProto) t, depth);
            default -> false;
        };
    }

    private boolean prototypes(BtfType.FuncProto l, BtfType.FuncProto t, int depth) {
        List<Param> lp = l.params();
        List<Param> tp = t.params();
        if (lp.size() != tp.size()) {
            return false;
        }
        for (int i = 0; i < lp.size(); i++) {
            if (!types(lp.get(i).type(), tp.get(i).type(), depth - 1)) {
                return false;
            }
        }
        return types(l.returnType(), t.returnType(), depth - 1);
    }

    /**
     * For the last step of a field access: can the local field's type be read from the target's field? Structs
     * and unions match each other (the path goes on inside them or stops there), enums and forward declarations
     * must share an essential name, arrays compare their elements.
     */
    boolean fields(int localId, int targetId) {
        int depth = CoreLimits.MAX_TYPE_DEPTH;
        int l = localId;
        int t = targetId;
        while (depth-- > 0) {
            BtfType lt = BtfLookup.resolved(local, l);
            BtfType tt = BtfLookup.resolved(target, t);
            if (lt == null || tt == null) {
                return false;
            }
            if (lt instanceof BtfType.Composite && tt instanceof BtfType.Composite) {
                return true;
            }
            if (!BtfLookup.kindsCompatible(lt.kind(), tt.kind())) {
                return false;
            }
            switch (lt) {
                case BtfType.Ptr ignored -> {
                    return true;
                }
                case BtfType.Float ignored -> {
                    return true;
                }
                case BtfType.Fwd ignored -> {
                    return namesAgree(lt.name(), tt.name());
                }
                case BtfType.Enumeration ignored -> {
                    return namesAgree(lt.name(), tt.name());
                }
                case BtfType.Int li -> {
                    return plainInt(li) && plainInt((BtfType.Int) tt);
                }
                case BtfType.Array la -> {
                    l = la.elementType();
                    t = ((BtfType.Array) tt).elementType();
                }
                default -> {
                    return false;
                }
            }
        }
        throw new RelocationFailure("arrays nest deeper than " + CoreLimits.MAX_TYPE_DEPTH + " levels");
    }

    /** A field's enum may be anonymous on either side (a kernel may name it later); named ones must agree. */
    private static boolean namesAgree(String local, String target) {
        return local.isEmpty() || target.isEmpty() || EssentialName.of(local).equals(EssentialName.of(target));
    }

    /** Integers that start at bit 0 of their storage; the old BTF bitfield encoding (an INT bit offset) is refused. */
    private static boolean plainInt(BtfType.Int type) {
        return type.bitOffset() == 0;
    }
}
