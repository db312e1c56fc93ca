package org.ebpf4j.btf.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.btf.EnumValue;
import org.ebpf4j.btf.Member;

/**
 * Follows a local access path through one target candidate: members by name (looking inside anonymous structs and
 * unions, wherever the target nests them), array elements by index, enumerators by essential name. Empty when the
 * candidate does not have what the program uses.
 */
final class TargetSpecMatcher {
    private final Btf local;
    private final Btf target;
    private final TypeCompatibility compatibility;
    private final TypeMatch typeMatch;

    TargetSpecMatcher(Btf local, Btf target) {
        this.local = local;
        this.target = target;
        this.compatibility = new TypeCompatibility(local, target);
        this.typeMatch = new TypeMatch(local, target);
    }

    Optional<AccessSpec> match(AccessSpec localSpec, CoreReloKind kind, int candidateId) {
        return switch (kind) {
            case TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE -> compatibility.types(localSpec.rootTypeId(),
                    candidateId) ? Optional.of(typeSpec(candidateId)) : Optional.empty();
            case TYPE_MATCHES -> typeMatch.matches(localSpec.rootTypeId(), candidateId)
                    ? Optional.of(typeSpec(candidateId)) : Optional.empty();
            case ENUMVAL_EXISTS, ENUMVAL_VALUE -> enumerator(localSpec, candidateId);
            case FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_EXISTS, FIELD_SIGNED, FIELD_LSHIFT_U64, FIELD_RSHIFT_U64 ->
                    new FieldPath(candidateId).follow(localSpec);
        };
    }

    private AccessSpec typeSpec(int candidateId) {
        return new AccessSpec(target, candidateId, List.of(), List.of(0), 0);
    }

    private Optional<AccessSpec> enumerator(AccessSpec localSpec, int candidateId) {
        int enumId = target.resolve(candidateId);
        if (!(BtfLookup.typeOrVoid(target, enumId) instanceof BtfType.Enumeration enumeration)) {
            return Optional.empty();
        }
        String wanted = EssentialName.of(((Accessor.Enumerator) localSpec.last()).name());
        List<EnumValue> values = enumeration.values();
        for (int i = 0; i < values.size(); i++) {
            if (EssentialName.of(values.get(i).name()).equals(wanted)) {
                return Optional.of(new AccessSpec(target, candidateId,
                        List.of(new Accessor.Enumerator(enumId, i, values.get(i).name())), List.of(i), 0));
            }
        }
        return Optional.empty();
    }

    /** The target side of one field access, built step by step as libbpf builds its target spec. */
    private final class FieldPath {
        private final int rootId;
        private final List<Accessor> accessors = new ArrayList<>();
        private final List<Integer> raw = new ArrayList<>();
        private long bitOffset;
        private int current;

        FieldPath(int rootId) {
            this.rootId = rootId;
            this.current = rootId;
        }

        Optional<AccessSpec> follow(AccessSpec localSpec) {
            List<Accessor> steps = localSpec.accessors();
            for (int i = 0; i < steps.size(); i++) {
                boolean matched = switch (steps.get(i)) {
                    case Accessor.Field field -> member(field);
                    case Accessor.Element element -> element(element, i == 0);
                    case Accessor.Enumerator ignored -> throw new IllegalStateException("enumerator in a field path");
                };
                if (!matched) {
                    return Optional.empty();
                }
            }
            return Optional.of(new AccessSpec(target, rootId, accessors, raw, bitOffset));
        }

        /** The root step indexes through the pointer to the candidate itself; later ones need an array here. */
        private boolean element(Accessor.Element step, boolean root) {
            if (!root) {
                if (!(BtfLookup.resolved(target, current) instanceof BtfType.Array array)) {
                    return false;
                }
                if (!FlexibleArray.is(target, accessors.getLast(), array) && step.index() >= array.length()) {
                    return false;
                }
                current = target.resolve(array.elementType());
                if (current == 0) {
                    return false;
                }
            }
            push(step.index());
            accessors.add(new Accessor.Element(current, step.index()));
            bitOffset += step.index() * BtfLookup.sizeOf(target, current) * 8;
            return true;
        }

        private boolean member(Accessor.Field step) {
            BtfType.Composite localComposite = (BtfType.Composite) local.type(step.compositeId());
            Member localMember = localComposite.members().get(step.index());
            return member(current, localMember);
        }

        /**
         * Searches {@code compositeId} for a member named like {@code localMember}, descending into anonymous
         * members; on success the path includes every anonymous member crossed.
         */
        private boolean member(int compositeId, Member localMember) {
            int resolvedId = target.resolve(compositeId);
            if (!(BtfLookup.typeOrVoid(target, resolvedId) instanceof BtfType.Composite composite)) {
                return false;
            }
            List<Member> members = composite.members();
            for (int i = 0; i < members.size(); i++) {
                Member candidate = members.get(i);
                push(i);
                bitOffset += candidate.bitOffset();
                if (candidate.name().isEmpty()) {
                    if (member(candidate.type(), localMember)) {
                        return true;
                    }
                } else if (candidate.name().equals(localMember.name())) {
                    // A name matches at most once per composite: an incompatible type ends the search here.
                    if (!compatibility.fields(localMember.type(), candidate.type())) {
                        bitOffset -= candidate.bitOffset();
                        raw.removeLast();
                        return false;
                    }
                    accessors.add(new Accessor.Field(resolvedId, i, candidate.name()));
                    current = candidate.type();
                    return true;
                }
                bitOffset -= candidate.bitOffset();
                raw.removeLast();
            }
            return false;
        }

        private void push(int index) {
            if (raw.size() == CoreLimits.MAX_ACCESS_LENGTH) {
                throw new RelocationFailure("the target's access path is longer than " + CoreLimits.MAX_ACCESS_LENGTH);
            }
            raw.add(index);
        }
    }
}
