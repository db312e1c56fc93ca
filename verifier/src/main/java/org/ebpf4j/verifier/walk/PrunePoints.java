package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;

/**
 * Where the walk compares states (the kernel's mark_prune_point in visit_insn and push_insn): every conditional jump
 * and its forward target, the target of every unconditional one, and around bpf-to-bpf calls the call, its return
 * point and the callee's
 * entry (the kernel marks the return point of helper calls too; ebpf4j does not, pruning less there). Every loop passes through one, which is what loop detection needs, and the
 * kernel reports an infinite loop at the conditional jump that closes it.
 */
final class PrunePoints {
    private PrunePoints() {}

    static boolean[] of(Instructions program) {
        boolean[] points = new boolean[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            int slot = program.slotOf(i);
            if (insn.isLocalCall()) {
                // visit_func_call_insn: the call, the return point and the callee's entry.
                points[slot] = true;
                points[slot + 1] = true;
                points[slot + 1 + insn.imm32()] = true;
                continue;
            }
            if (insn.isHelperCall() && Callbacks.callsBack(insn.imm32())) {
                // visit_insn: a checkpoint before each callback iteration, and one after the helper.
                points[slot] = true;
                points[slot + 1] = true;
                continue;
            }
            if (!insn.hasBranchTarget()) {
                continue;
            }
            JumpOp op = JumpOp.of(insn.opcode());
            if (op == JumpOp.JA) {
                int target = insn.branchTarget(slot);
                points[target] = true;
            } else {
                points[slot] = true;
                // The running kernel prunes at forward targets ("from 14 to 17: safe" in its log) but reports a loop
                // at the jump that closes it, not at the backward target (test_verifier's verifier_cfg/6).
                if (insn.offset() > 0) {
                    points[slot + 1 + insn.offset()] = true;
                }
            }
        }
        return points;
    }

    /** The helper calls that call back into the program (the kernel's calls_callback marks). */
    static boolean[] callbackCalls(Instructions program) {
        boolean[] calls = new boolean[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            if (insn.isHelperCall() && Callbacks.callsBack(insn.imm32())) {
                calls[program.slotOf(i)] = true;
            }
        }
        return calls;
    }

}
