package org.ebpf4j.isa.text.ubpf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Label definitions of one program and their resolution to slot displacements.
 *
 * <p>The conformance suite also jumps to {@code exit} without defining it: when no label of that name exists it
 * stands for the first exit instruction of the program, even when that lies behind the jump: this is how the
 * reference toolchain encoded {@code jeq-reg}, {@code jge32-reg} and others in {@code conformance_corpus.tsv}
 * (a later exit would give the same r0, but not the same bytes).
 */
final class Labels {
    static final String IMPLICIT_EXIT = "exit";

    private final Map<String, Integer> slots = new HashMap<>();
    private final List<Integer> exitSlots;

    Labels(Map<String, Integer> definitions, List<Integer> exitSlots) {
        this.slots.putAll(definitions);
        this.exitSlots = List.copyOf(exitSlots);
    }

    /** The displacement from the instruction at {@code fromSlot} to a target, counted from the next slot. */
    long displacement(JumpTarget target, int fromSlot, SourceLine line) {
        return switch (target) {
            case JumpTarget.Relative r -> r.displacement();
            case JumpTarget.Label l -> (long) slotOf(l.name(), line) - fromSlot - 1;
        };
    }

    private int slotOf(String name, SourceLine line) {
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (name.equals(IMPLICIT_EXIT)) {
            return exitSlots.stream().findFirst()
                    .orElseThrow(() -> line.error("jump to 'exit' in a program without an exit instruction"));
        }
        throw line.error("undefined label '" + name + "'");
    }
}
