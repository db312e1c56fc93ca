package org.ebpf4j.btf.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;

/**
 * The target's named types by essential name, built once per target: vmlinux has over a hundred thousand types and
 * a program has dozens of relocations.
 */
final class CandidateIndex {
    private final Btf target;
    private final Map<String, List<Integer>> idsByEssentialName;

    CandidateIndex(Btf target) {
        this.target = target;
        Map<String, List<Integer>> index = new HashMap<>();
        for (int id = 1; id <= target.lastTypeId(); id++) {
            String name = target.type(id).name();
            if (!name.isEmpty()) {
                index.computeIfAbsent(EssentialName.of(name), ignored -> new ArrayList<>(1)).add(id);
            }
        }
        this.idsByEssentialName = index;
    }

    /** Target types that may be {@code name} (any flavour) of a kind CO-RE accepts for {@code kind}, in id order. */
    List<Integer> candidates(String name, BtfKind kind) {
        return idsByEssentialName.getOrDefault(EssentialName.of(name), List.of()).stream()
                .filter(id -> BtfLookup.kindsCompatible(kind, target.type(id).kind()))
                .toList();
    }
}
