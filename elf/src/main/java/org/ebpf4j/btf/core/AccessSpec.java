package org.ebpf4j.btf.core;

import java.util.List;
import org.ebpf4j.btf.Btf;

/**
 * A relocation's access path resolved in one BTF (the object's or a target's): libbpf's "spec".
 *
 * @param btf the BTF the ids refer to
 * @param rootTypeId the relocated type: the relocation's own type id locally, the candidate's id in a target
 * @param accessors the steps matched by meaning (see {@link Accessor}); empty for type relocations
 * @param rawAccess every index of the path in this BTF, anonymous members included ("0:1:2")
 * @param bitOffset where the path ends, in bits from the start of the root (0 for type and enum relocations)
 */
record AccessSpec(Btf btf, int rootTypeId, List<Accessor> accessors, List<Integer> rawAccess, long bitOffset) {
    AccessSpec {
        accessors = List.copyOf(accessors);
        rawAccess = List.copyOf(rawAccess);
    }

    Accessor last() {
        return accessors.getLast();
    }

    String rawAccessString() {
        return String.join(":", rawAccess.stream().map(String::valueOf).toList());
    }
}
