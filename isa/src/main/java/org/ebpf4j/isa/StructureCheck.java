package org.ebpf4j.isa;

/**
 * The structural rules a whole program must satisfy before anything analyses or runs it: it is not empty, every
 * instruction is well formed ({@link InstructionRules}), nothing writes r10, every jump and local call lands on the
 * first slot of an instruction inside the program, and the last instruction is an exit or an unconditional jump
 * (so execution can never run off the end).
 */
public final class StructureCheck {
    private StructureCheck() {}

    /** Throws {@link InvalidProgramException} naming the first broken rule and its instruction index. */
    public static void check(Instructions program) {
        if (program.isEmpty()) {
            throw new InvalidProgramException(-1, "empty program");
        }
        int slots = program.slotCount();
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            int slot = program.slotOf(i);
            String violation = InstructionRules.violation(insn);
            if (violation != null) {
                throw new InvalidProgramException(slot, violation);
            }
            if (insn.dst() == Register.FP.number() && InstructionRules.writesDestination(insn)) {
                throw new InvalidProgramException(slot, "frame pointer r10 is read only");
            }
            if (insn.hasBranchTarget()) {
                long target = (long) slot + 1 + insn.displacement();
                String what = insn.isLocalCall() ? "call" : "jump";
                if (target < 0 || target >= slots) {
                    throw new InvalidProgramException(slot, what + " out of range to insn " + target
                            + " (program has " + slots + ")");
                }
                if (!program.startsInstruction((int) target)) {
                    throw new InvalidProgramException(slot, what + " into the middle of lddw at insn " + target);
                }
            }
        }
        if (program.asList().stream().noneMatch(Instruction::isExit)) {
            throw new InvalidProgramException(-1, "program has no exit instruction");
        }
        Instruction last = program.get(program.size() - 1);
        if (last.fallsThrough()) {
            throw new InvalidProgramException(program.slotOf(program.size() - 1),
                    "last instruction is neither exit nor an unconditional jump");
        }
    }
}
