package org.ebpf4j.verifier.state;

import java.util.HashMap;
import java.util.Map;

/**
 * The correspondence between an old state's scalar ids and a current state's, built while one is compared with
 * the other (the kernel's bpf_idmap): each old id that links two or more numbers must meet one current id, and
 * that current id no other old id.
 */
final class ScalarIdMap {
    private final VerifierState old;
    /** Counted on the first id compared: most comparisons meet none, or fail before. */
    private Map<Integer, Integer> occurrences;
    private final Map<Integer, Integer> oldToCur = new HashMap<>();
    private final Map<Integer, Integer> curToOld = new HashMap<>();

    ScalarIdMap(VerifierState old) {
        this.old = old;
    }

    private void countOccurrences() {
        occurrences = new HashMap<>();
        for (int f = 0; f < old.frameCount(); f++) {
            FrameState frame = old.frame(f);
            for (int r = 0; r < org.ebpf4j.isa.Register.COUNT; r++) {
                count(frame.reg(r));
            }
            for (int s = 0; s < FrameState.SLOTS; s++) {
                if (frame.slot(s).isSpill()) {
                    count(frame.slot(s).spilled());
                }
            }
        }
    }

    private void count(RegisterType reg) {
        if (reg instanceof RegisterType.ScalarValue s && s.id() != 0) {
            occurrences.merge(s.id(), 1, Integer::sum);
        }
    }

    /** Whether an old number with {@code oldId} may be matched by a current one with {@code curId}. */
    boolean matches(int oldId, int curId) {
        if (oldId == 0) {
            return true;
        }
        if (occurrences == null) {
            countOccurrences();
        }
        if (occurrences.getOrDefault(oldId, 0) < 2) {
            return true;
        }
        if (curId == 0) {
            return false;
        }
        Integer mappedCur = oldToCur.putIfAbsent(oldId, curId);
        Integer mappedOld = curToOld.putIfAbsent(curId, oldId);
        return (mappedCur == null || mappedCur == curId) && (mappedOld == null || mappedOld == oldId);
    }
}
