package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import java.util.TreeSet;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The subprograms of a program, each compiled to one JVM method: slot 0 and every target of a local call or of a
 * code pointer (lddw with BPF_PSEUDO_FUNC) start one, which runs to the next start.
 */
record Subprograms(int[] starts, int slotCount) {

    static Subprograms of(Instructions program) {
        var starts = new TreeSet<Integer>();
        starts.add(0);
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            int slot = program.slotOf(i);
            if (insn.isLocalCall() || (insn.isLddw() && insn.src() == PSEUDO_FUNC)) {
                int target = slot + 1 + insn.imm32();
                if (!program.startsInstruction(target)) {
                    throw new Unsupported("slot " + slot + " refers to slot " + target + ", no instruction");
                }
                starts.add(target);
            }
        }
        var s = new Subprograms(starts.stream().mapToInt(Integer::intValue).toArray(), program.slotCount());
        s.checkSelfContained(program);
        return s;
    }

    int start(int index) {
        return starts[index];
    }

    /** First slot after subprogram {@code index}. */
    int end(int index) {
        return index + 1 < starts.length ? starts[index + 1] : slotCount;
    }

    int count() {
        return starts.length;
    }

    boolean isStart(int slot) {
        return java.util.Arrays.binarySearch(starts, slot) >= 0;
    }

    /**
     * One method per subprogram needs jumps to stay inside it and its last instruction to leave it only by exit or
     * an unconditional jump: the kernel's verifier demands both, an unverified program may not.
     */
    private void checkSelfContained(Instructions program) {
        for (int k = 0; k < count(); k++) {
            int start = start(k);
            int end = end(k);
            Instruction last = null;
            for (int slot = start; slot < end; slot += program.at(slot).slots()) {
                last = program.at(slot);
                if (last.isBranch()) {
                    int target = last.branchTarget(slot);
                    if (target < start || target >= end) {
                        throw new Unsupported("the jump at slot " + slot + " leaves the subprogram at slot " + start);
                    }
                }
            }
            if (last.fallsThrough()) {
                throw new Unsupported("the subprogram at slot " + start + " falls through into the next");
            }
        }
    }

    /** A program this JIT leaves to the interpreter, with the reason. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String reason) {
            super(reason);
        }
    }
}
