package org.ebpf4j.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks that need all types: every type id in range (void only where C allows it), the kinds that FUNC,
 * DATASEC and DECL_TAG must point at, DECL_TAG component indices, no cycle through typedefs, qualifiers and array
 * elements (which would make sizes and resolution loop), and members inside their struct or union.
 */
final class BtfReferenceCheck {
    private final Btf btf;
    private final int last;

    private BtfReferenceCheck(Btf btf) {
        this.btf = btf;
        this.last = btf.lastTypeId();
    }

    static void check(Btf btf) {
        BtfReferenceCheck check = new BtfReferenceCheck(btf);
        for (int id = 1; id <= check.last; id++) {
            check.checkReferences(id);
        }
        check.checkChains();
        for (int id = 1; id <= check.last; id++) {
            if (btf.type(id) instanceof BtfType.Composite composite) {
                check.checkMembersFit(id, composite);
            }
        }
    }

    private void checkReferences(int id) {
        switch (btf.type(id)) {
            case BtfType.Int ignored -> { }
            case BtfType.Fwd ignored -> { }
            case BtfType.Float ignored -> { }
            case BtfType.Enum ignored -> { }
            case BtfType.Enum64 ignored -> { }
            case BtfType.Ptr ptr -> reference(id, "", ptr.type(), true);
            case BtfType.Typedef typedef -> reference(id, "", typedef.type(), true);
            case BtfType.Qualifier qualifier -> reference(id, "", qualifier.type(), true);
            case BtfType.Array array -> {
                reference(id, "element type", array.elementType(), false);
                reference(id, "index type", array.indexType(), false);
            }
            case BtfType.Composite composite -> {
                for (int i = 0; i < composite.members().size(); i++) {
                    reference(id, "member " + i, composite.members().get(i).type(), false);
                }
            }
            case BtfType.Func func -> {
                reference(id, "", func.type(), false);
                requireKind(id, "", func.type(), BtfKind.FUNC_PROTO);
            }
            case BtfType.FuncProto proto -> {
                reference(id, "return type", proto.returnType(), true);
                for (int i = 0; i < proto.params().size(); i++) {
                    reference(id, "parameter " + i, proto.params().get(i).type(), true);
                }
            }
            case BtfType.Var var -> reference(id, "", var.type(), false);
            case BtfType.Datasec datasec -> {
                for (int i = 0; i < datasec.vars().size(); i++) {
                    int target = datasec.vars().get(i).type();
                    reference(id, "variable " + i, target, false);
                    // .ksyms lists extern functions as FUNC next to extern variables.
                    requireKind(id, "variable " + i, target, BtfKind.VAR, BtfKind.FUNC);
                }
            }
            case BtfType.DeclTag tag -> checkDeclTag(id, tag);
        }
    }

    private void checkDeclTag(int id, BtfType.DeclTag tag) {
        reference(id, "", tag.type(), false);
        requireKind(id, "", tag.type(), BtfKind.STRUCT, BtfKind.UNION, BtfKind.VAR, BtfKind.FUNC, BtfKind.TYPEDEF);
        if (tag.componentIndex() == -1) {
            return;
        }
        BtfType target = btf.type(tag.type());
        int components = switch (target) {
            case BtfType.Composite composite -> composite.members().size();
            // The FUNC's own reference may not have been checked yet: look only at an id in range.
            case BtfType.Func func -> func.type() > 0 && func.type() <= last
                    && btf.type(func.type()) instanceof BtfType.FuncProto proto ? proto.params().size() : 0;
            default -> 0;
        };
        if (tag.componentIndex() >= components) {
            throw new BtfFormatException("BTF: " + btf.describe(id) + " component_idx " + tag.componentIndex()
                    + " is out of range for " + btf.describe(tag.type()) + " with " + components
                    + (target instanceof BtfType.Composite ? " members" : " parameters"));
        }
    }

    private void reference(int id, String role, int target, boolean voidAllowed) {
        String subject = "BTF: " + btf.describe(id) + (role.isEmpty() ? "" : " " + role);
        if (target > last) {
            throw new BtfFormatException(subject + " refers to type " + target + ", but the last type id is " + last);
        }
        if (target == 0 && !voidAllowed) {
            throw new BtfFormatException(subject + " refers to void (type 0), which is not allowed here");
        }
    }

    private void requireKind(int id, String role, int target, BtfKind... kinds) {
        BtfKind actual = btf.type(target).kind();
        for (BtfKind kind : kinds) {
            if (kind == actual) {
                return;
            }
        }
        throw new BtfFormatException("BTF: " + btf.describe(id) + (role.isEmpty() ? "" : " " + role)
                + " refers to " + btf.describe(target) + ", which is not " + kindList(kinds));
    }

    private static String kindList(BtfKind... kinds) {
        List<String> names = new ArrayList<>();
        for (BtfKind kind : kinds) {
            names.add(kind.name());
        }
        return (kinds.length > 1 ? "one of " : "a ") + String.join(", ", names);
    }

    /**
     * Each type has at most one "same object" successor (typedef, qualifier, array element), so the types form a
     * functional graph: walk each unvisited chain once, and a node met again while still on the current walk closes
     * a cycle.
     */
    private void checkChains() {
        byte[] state = new byte[last + 1]; // 0 unseen, 1 on the current walk, 2 finished
        List<Integer> walk = new ArrayList<>();
        for (int start = 1; start <= last; start++) {
            int id = start;
            while (id != 0 && state[id] == 0) {
                state[id] = 1;
                walk.add(id);
                id = chainSuccessor(btf.type(id));
            }
            if (id != 0 && state[id] == 1) {
                throw new BtfFormatException("BTF: " + btf.describe(id)
                        + " is part of a cycle through typedefs, qualifiers or array elements");
            }
            for (int visited : walk) {
                state[visited] = 2;
            }
            walk.clear();
        }
    }

    private static int chainSuccessor(BtfType type) {
        return switch (type) {
            case BtfType.Typedef typedef -> typedef.type();
            case BtfType.Qualifier qualifier -> qualifier.type();
            case BtfType.Array array -> array.elementType();
            default -> 0;
        };
    }

    private void checkMembersFit(int id, BtfType.Composite composite) {
        long sizeBits = composite.size() * 8;
        List<Member> members = composite.members();
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            long bits = member.isBitfield() ? member.bitfieldSize() : btf.sizeIfKnown(member.type()) * 8;
            if (bits >= 0 && member.bitOffset() + bits > sizeBits) {
                throw new BtfFormatException("BTF: " + btf.describe(id) + " member " + i + " ('" + member.name()
                        + "') at bit " + member.bitOffset() + " with " + bits + " bits exceeds the size of "
                        + composite.size() + " bytes");
            }
        }
    }
}
