package org.ebpf4j.btf.core;

import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.EnumValue;
import org.ebpf4j.btf.Member;
import org.ebpf4j.btf.Param;

/**
 * TYPE_MATCHES: the stricter relation behind libbpf's {@code bpf_core_type_matches}. After typedefs and qualifiers,
 * names must agree (essential names), kinds must be equal, integers must agree in size and signedness, arrays in
 * length, every local member must exist in the target by name with a matching type, every local enumerator must
 * exist by name in an enum of the same size, and prototypes must agree parameter by parameter. Behind a pointer a
 * struct or union only needs the right name and kind, and may match a forward declaration.
 */
final class TypeMatch {
    private final Btf local;
    private final Btf target;

    TypeMatch(Btf local, Btf target) {
        this.local = local;
        this.target = target;
    }

    boolean matches(int localId, int targetId) {
        return matches(localId, targetId, false, CoreLimits.MAX_TYPE_DEPTH);
    }

    private boolean matches(int localId, int targetId, boolean behindPointer, int depth) {
        if (depth < 0) {
            throw new RelocationFailure("types nest deeper than " + CoreLimits.MAX_TYPE_DEPTH + " levels");
        }
        BtfType l = BtfLookup.resolved(local, localId);
        BtfType t = BtfLookup.resolved(target, targetId);
        if (l == null || t == null) {
            return l == t;
        }
        if (!EssentialName.match(l.name(), t.name())) {
            return false;
        }
        return switch (l) {
            case BtfType.Fwd lf -> forward(lf, t, behindPointer);
            case BtfType.Enumeration le -> t instanceof BtfType.Enumeration te && enums(le, te);
            case BtfType.Composite lc -> behindPointer ? compositeBehindPointer(lc, t)
                    : l.kind() == t.kind() && composites(lc, (BtfType.Composite) t, depth);
            case BtfType.Int li -> t instanceof BtfType.Int ti && li.size() == ti.size()
                    && signed(li) == signed(ti);
            case BtfType.Ptr lp -> t instanceof BtfType.Ptr tp && matches(lp.type(), tp.type(), true, depth - 1);
            case BtfType.Array la -> t instanceof BtfType.Array ta && la.length() == ta.length()
                    && matches(la.elementType(), ta.elementType(), behindPointer, depth - 1);
            case BtfType.FuncProto lf -> t instanceof BtfType.FuncProto tf && prototypes(lf, tf, behindPointer, depth);
            default -> false;
        };
    }

    /** A forward declaration says struct or union; behind a pointer it may stand for the full definition. */
    private static boolean forward(BtfType.Fwd local, BtfType target, boolean behindPointer) {
        return switch (target) {
            case BtfType.Fwd t -> local.union() == t.union();
            case BtfType.Struct ignored -> behindPointer && !local.union();
            case BtfType.Union ignored -> behindPointer && local.union();
            default -> false;
        };
    }

    private static boolean compositeBehindPointer(BtfType.Composite local, BtfType target) {
        if (local.kind() == target.kind()) {
            return true;
        }
        return target instanceof BtfType.Fwd fwd && fwd.union() == (local instanceof BtfType.Union);
    }

    private boolean composites(BtfType.Composite l, BtfType.Composite t, int depth) {
        for (Member lm : l.members()) {
            boolean found = false;
            for (Member tm : t.members()) {
                if (lm.name().equals(tm.name()) && matches(lm.type(), tm.type(), false, depth - 1)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean enums(BtfType.Enumeration l, BtfType.Enumeration t) {
        if (l.size() != t.size()) {
            return false;
        }
        List<EnumValue> targetValues = t.values();
        for (EnumValue lv : l.values()) {
            if (targetValues.stream().noneMatch(tv -> EssentialName.match(lv.name(), tv.name()))) {
                return false;
            }
        }
        return true;
    }

    private boolean prototypes(BtfType.FuncProto l, BtfType.FuncProto t, boolean behindPointer, int depth) {
        List<Param> lp = l.params();
        List<Param> tp = t.params();
        if (lp.size() != tp.size()) {
            return false;
        }
        for (int i = 0; i < lp.size(); i++) {
            if (!matches(lp.get(i).type(), tp.get(i).type(), behindPointer, depth - 1)) {
                return false;
            }
        }
        return matches(l.returnType(), t.returnType(), behindPointer, depth - 1);
    }

    private static boolean signed(BtfType.Int type) {
        return type.encoding() == org.ebpf4j.btf.IntEncoding.SIGNED;
    }
}
