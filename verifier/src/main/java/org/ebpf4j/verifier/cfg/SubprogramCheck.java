package org.ebpf4j.verifier.cfg;

import java.util.TreeSet;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * The kernel's add_subprog_and_kfunc and check_subprogs: subprogram boundaries from local calls and function
 * addresses, no jump leaving its subprogram, and every subprogram ending in an exit or an unconditional jump (so
 * that execution never falls from one subprogram into the next).
 */
public final class SubprogramCheck {
    private SubprogramCheck() {}

    public static Subprograms check(Slot[] slots) {
        Subprograms subprograms = boundaries(slots);
        for (int s = 0; s < subprograms.count(); s++) {
            int start = subprograms.start(s);
            int end = subprograms.end(s);
            for (int i = start; i < end; i++) {
                Slot slot = slots[i];
                if (slot.isJumpClass() && !isCallOrExit(slot)) {
                    int target = slot.jumpTarget(i);
                    if (target < start || target >= end) {
                        throw VerificationFailure.rule(i, "jump out of range from insn %d to %d", i, target);
                    }
                }
            }
            Slot last = slots[end - 1];
            if (!last.isExit() && !last.isUnconditionalJump()) {
                throw VerificationFailure.rule(end - 1, "last insn is not an exit or jmp");
            }
        }
        return subprograms;
    }

    /** The kernel skips CALL and EXIT by their operation alone, whatever the class (JMP32 forms included). */
    private static boolean isCallOrExit(Slot slot) {
        int op = Opcode.code(slot.code());
        return op == Opcode.CALL || op == Opcode.EXIT;
    }

    private static Subprograms boundaries(Slot[] slots) {
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            if (slot.isLocalCall() || slot.isFunctionAddress()) {
                int target = slot.callTarget(i);
                if (target < 0 || target >= slots.length) {
                    throw VerificationFailure.rule(i, "call to invalid destination");
                }
                starts.add(target);
            }
        }
        return new Subprograms(starts.stream().mapToInt(Integer::intValue).toArray(), slots.length);
    }
}
